"""Dates, times, numbers and money as the reader writes them (Babel's CLDR data), times in
the reader's zone with the zone named: one place, used by pages and emails as filters.

`{{ day|day }}` "3 déc. 2026"; `{{ moment|moment }}` "3 déc. 2026, 08:15 (Europe/Paris)";
`{{ 1234.5|number }}` "1 234,5"; `{{ amount|money(round.currency) }}` "1 234,50 €";
`{{ day|month }}` "décembre 2026".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from babel import Locale, dates, numbers
from flask import Flask, current_app
from flask_babel import gettext

from matchmaker.i18n import current_language, current_locale, current_zone
from matchmaker.i18n.choices import time_zones
from matchmaker.i18n.names import country_choices, country_name, language_name

Number = int | float | Decimal


def day(value: date | datetime | None, width: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return dates.format_date(value, width, locale=current_locale())


def month(value: date | datetime) -> str:
    """The month and year, standing alone: "December 2026", "грудень 2026"."""
    return dates.format_date(value, "LLLL y", locale=current_locale())


def local(value: datetime) -> datetime:
    """The moment in the reader's zone (a naive value is taken as UTC, as stored)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(current_zone())


def moment(value: datetime | None) -> str:
    """A date and a time in the reader's zone, with the zone's name: never ambiguous."""
    if value is None:
        return ""
    locale = current_locale()
    when = local(value)
    pattern = dates.get_datetime_format("medium", locale=locale)
    text = (
        str(pattern)
        .replace("'", "")
        .replace("{0}", dates.format_time(when, "short", locale=locale))
        .replace("{1}", dates.format_date(when, "medium", locale=locale))
    )
    return f"{text} ({current_zone().key})"


def number(value: Number | None) -> str:
    return "" if value is None else numbers.format_decimal(value, locale=current_locale())


def money(value: Number | None, currency: str = "EUR") -> str:
    if value is None:
        return ""
    return numbers.format_currency(value, currency, locale=current_locale())


def written_in(language: str | None) -> str:
    """ "in Ukrainian" beside a text in another language than the reader's; "" otherwise."""
    if not language or language == current_language():
        return ""
    return gettext("in %(language)s", language=language_name(language))


def register_formats(app: Flask) -> None:
    from matchmaker.i18n.messages import render
    from matchmaker.i18n.words import and_list, kind_name

    filters = (day, month, moment, number, money, country_name, language_name, kind_name)
    app.add_template_filter(written_in, "written_in")
    app.add_template_filter(render, "said")  # the engine's sentences, in the reader's words
    for function in (*filters, and_list):
        app.add_template_filter(function, function.__name__)
    app.add_template_global(country_choices, "country_choices")
    app.add_template_global(current_language, "current_language")
    app.add_template_global(interface_languages, "interface_languages")
    app.add_template_global(time_zone_choices, "time_zone_choices")


def interface_languages() -> list[tuple[str, str]]:
    """The interface's languages, each named in itself: a reader finds their own."""
    languages = current_app.config["LANGUAGES"]
    return [
        (code, (Locale.parse(code).get_display_name(code) or code).capitalize())
        for code in languages
    ]


def time_zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in time_zones()]
