"""The directory's words and sorts as SQL over `hub_search`: which hubs match, how well,
and in which order. The same plain expressions on SQLite and PostgreSQL.

Every word must match somewhere (AND): people add a word to narrow ("laser Porto" means
lasers in Porto), as in every search box they know; ranked OR would bury those hubs under
every hub that mentions Porto. A word matches the start of a stored word (see
`search_text`). Relevance adds, for each word, the weight of the best part it is found
in: the name above the place, the disciplines, the description, the services, the needs.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, or_
from sqlalchemy.sql.elements import ColumnElement

from matchmaker.models import HubSearch, Organisation

# The parts of a hub a word is looked for in, best first, with what a hit there weighs.
WEIGHTS = (
    (HubSearch.name, 10),
    (HubSearch.place, 6),
    (HubSearch.disciplines, 4),
    (HubSearch.description, 3),
    (HubSearch.services, 2),
    (HubSearch.needs, 1),
)


class HubSort(enum.StrEnum):
    RELEVANCE = "relevance"
    NAME = "name"
    NEWEST = "newest"
    DISTANCE = "distance"

    @property
    def label(self) -> str:
        """The sort's name in the reader's language."""
        return str(SORT_NAMES[self])


SORT_NAMES = {
    HubSort.RELEVANCE: _l("Best match"),
    HubSort.NAME: _l("Name"),
    HubSort.NEWEST: _l("Newest"),
    HubSort.DISTANCE: _l("Nearest to my hub"),
}


@dataclass(frozen=True)
class Origin:
    """Where "nearest" is measured from: the asking manager's hub."""

    latitude: float
    longitude: float


def _has(column: Any, word: str) -> ColumnElement[bool]:
    # Folded text has no % or _: nothing to escape. A space before the word: a word start.
    return column.like(f"% {word}%")


def matches(words: list[str]) -> ColumnElement[bool]:
    return and_(*(or_(*(_has(column, word) for column, _ in WEIGHTS)) for word in words))


def relevance(words: list[str]) -> ColumnElement[int]:
    scores = [
        case(*((_has(column, word), weight) for column, weight in WEIGHTS), else_=0)
        for word in words
    ]
    total: ColumnElement[int] = literal(0)
    for score in scores:
        total = total + score
    return total


def distance_order(origin: Origin) -> list[ColumnElement[Any]]:
    """Nearest first by the flat-earth distance (fine for ordering at a network's scale,
    and plain arithmetic on both databases); hubs without coordinates last."""
    gap = func.abs(Organisation.longitude - origin.longitude)
    across = case((gap > 180, 360 - gap), else_=gap)
    shrink = math.cos(math.radians(origin.latitude))
    north = Organisation.latitude - origin.latitude
    squared = north * north + across * across * (shrink * shrink)
    return [Organisation.latitude.is_(None), squared]


def ordering(sort: HubSort, words: list[str], origin: Origin | None) -> list[Any]:
    by_name = [Organisation.name, Organisation.id]
    if sort is HubSort.RELEVANCE and words:
        return [relevance(words).desc(), *by_name]
    if sort is HubSort.NEWEST:
        return [Organisation.created_at.desc(), Organisation.id.desc()]
    if sort is HubSort.DISTANCE and origin is not None:
        return [*distance_order(origin), *by_name]
    return by_name
