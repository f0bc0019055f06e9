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
from matchmaker.matching.message import Day, Kind, Message, Names, Number, said, said_n
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.scored import ScoredBlock

K = ExchangeKind
# Kinds that need the requester to state what it wants to learn.
NEED_BASED_KINDS = frozenset({K.SHADOWING, K.HOT_DESKING, K.RESIDENCY})
WINDOW_KIND = {K.HOT_DESKING: AvailabilityKind.DESKS, K.RESIDENCY: AvailabilityKind.RESIDENCY}
# The shortest useful overlap, and the length that counts as fully available.
MIN_DAYS = {K.HOT_DESKING: 5, K.RESIDENCY: 14}
FULL_DAYS = {K.HOT_DESKING: 14, K.RESIDENCY: 28}

Stage = tuple[Callable[[], np.ndarray], Callable[[int], Message]]


def eligibility(
    index: MatchIndex, block: ScoredBlock, explain: bool
) -> tuple[np.ndarray, Message | None]:
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
                said("the network has no other hubs yet")
                if hosts_only
                else said("the network has no other organisations yet")
            ),
        )
    )
    if kind is K.SHADOWING:
        stages.append((lambda: index.accepts_visits, lambda n: said("no other hub accepts visits")))
    if kind in WINDOW_KIND:
        capacity = index.desks if kind is K.HOT_DESKING else index.residency_places
        desks = kind is K.HOT_DESKING
        stages.append(
            (
                lambda: capacity > 0,
                lambda n: (
                    said("no other hub offers free desks")
                    if desks
                    else said("no other hub offers residency places")
                ),
            )
        )
        days = block.overlap_days
        assert days is not None
        stages.append((lambda: days >= MIN_DAYS[kind], lambda n: _too_short(n, kind, block)))
    if kind in NEED_BASED_KINDS:
        stages.append(
            (
                lambda: values["answers_my_needs"] > 0,
                lambda n: said_n(
                    "no hub that could host (%(num)d considered) offers anything that answers "
                    "the needs of %(name)s",
                    "no hub that could host (%(num)d considered) offers anything that answers "
                    "the needs of %(name)s",
                    n,
                    name=me.name,
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
                lambda n: said(
                    "no organisation has competences, disciplines or partners in common "
                    "with %(name)s yet",
                    name=me.name,
                ),
            )
        )
    stages.append(
        (
            lambda: _not_open(index, rows, kind),
            lambda n: said_n(
                "you already have an open %(kind)s with every matching hub (%(num)d)",
                "you already have an open %(kind)s with every matching hub (%(num)d)",
                n,
                kind=Kind(kind),
            ),
        )
    )
    stages.extend(_filter_stages(index, block))
    return stages


def _too_short(n: int, kind: ExchangeKind, block: ScoredBlock) -> Message:
    periods = describe_periods(block.periods[0])
    if kind is K.HOT_DESKING:
        return said_n(
            "%(num)d hub with free desks, but none for at least %(days)s days in %(periods)s",
            "%(num)d hubs with free desks, but none for at least %(days)s days in %(periods)s",
            n,
            days=MIN_DAYS[kind],
            periods=periods,
        )
    return said_n(
        "%(num)d hub with residency places, but none for at least %(days)s days in %(periods)s",
        "%(num)d hubs with residency places, but none for at least %(days)s days in %(periods)s",
        n,
        days=MIN_DAYS[kind],
        periods=periods,
    )


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
                lambda n: said_n(
                    "%(num)d candidate matches, but none in %(where)s",
                    "%(num)d candidates match, but none in %(where)s",
                    n,
                    where=Names(tuple(wanted)),
                ),
            )
        )
    if query.disciplines:
        stages.append(
            _label_stage(
                index.disciplines,
                index.discipline_labels,
                query.disciplines,
                lambda n, text: said_n(
                    "%(num)d candidate matches, but none working in %(names)s",
                    "%(num)d candidates match, but none working in %(names)s",
                    n,
                    names=text,
                ),
            )
        )
    if query.languages:
        stages.append(
            _label_stage(
                index.languages,
                index.language_labels,
                query.languages,
                lambda n, text: said_n(
                    "%(num)d candidate matches, but none speaking %(names)s",
                    "%(num)d candidates match, but none speaking %(names)s",
                    n,
                    names=text,
                ),
            )
        )
    if query.max_distance_km is not None:
        limit = query.max_distance_km
        located = ~np.isnan(index.latitudes[block.rows])
        if not located.all():
            block.notes.append(said("the distance filter needs your hub's coordinates: ignored"))
        distances = block.distances
        if located.any() and distances is not None:
            stages.append(
                (
                    lambda: (np.nan_to_num(distances, nan=np.inf) <= limit) | ~located[:, None],
                    lambda n: said_n(
                        "%(num)d candidate matches, but none within %(km)s km",
                        "%(num)d candidates match, but none within %(km)s km",
                        n,
                        km=Number(limit),
                    ),
                )
            )
    return stages


def _label_stage(
    matrix: sparse.csr_matrix,
    labels: list[str],
    chosen: frozenset[str],
    message: Callable[[int, Names], Message],
) -> Stage:
    """Keep organisations with any of the chosen labels (disciplines, languages)."""
    columns = [i for i, value in enumerate(labels) if value in chosen]
    text = Names(tuple(sorted(chosen)))
    return (
        lambda: np.asarray(matrix[:, columns].sum(axis=1)).ravel() > 0,
        lambda n: message(n, text),
    )


def describe_periods(periods: list[tuple[date, date]]) -> Message | Names:
    if not periods:
        return said("the dates asked")
    return Names(tuple(said("%(start)s – %(end)s", start=Day(a), end=Day(b)) for a, b in periods))
