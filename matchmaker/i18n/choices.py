"""What a person may choose: a language of the interface and a time zone (an IANA name
that zoneinfo knows), and the first guess from the browser's Accept-Language."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from zoneinfo import ZoneInfoNotFoundError, available_timezones

from flask_babel import gettext
from werkzeug.datastructures import LanguageAccept


def language_of_request(accept: LanguageAccept, languages: Sequence[str]) -> str | None:
    """The browser's most wanted language we have: "uk-UA,uk;q=0.9" gives "uk", and
    "fr-CH, de;q=0.5" gives "fr" (a regional variant counts as its language, before any
    less wanted language; werkzeug's best_match would prefer the exact "de")."""
    for value, _quality in accept:  # sorted most wanted first
        primary = value.replace("_", "-").split("-")[0].lower()
        if primary in languages:
            return primary
    return None


@functools.cache
def time_zones() -> tuple[str, ...]:
    """Every zone name a person may choose, sorted (no legacy aliases like 'US/Eastern')."""
    legacy = ("Etc/", "SystemV/", "US/", "posix", "right")
    names = (z for z in available_timezones() if "/" in z and not z.startswith(legacy))
    return (*sorted(names), "UTC")


def zone_error(zone: str) -> str | None:
    if zone in time_zones():
        return None
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return gettext("%(zone)s is not a time zone (a name like Europe/Kyiv)", zone=repr(zone))
    return gettext("%(zone)s is an old alias; choose a name like Europe/Kyiv", zone=repr(zone))
