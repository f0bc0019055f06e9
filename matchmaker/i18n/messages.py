"""The engine's sentences (`matchmaker.matching.message`) in the reader's language: the
one renderer of the app, for pages (`{{ reason.message|said }}`), the API and emails.

Templates come translated from the catalogues; values are formatted for the reader: lists
joined as their language joins them, numbers, dates, country, language and kind names in
it, and a quoted service or need written in another language than the reader's says so:
“Atelier de médiation” (in French).
"""

from __future__ import annotations

import functools
import math
from datetime import date, datetime
from typing import cast

from babel import dates, numbers

from matchmaker.i18n import current_language, current_locale, gettext, ngettext
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


@functools.singledispatch
def render(value: Value | None) -> str:
    """A message, or one of its values, as the reader reads it ("" for none); a plain
    text (a name, a city) as it is. One function per kind of value, found by its type:
    a list of suggestions renders hundreds of values."""
    return "" if value is None else cast(str, value)  # a Markup stays Markup


@render.register
def _message(value: Message) -> str:
    key = _key(current_language(), value)
    kept = _WRITTEN.get(key)
    if kept is not None and kept[0] == value.template and kept[1] == value.quantity:
        return kept[2]
    written = _write(value)
    if len(_WRITTEN) >= WRITTEN_KEPT:
        _WRITTEN.clear()  # a fresh start is cheaper than keeping an order of use
    _WRITTEN[key] = (value.template, value.quantity, written)
    return written


# The same sentences come back from one request to the next (a candidate's reasons each
# time it is shown, a place, a period): each is written once per language and kept, by
# the hash of its language and structure (`_identity`). The structure itself would weigh
# a kilobyte or more an entry; a 64-bit hash of randomised string hashes (a fresh seed
# each process) meets another by chance about once in 10^11 at 16,384 entries, and an
# entry also keeps its template and count, so even then another sentence is not taken.
WRITTEN_KEPT = 16384
_WRITTEN: dict[int, tuple[str, int | None, str]] = {}


def _key(language: str, value: Message) -> int:
    return hash((language, _identity(value)))


def _write(value: Message) -> str:
    values = {name: render(v) for name, v in value.values}
    if value.quantity is not None:
        plural = value.plural or value.template
        return ngettext(value.template, plural, value.quantity, **values)
    return gettext(value.template, **values) if values else gettext(value.template)


def _identity(value: Value) -> object:
    """What a value is made of, as a tuple of texts: a sentence is a `str` equal to its
    English text, which two sentences of different templates or values may share, so
    each part says its type. Numbers go as their `repr`: Python's hash gives -1 and -2
    one value, and 0.0 and -0.0 compare equal, but their texts differ."""
    kind = type(value)
    if kind is str:
        return value
    if kind is Message:
        message = cast(Message, value)
        values = tuple([(name, _identity(v)) for name, v in message.values])
        return ("Message", message.template, message.plural, repr(message.quantity), values)
    if kind is Names or kind is Listed:
        listed = cast(Names | Listed, value)
        items = tuple([_identity(item) for item in listed.items])
        return (kind.__name__, getattr(listed, "separator", None), items)
    if kind is Number:
        number = cast(Number, value)
        return ("Number", repr(number.value), repr(number.decimals))
    if kind is int:
        return ("int", repr(value))
    if kind is Ordinal:
        return ("Ordinal", repr(cast(Ordinal, value).number))
    if isinstance(value, str):  # a Markup
        return (kind.__name__, str(value))
    return (kind.__name__, value)  # a frozen dataclass of texts and dates: hashed by them


@render.register
def _quote(value: Quote) -> str:
    quoted = gettext("“%(text)s”", text=value.text)
    language = written_in(value.language)
    return f"{quoted} ({language})" if language else quoted


@render.register
def _names(value: Names) -> str:
    return and_list(render(item) for item in value.items)


@render.register
def _listed(value: Listed) -> str:
    return value.separator.join(render(item) for item in value.items)


@render.register
def _number(value: Number) -> str:
    number: float = value.value
    if value.decimals == 0 and math.isfinite(number) and 0 < number < WHOLE_UP_TO:
        # The same text (Babel rounds half to even, as `round` does; a float's shortest
        # text ends in .5 only when it is exactly that), and whole numbers repeat: a
        # distance in kilometres, a count. (Not below zero: Babel writes -0.4 as "-0";
        # nor where floats are further apart than 1, as Babel writes their shortest text.)
        number = round(number)
    negative = math.copysign(1.0, number) < 0  # -0.0 equals 0.0 as a key, not as a text
    language = current_language()
    return _formatted_number(language, type(number).__name__, number, negative, value.decimals)


WHOLE_UP_TO = 2**52


@functools.lru_cache(maxsize=4096)
def _formatted_number(
    language: str, kind: str, number: float, negative: bool, decimals: int
) -> str:
    """Babel's formatting takes ~9 µs; a list of suggestions writes a dozen numbers. By
    language (the reader's, current when called) and by type too: a huge float and the
    int it equals are written differently."""
    return numbers.format_decimal(number, _decimals(decimals), locale=current_locale())


@functools.cache
def _decimals(decimals: int) -> numbers.NumberPattern:
    """Grouped, with so many decimals (parsed once: Babel parses a pattern at each call)."""
    return numbers.parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


@render.register
def _day(value: Day) -> str:
    if isinstance(value.value, datetime):
        return day(value.value)  # shown in the reader's zone: not kept by language only
    return _formatted_day(current_language(), value.value)


@functools.lru_cache(maxsize=4096)
def _formatted_day(language: str, value: date) -> str:
    """The same few days (windows' first and last) come back in every list; by language
    (the reader's, current when called)."""
    return day(value)


@render.register
def _period(value: Period) -> str:
    locale = current_locale()
    return str(dates.format_interval(value.starts_on, value.ends_on, "yMMMMd", locale=locale))


@render.register
def _country(value: Country) -> str:
    return country_name(value.code)


@render.register
def _language(value: Language) -> str:
    return language_name(value.code)


@render.register
def _kind(value: Kind) -> str:
    return kind_name(value.kind)


@render.register
def _ordinal_value(value: Ordinal) -> str:
    return _ordinal(value.number)


@render.register
def _integer(value: int) -> str:
    return number(value)


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
