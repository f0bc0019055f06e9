"""Country and language names in the reader's language (CLDR, through Babel), sorted as
that language sorts them.

The engine keeps its English names (`matchmaker/matching/names.py`, pure and without
Flask); pages and emails use these. Sorting uses the Unicode Collation Algorithm (pyuca,
pure Python, MIT): PyICU would tailor per language but has no wheel here and needs ICU's
headers to build, while the UCA's default order already sorts Latin with accents
(é with e, ß with ss, ø with o) and Cyrillic (ґ after г, є after е, і after и) as French,
German and Ukrainian readers expect, which `sorted()` by code point does not.
"""

from __future__ import annotations

import functools

import pycountry
from pyuca import Collator

from matchmaker.i18n import current_language, locale_of
from matchmaker.matching.names import EXTRA_COUNTRIES
from matchmaker.matching.names import country_name as english_country_name
from matchmaker.matching.names import language_name as english_language_name


@functools.cache
def _collator() -> Collator:
    return Collator()


def collation_key(text: str) -> tuple[int, ...]:
    """How a text sorts for a reader (the UCA's order, case and accents after letters)."""
    return tuple(_collator().sort_key(text))


def country_name(code: str, language: str | None = None) -> str:
    locale = locale_of(language or current_language())
    name = locale.territories.get(code) if locale is not None else None
    return name or english_country_name(code)


def language_name(code: str, language: str | None = None) -> str:
    locale = locale_of(language or current_language())
    name = locale.languages.get(code) if locale is not None else None
    return name or english_language_name(code)


@functools.cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    codes = [country.alpha_2 for country in pycountry.countries] + list(EXTRA_COUNTRIES)
    pairs = ((code, country_name(code, language)) for code in codes)
    return tuple(sorted(pairs, key=lambda pair: collation_key(pair[1])))


def country_choices() -> list[tuple[str, str]]:
    """Every country a hub can be in, as (code, name), in the reader's language and order."""
    return list(_country_choices(current_language()))


def sorted_names(names: list[str]) -> list[str]:
    return sorted(names, key=collation_key)
