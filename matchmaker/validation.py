"""Checks on single values shared by imports, forms and the API.

Each check returns the reason a person should read (in the reader's language; English
outside a request, as the commands write), or None when the value is fine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import pycountry
from anyascii import anyascii
from babel.numbers import format_decimal
from flask import has_app_context
from flask_babel import gettext as _

from matchmaker.i18n import current_language
from matchmaker.matching.names import EXTRA_COUNTRIES

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FIRST_FOUNDED_YEAR = 1800


@dataclass(frozen=True)
class RowError:
    """A problem in one cell of an imported file; rows are numbered as a spreadsheet does."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _(
            "row %(row)s, column %(column)s: %(reason)s",
            row=self.row,
            column=self.column,
            reason=self.reason,
        )


# Everything Unicode counts as ending a line (str.splitlines), not only \n and \r.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def text_error(value: str, *, one_line: bool) -> str | None:
    """Why a text cannot be stored or shown as it is: a NUL or another control character,
    a lone surrogate, a line break in a one-line field, or nothing visible at all (only
    spaces or zero-width characters)."""
    if "\x00" in value:
        return _("holds a NUL character, which cannot be stored")
    if any("\ud800" <= character <= "\udfff" for character in value):
        return _("holds a broken character (a lone surrogate), which cannot be stored")
    if one_line and not LINE_BREAKS.isdisjoint(value):
        return _("must be one line")
    allowed = "" if one_line else "\n\r\t"
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        return _("holds a control character; remove it")
    if value and not any(_visible(character) for character in value):
        return _("holds no visible character")
    return None


def _visible(character: str) -> bool:
    return not character.isspace() and unicodedata.category(character) not in ("Cf", "Cc", "Zs")


def country_error(code: str) -> str | None:
    if not re.fullmatch(r"[A-Z]{2}", code):
        return _(
            "%(code)s is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. PT)",
            code=repr(code),
        )
    if pycountry.countries.get(alpha_2=code) is None and code not in EXTRA_COUNTRIES:
        return _("unknown country code %(code)s", code=repr(code))
    return None


def language_error(code: str) -> str | None:
    if not re.fullmatch(r"[a-z]{2}", code):
        return _(
            "%(code)s is not an ISO 639-1 language code (two small letters, e.g. pt)",
            code=repr(code),
        )
    if pycountry.languages.get(alpha_2=code) is None:
        return _("unknown language code %(code)s", code=repr(code))
    return None


def currency_error(code: str) -> str | None:
    if not re.fullmatch(r"[A-Z]{3}", code):
        return _(
            "'%(code)s' is not an ISO 4217 currency code (three capital letters, e.g. EUR)",
            code=code,
        )
    if pycountry.currencies.get(alpha_3=code) is None:
        return _("unknown currency code '%(code)s'", code=code)
    return None


def url_error(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        return _("%(url)s is not a web address starting with http:// or https://", url=repr(url))
    if any(character.isspace() for character in url):
        return _("%(url)s contains spaces", url=repr(url))
    return None


def slug_error(slug: str) -> str | None:
    if not SLUG_PATTERN.match(slug) or len(slug) > 120:
        return _(
            "%(slug)s is not a slug (small letters, digits and single hyphens, at most 120)",
            slug=repr(slug),
        )
    return None


def email_error(email: str) -> str | None:
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        return _("%(email)s is not an email address", email=repr(email))
    return None


def founded_year_error(year: int, today: date | None = None) -> str | None:
    this_year = (today or date.today()).year
    if not FIRST_FOUNDED_YEAR <= year <= this_year:
        return _(
            "founded year %(year)s is not between %(first)s and %(last)s",
            year=year,
            first=FIRST_FOUNDED_YEAR,
            last=this_year,
        )
    return None


def slugify(text: str) -> str:
    """A URL-safe slug from a name in any script, read aloud in Latin letters (anyascii,
    ISC licence): "Θέατρο Αθήνα" -> "theatro-athina", "Дом культуры Киев" ->
    "dom-kultury-kiev", "Københavns Kulturhus" -> "kobenhavns-kulturhus". A name with no
    letter or digit anyascii can spell (only symbols) gives ""; `unique_slug` names it."""
    # Apostrophes spell soft signs and elisions ("kul'tury", "l'atelier"): no break there.
    ascii_text = anyascii(unicodedata.normalize("NFC", text)).replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120].strip("-")


def size_text(size: int) -> str:
    """A file size or limit as a person reads it: '5 MB', '1.5 MB', '100 KB'."""
    language = current_language() if has_app_context() else "en"
    if size < 1024 * 1024:
        return _("%(size)s KB", size=format_decimal(round(size / 1024), locale=language))
    megabytes = format_decimal(round(size / (1024 * 1024), 1), locale=language)
    return _("%(size)s MB", size=megabytes)


def unique_slug(name: str, taken: Callable[[str], bool]) -> str:
    """The name's slug, or with -2, -3... when `taken` says it is used; never empty."""
    base = slugify(name)[:110].strip("-") or "hub"
    slug, n = base, 2
    while taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


def nfc(text: str) -> str:
    """Names and texts are stored as written, in one Unicode form (NFC), so "é" typed as
    e + a combining accent and "é" typed whole are the same name."""
    return unicodedata.normalize("NFC", text)
