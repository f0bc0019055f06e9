"""Words the engine and the models hold in English, in the reader's language: the kinds
of exchange (the engine's `ExchangeKind.label` stays English and pure), and lists of
names joined as the reader joins them ("A, B and C", "A, B et C", "А, Б і В")."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from matchmaker.i18n import current_locale
from matchmaker.matching.kinds import ExchangeKind

KIND_NAMES = {
    ExchangeKind.SHADOWING: _l("shadowing visit"),
    ExchangeKind.HOT_DESKING: _l("hot-desking swap"),
    ExchangeKind.RESIDENCY: _l("manager residency"),
    ExchangeKind.PROJECT_PARTNERS: _l("project partnership"),
}


def kind_name(kind: ExchangeKind | str) -> str:
    """The kind of exchange as a noun, small letters: "shadowing visit", "visite d'observation"."""
    return str(KIND_NAMES[ExchangeKind(kind)])


def and_list(names: Iterable[str]) -> str:
    return format_list(list(names), locale=current_locale())


class Later:
    """A sentence written when it is read, in the reader's language: gathered once for
    many people (the digest), shown to each in their own. Its values may be `Later` too,
    or `LaterDay`. Unlike Flask-Babel's lazy strings it has no `__html__`, so a page
    escapes it (and the names inside) like any text."""

    def __init__(self, message: str, **values: object) -> None:
        self.message, self.values = message, values

    def __str__(self) -> str:
        return gettext(self.message, **{name: str(v) for name, v in self.values.items()})

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.message)

    def __repr__(self) -> str:
        return f"Later({str(self)!r})"


class LaterDay:
    """A day and month as the reader writes them ("February 19", "19 лютого")."""

    def __init__(self, value: date | datetime) -> None:
        self.value = value

    def __str__(self) -> str:
        return format_skeleton("MMMMd", self.value, locale=current_locale())


class LaterDate:
    """A date with its year, as the reader writes it ("December 3, 2026", "3 décembre 2026")."""

    def __init__(self, value: date | datetime) -> None:
        self.value = value

    def __str__(self) -> str:
        return format_date(self.value, "long", locale=current_locale())


class Capitalised:
    """A word with its first letter capital, once written in the reader's language."""

    def __init__(self, word: object) -> None:
        self.word = word

    def __str__(self) -> str:
        text = str(self.word)
        return text[:1].upper() + text[1:]
