"""The engine's sentences (`matchmaker.matching.message`) in the reader's language: the
one renderer of the app, for pages (`{{ reason.message|said }}`), the API and emails.

Templates come translated from the catalogues; values are formatted for the reader: lists
joined as their language joins them, numbers, dates, country, language and kind names in
it, and a quoted service or need written in another language than the reader's says so:
“Atelier de médiation” (in French).
"""

from __future__ import annotations

from babel import dates, numbers

from matchmaker.i18n import current_language, gettext, ngettext
from matchmaker.i18n.formats import day, number, written_in
from matchmaker.i18n.names import country_name, language_name
from matchmaker.i18n.words import and_list, kind_name
from matchmaker.matching.message import (
    Country,
    Day,
    Kind,
    Language,
    Listed,
    Message,
    Names,
    Number,
    Ordinal,
    Period,
    Quote,
    Value,
)


def render(value: Value | None) -> str:
    """A message, or one of its values, as the reader reads it ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, Message):
        values = {name: render(v) for name, v in value.values}
        if value.quantity is not None:
            plural = value.plural or value.template
            return ngettext(value.template, plural, value.quantity, **values)
        return gettext(value.template, **values) if values else gettext(value.template)
    if isinstance(value, Quote):
        quoted = gettext("“%(text)s”", text=value.text)
        language = written_in(value.language)
        return f"{quoted} ({language})" if language else quoted
    if isinstance(value, Names):
        return and_list(render(item) for item in value.items)
    if isinstance(value, Listed):
        return value.separator.join(render(item) for item in value.items)
    if isinstance(value, Number):
        return _number(value)
    if isinstance(value, Day):
        return day(value.value)
    if isinstance(value, Period):
        interval = dates.format_interval(
            value.starts_on, value.ends_on, "yMMMMd", locale=current_language()
        )
        return str(interval)
    if isinstance(value, Country):
        return country_name(value.code)
    if isinstance(value, Language):
        return language_name(value.code)
    if isinstance(value, Kind):
        return kind_name(value.kind)
    if isinstance(value, Ordinal):
        return _ordinal(value.number)
    if isinstance(value, int):
        return number(value)
    return value


def _ordinal(number: int) -> str:
    """A rank or a choice as the reader's language writes it short: "2nd", "2e", "2.";
    Ukrainian declines its ordinals, so its sentences say "№ 2" and this gives the number.
    (CLDR has no short ordinal formats for these languages: the catalogue's patterns.)"""
    if number == 1:
        return gettext("1st")
    if 10 <= number % 100 <= 20 or number % 10 not in (1, 2, 3):
        return gettext("%(number)sth", number=number)
    if number % 10 == 1:
        return gettext("%(number)sst", number=number)
    if number % 10 == 2:
        return gettext("%(number)snd", number=number)
    return gettext("%(number)srd", number=number)


def _number(value: Number) -> str:
    pattern = "#,##0" + ("." + "0" * value.decimals if value.decimals else "")
    return numbers.format_decimal(value.value, pattern, locale=current_language())
