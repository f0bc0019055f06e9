"""Country and language names for explanations, from their ISO codes (pycountry's tables).

In the engine so that explanations name places and languages without importing the app.
"""

from __future__ import annotations

import functools
import re

import pycountry

# User-assigned codes in common use that ISO 3166-1 does not list: the EU, CORDIS and
# most registries use XK for Kosovo.
EXTRA_COUNTRIES = {"XK": "Kosovo"}


@functools.lru_cache(maxsize=1024)  # a sentence about a place names one or two
def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return EXTRA_COUNTRIES.get(code, code)
    return getattr(country, "common_name", None) or country.name


@functools.lru_cache(maxsize=1024)
def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_2=code)
    if language is None:
        return code
    # "Modern Greek (1453-)" reads as "Modern Greek" in a sentence.
    return re.sub(r"\s*\(.*\)$", "", getattr(language, "common_name", None) or language.name)
