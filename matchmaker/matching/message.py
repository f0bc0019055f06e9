"""Sentences the engine writes for people, kept as their message template and values, so
the app writes each in its reader's language (`matchmaker.i18n.messages.render`) while the
engine stays pure: no gettext here. A message is a `str`, its English, for the engine's own
tests, the benchmarks, the CLI and whatever stores it.

`said("You both work in %(names)s", names=Names(...))` and
`said_n("%(num)d rating", "%(num)d ratings", count)` are also the markers that
`scripts/translations.sh` extracts (keywords `said`, `said_n:1,2` and `N_` for a
template chosen from a table): their first
arguments must be string literals. Values are plain text (names and titles, shown as
written) or the typed values below, which the app formats for the reader's locale.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date

from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.names import country_name, language_name


@dataclass(frozen=True)
class Quote:
    """A service's or need's title, quoted; `language` is the one it is written in."""

    text: str
    language: str | None = None

    def __str__(self) -> str:
        return f"“{self.text}”"


@dataclass(frozen=True)
class Country:
    code: str

    def __str__(self) -> str:
        return country_name(self.code)


@dataclass(frozen=True)
class Language:
    code: str

    def __str__(self) -> str:
        return language_name(self.code)


@dataclass(frozen=True)
class Day:
    value: date

    def __str__(self) -> str:
        return f"{self.value.day} {self.value:%b %Y}"


@dataclass(frozen=True)
class Period:
    """From one day to another, as briefly as the language writes it: "3–16 March 2025"."""

    starts_on: date
    ends_on: date

    def __str__(self) -> str:
        from matchmaker.matching.swaps.explanations import format_dates

        return format_dates(self.starts_on, self.ends_on)


@dataclass(frozen=True)
class Number:
    """A number a person reads ("2,345 km", "4.5/5"), with so many decimals."""

    value: float
    decimals: int = 0

    def __str__(self) -> str:
        return f"{self.value:,.{self.decimals}f}"


@dataclass(frozen=True)
class Ordinal:
    """A rank or a choice ("2nd"), written as the reader writes ordinals."""

    number: int

    def __str__(self) -> str:
        number = self.number
        tens = 10 <= number % 100 <= 20
        return f"{number}{'th' if tens else {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th')}"


@dataclass(frozen=True)
class Kind:
    """A kind of exchange as a noun, small letters: "shadowing visit"."""

    kind: ExchangeKind

    def __str__(self) -> str:
        return self.kind.label


@dataclass(frozen=True)
class Names:
    """Names joined as a list is read: "A, B and C" (the app joins them for the reader)."""

    items: tuple[Value, ...]

    def __str__(self) -> str:
        words = [str(item) for item in self.items]
        if len(words) <= 1:
            return "".join(words)
        return ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class Listed:
    """Items one after the other with a separator ("; ", ", ") that every language keeps:
    a list of facts rather than a list of names."""

    items: tuple[Value, ...]
    separator: str = "; "

    def __str__(self) -> str:
        return self.separator.join(str(item) for item in self.items)


class Message(str):
    """A sentence: the English text itself (so the engine, its tests and the CLI read it as
    any string), with its English template (%(name)s placeholders) and values; a plural one
    also has the plural template and the count (`%(num)d` in the templates)."""

    template: str
    values: tuple[tuple[str, Value], ...]
    plural: str | None
    quantity: int | None

    def __new__(
        cls,
        template: str,
        values: tuple[tuple[str, Value], ...] = (),
        plural: str | None = None,
        quantity: int | None = None,
    ) -> Message:
        english: dict[str, object] = {name: str(value) for name, value in values}
        chosen = template
        if quantity is not None:
            english["num"] = quantity
            if quantity != 1 and plural is not None:
                chosen = plural
        self = super().__new__(cls, chosen % english if english else chosen)
        self.template, self.values, self.plural, self.quantity = template, values, plural, quantity
        return self

    def __reduce__(self) -> tuple[object, ...]:
        return (Message, (self.template, self.values, self.plural, self.quantity))


Value = (
    str
    | int
    | Quote
    | Country
    | Language
    | Day
    | Period
    | Number
    | Ordinal
    | Kind
    | Names
    | Listed
    | Message
)
_TYPES = {kind.__name__: kind for kind in (Quote, Country, Language, Number, Ordinal)}


def stored(message: str) -> str:
    """A message as text to store (JSON), so it can be read later in any language; plain
    text stays as it is."""
    if not isinstance(message, Message):
        return message
    return json.dumps(_encode(message), ensure_ascii=False)


def from_stored(text: str) -> str:
    """What `stored` wrote, as the message again (plain text, as stored before messages
    were, comes back as it is)."""
    if not text.startswith('{"said"'):
        return text
    try:
        decoded = _decode(json.loads(text))
    except (ValueError, KeyError, TypeError):
        return text
    return decoded if isinstance(decoded, str) else text


def _encode(value: Value) -> object:
    if isinstance(value, Message):
        return {
            "said": value.template,
            "values": {name: _encode(v) for name, v in value.values},
            "plural": value.plural,
            "n": value.quantity,
        }
    if isinstance(value, str | int):
        return value
    if isinstance(value, Day):
        return {"type": "Day", "value": value.value.isoformat()}
    if isinstance(value, Period):
        return {
            "type": "Period",
            "from": value.starts_on.isoformat(),
            "to": value.ends_on.isoformat(),
        }
    if isinstance(value, Kind):
        return {"type": "Kind", "kind": value.kind.value}
    if isinstance(value, Names | Listed):
        encoded: dict[str, object] = {"type": type(value).__name__}
        encoded["items"] = [_encode(item) for item in value.items]
        if isinstance(value, Listed):
            encoded["separator"] = value.separator
        return encoded
    return {"type": type(value).__name__, **asdict(value)}


def _decode(data: object) -> Value:
    if not isinstance(data, dict):
        return data  # type: ignore[return-value]
    if "said" in data:
        values = tuple((name, _decode(v)) for name, v in data["values"].items())
        return Message(data["said"], values, data.get("plural"), data.get("n"))
    kind = data["type"]
    if kind == "Day":
        return Day(date.fromisoformat(data["value"]))
    if kind == "Period":
        return Period(date.fromisoformat(data["from"]), date.fromisoformat(data["to"]))
    if kind == "Kind":
        return Kind(ExchangeKind(data["kind"]))
    if kind == "Names":
        return Names(tuple(_decode(item) for item in data["items"]))
    if kind == "Listed":
        return Listed(tuple(_decode(item) for item in data["items"]), data["separator"])
    fields = {name: v for name, v in data.items() if name != "type"}
    return _TYPES[kind](**fields)  # type: ignore[no-any-return]


def N_(template: str) -> str:
    """Marks a template for extraction where it is chosen from a table, then `said`."""
    return template


def said(template: str, **values: Value) -> Message:
    return Message(template, tuple(values.items()))


def said_n(singular: str, plural: str, count: int, **values: Value) -> Message:
    return Message(singular, tuple(values.items()), plural, count)
