"""Who can take part: the kind's constraints and the query's filters, as masks over a block
of requesters (rows) × organisations, each with the words that say why nobody is left.

A mask has the block's shape or broadcasts to it (a constraint on the candidate alone is
one row for all requesters); the words are only asked for with a single requester.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
from scipy import sparse

from matchmaker.matching.index import MatchIndex
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.scored import ScoredBlock

K = ExchangeKind
# Kinds that need the requester to state what it wants to learn.
NEED_BASED_KINDS = frozenset({K.SHADOWING, K.HOT_DESKING, K.RESIDENCY})
WINDOW_KIND = {K.HOT_DESKING: AvailabilityKind.DESKS, K.RESIDENCY: AvailabilityKind.RESIDENCY}
# The shortest useful overlap, and the length that counts as fully available.
MIN_DAYS = {K.HOT_DESKING: 5, K.RESIDENCY: 14}
FULL_DAYS = {K.HOT_DESKING: 14, K.RESIDENCY: 28}

Stage = tuple[Callable[[], np.ndarray], Callable[[int], str]]


def eligibility(
    index: MatchIndex, block: ScoredBlock, explain: bool
) -> tuple[np.ndarray, str | None]:
    """Narrow every row to who can take part, stage by stage; with `explain` (one row),
    also why nobody is left, from the stage that left nobody."""
    eligible = np.ones(block.score.shape, dtype=bool)
    for mask, message in _stages(index, block):
        before = int(eligible.sum()) if explain else 0
        eligible &= mask()
        if before and not eligible.any():
            return eligible, message(before)
    return eligible, None


def _stages(index: MatchIndex, block: ScoredBlock) -> list[Stage]:
    kind, rows, values = block.query.kind, block.rows, block.values
    me = index.organisations[int(rows[0])]
    stages: list[Stage] = []
    hosts_only = kind is not K.PROJECT_PARTNERS
    stages.append(
        (
            lambda: (
                (np.arange(len(index))[None, :] != rows[:, None])
                & (index.is_hub if hosts_only else True)
            ),
            lambda n: (
                "the network has no other " + ("hubs" if hosts_only else "organisations") + " yet"
            ),
        )
    )
    if kind is K.SHADOWING:
        stages.append((lambda: index.accepts_visits, lambda n: "no other hub accepts visits"))
    if kind in WINDOW_KIND:
        capacity = index.desks if kind is K.HOT_DESKING else index.residency_places
        what = "free desks" if kind is K.HOT_DESKING else "residency places"
        stages.append((lambda: capacity > 0, lambda n: f"no other hub offers {what}"))
        days = block.overlap_days
        assert days is not None
        stages.append(
            (
                lambda: days >= MIN_DAYS[kind],
                lambda n: (
                    f"{_count(n, 'hub')} with {what}, but none for at least {MIN_DAYS[kind]} days "
                    f"in {describe_periods(block.periods[0])}"
                ),
            )
        )
    if kind in NEED_BASED_KINDS:
        stages.append(
            (
                lambda: values["answers_my_needs"] > 0,
                lambda n: (
                    f"no hub that could host ({n} considered) offers anything that answers "
                    f"the needs of {me.name}"
                ),
            )
        )
    else:
        stages.append(
            (
                lambda: (
                    (values["answers_my_needs"] > 0)
                    | (values["answers_their_needs"] > 0)
                    | (values["collaboration"] > 0)
                    | (values["network"] > 0)
                    | (values["disciplines"] > 0)
                ),
                lambda n: (
                    f"no organisation has competences, disciplines or partners in common "
                    f"with {me.name} yet"
                ),
            )
        )
    stages.append(
        (
            lambda: _not_open(index, rows, kind),
            lambda n: f"you already have an open {kind.label} with every matching hub ({n})",
        )
    )
    stages.extend(_filter_stages(index, block))
    return stages


def _not_open(index: MatchIndex, rows: np.ndarray, kind: ExchangeKind) -> np.ndarray:
    """False for the pairs that already have an exchange of this kind under way."""
    mask = np.ones((len(rows), len(index)), dtype=bool)
    for i, row in enumerate(rows):
        mask[i, list(index.open.get((int(row), kind), ()))] = False
    return mask


def _filter_stages(index: MatchIndex, block: ScoredBlock) -> list[Stage]:
    query: MatchQuery = block.query
    stages: list[Stage] = []
    if query.countries:
        wanted = sorted(c.upper() for c in query.countries)
        stages.append(
            (
                lambda: np.isin(index.countries, wanted),
                lambda n: f"{_count(n, 'candidate')} match, but none in {', '.join(wanted)}",
            )
        )
    if query.disciplines:
        stages.append(
            _label_stage(
                index.disciplines, index.discipline_labels, query.disciplines, "working in"
            )
        )
    if query.languages:
        stages.append(
            _label_stage(index.languages, index.language_labels, query.languages, "speaking")
        )
    if query.max_distance_km is not None:
        limit = query.max_distance_km
        located = ~np.isnan(index.latitudes[block.rows])
        if not located.all():
            block.notes.append("the distance filter needs your hub's coordinates: ignored")
        distances = block.distances
        if located.any() and distances is not None:
            stages.append(
                (
                    lambda: (np.nan_to_num(distances, nan=np.inf) <= limit) | ~located[:, None],
                    lambda n: f"{_count(n, 'candidate')} match, but none within {limit:,.0f} km",
                )
            )
    return stages


def _label_stage(
    matrix: sparse.csr_matrix, labels: list[str], chosen: frozenset[str], verb: str
) -> Stage:
    """Keep organisations with any of the chosen labels (disciplines, languages)."""
    columns = [i for i, value in enumerate(labels) if value in chosen]
    text = ", ".join(sorted(chosen))
    return (
        lambda: np.asarray(matrix[:, columns].sum(axis=1)).ravel() > 0,
        lambda n: f"{_count(n, 'candidate')} match, but none {verb} {text}",
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def describe_periods(periods: list[tuple[date, date]]) -> str:
    return ", ".join(f"{day(a)} – {day(b)}" for a, b in periods) or "the dates asked"
