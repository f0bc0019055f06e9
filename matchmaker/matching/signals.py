"""The named signals of every candidate for one requesting organisation and one query,
the constraints of the kind, and why nobody is left when nobody is.

Everything is computed for all candidates at once (row products and array operations).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import sparse

from matchmaker.matching.index import MatchIndex
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.matching.places import distances_km
from matchmaker.matching.query import DEFAULT_HORIZON, MatchQuery
from matchmaker.matching.weights import REPEAT_PENALTY, SIGNALS

K = ExchangeKind
# Kinds where both sides give and take, so complementarity counts both directions.
MUTUAL_KINDS = frozenset({K.HOT_DESKING, K.PROJECT_PARTNERS})
# Kinds that need the requester to state what it wants to learn.
NEED_BASED_KINDS = frozenset({K.SHADOWING, K.HOT_DESKING, K.RESIDENCY})
WINDOW_KIND = {K.HOT_DESKING: AvailabilityKind.DESKS, K.RESIDENCY: AvailabilityKind.RESIDENCY}
# The shortest useful overlap, and the length that counts as fully available.
MIN_DAYS = {K.HOT_DESKING: 5, K.RESIDENCY: 14}
FULL_DAYS = {K.HOT_DESKING: 14, K.RESIDENCY: 28}


@dataclass
class Scored:
    """Signals, scores and eligibility of every organisation for one requester."""

    requester: int
    query: MatchQuery
    values: dict[str, np.ndarray] = field(default_factory=dict)
    score: np.ndarray = field(default_factory=lambda: np.zeros(0))
    eligible: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    distances: np.ndarray = field(default_factory=lambda: np.zeros(0))
    overlap_days: np.ndarray | None = None
    overlap_window: np.ndarray | None = None  # index into the kind's WindowTable
    periods: list[tuple[date, date]] = field(default_factory=list)
    shown: dict[int, int] = field(default_factory=dict)  # position -> times already shown
    reason: str | None = None  # why nobody is eligible
    notes: list[str] = field(default_factory=list)


def harmonic_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    total = a + b
    return np.divide(2 * a * b, total, out=np.zeros_like(total), where=total > 0)


def _periods(index: MatchIndex, requester: int, query: MatchQuery) -> list[tuple[date, date]]:
    """The dates the requester wants, as the candidates' windows must overlap them."""
    today = index.network.today
    wanted = (
        (query.starts_on, query.ends_on)
        if query.starts_on and query.ends_on
        else (today, today + DEFAULT_HORIZON)
    )
    if query.kind is not K.HOT_DESKING:
        return [wanted]
    # A swap: the requester hosts too, so its own free desks bound the dates.
    periods = []
    for window in index.organisations[requester].windows_of(AvailabilityKind.DESKS):
        first, last = max(window.starts_on, wanted[0]), min(window.ends_on, wanted[1])
        if first <= last:
            periods.append((first, last))
    return periods


def _requester_problem(index: MatchIndex, requester: int, query: MatchQuery) -> str | None:
    """Why this requester cannot get suggestions of this kind at all, if so."""
    me = index.organisations[requester]
    kind = query.kind
    if kind in NEED_BASED_KINDS and not me.needs:
        return (
            f"{me.name} lists no needs yet, so there is nothing to match for a {kind.label}: "
            "add what your hub wants to learn or get"
        )
    if kind is K.HOT_DESKING:
        if not me.desks or not me.windows_of(AvailabilityKind.DESKS):
            return (
                f"{me.name} lists no free desks, and a swap is two-way: add the dates your "
                "desks are free to swap with other hubs"
            )
        if not _periods(index, requester, query):
            when = (
                "in the dates asked for"
                if query.starts_on
                else f"from today to {_day(index.network.today + DEFAULT_HORIZON)}"
            )
            return f"{me.name} has no desks free {when}"
    if kind is K.PROJECT_PARTNERS and not (
        me.needs or me.services or index.collaboration.degree[requester]
    ):
        return (
            f"{me.name} has no services, needs or past projects yet, so there is nothing to "
            "find partners on: add what your hub offers and needs"
        )
    return None


def base_signals(index: MatchIndex, rows: np.ndarray, query: MatchQuery
                 ) -> dict[str, np.ndarray]:  # fmt: skip
    """The signals that come from matrix products, for several requesters (rows) at once:
    one query computes them for one row, a refresh of everyone in blocks."""
    kind = query.kind
    values: dict[str, np.ndarray] = {}
    one_way = index.text.answered_by_all(rows)
    values["answers_my_needs"] = one_way
    if kind in MUTUAL_KINDS:
        values["answers_their_needs"] = index.text.answering_all(rows)
        values["complementarity"] = harmonic_mean(one_way, values["answers_their_needs"])
    else:
        values["complementarity"] = one_way
    shared = (index.disciplines[rows] @ index.disciplines_t).toarray()
    union = index.discipline_counts[rows, None] + index.discipline_counts[None, :] - shared
    values["disciplines"] = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    values["languages"] = ((index.languages[rows] @ index.languages_t).toarray() > 0).astype(float)
    proximity = index.collaboration.adamic_adar_rows(rows)
    values["network"] = 1.0 - np.exp(-proximity)
    if kind is K.PROJECT_PARTNERS:
        values["collaboration"] = np.array(
            [
                index.partners.scores(int(index.ids[row]), query.programme_part)[
                    index.partner_position
                ]
                for row in rows
            ]
        )
        values["cross_border"] = (
            index.countries[None, :] != index.countries[rows][:, None]
        ).astype(float)
    return values


def score_candidates(
    index: MatchIndex,
    requester: int,
    query: MatchQuery,
    shown: Mapping[int, int] | None = None,
    base: Mapping[str, np.ndarray] | None = None,
    with_distances: bool = True,
) -> Scored:
    """`shown`: how often each candidate (by id) was already suggested to this requester
    for this kind; it changes with every view, so it is read per query, not indexed.
    `base`: this requester's row of `base_signals`, when computed in a block."""
    kind = query.kind
    scored = Scored(requester, query)
    scored.shown = {
        index.position[c]: times for c, times in (shown or {}).items() if c in index.position
    }
    size = len(index)
    me = index.organisations[requester]
    if with_distances or query.max_distance_km is not None:
        scored.distances = distances_km(
            me.latitude, me.longitude, index.latitudes, index.longitudes
        )
    scored.eligible = np.zeros(size, dtype=bool)
    scored.score = np.zeros(size)
    if problem := _requester_problem(index, requester, query):
        scored.reason = problem
        return scored
    if base is None:
        base = {
            name: block[0]
            for name, block in base_signals(index, np.array([requester]), query).items()
        }
    values = scored.values
    values.update(base)
    values["feedback"] = index.feedback
    if kind in WINDOW_KIND:
        scored.periods = _periods(index, requester, query)
        table = index.windows[WINDOW_KIND[kind]]
        days, which = table.best_overlap(scored.periods)
        scored.overlap_days, scored.overlap_window = days, which
        values["availability"] = np.minimum(1.0, days / FULL_DAYS[kind])
    weights = index.weights[kind]
    total = sum(weights.get(name, 0.0) for name in SIGNALS if name in values)
    score = sum(weights.get(name, 0.0) * values[name] for name in SIGNALS if name in values)
    scored.score = np.asarray(score, dtype=float) / total if total else np.zeros(size)
    scored.score *= _repetition_factor(index, scored, weights.get(REPEAT_PENALTY, 0.0))
    _apply_constraints(index, scored)
    return scored


def _repetition_factor(index: MatchIndex, scored: Scored, penalty: float) -> np.ndarray:
    """Lower the score of pairs shown again and again, or already done for this kind."""
    repeats = np.zeros(len(index))
    for candidate, times in scored.shown.items():
        repeats[candidate] += times
    for candidate, times in index.completed.get((scored.requester, scored.query.kind), {}).items():
        repeats[candidate] += 2 * times
    return 1.0 / (1.0 + penalty * repeats)


def _apply_constraints(index: MatchIndex, scored: Scored) -> None:
    """Narrow to who can take part, stage by stage, remembering why nobody is left."""
    kind, query, me = scored.query.kind, scored.query, index.organisations[scored.requester]
    positions = np.arange(len(index))
    stages: list[tuple[Callable[[], np.ndarray], Callable[[int], str]]] = []
    hosts_only = kind is not K.PROJECT_PARTNERS
    stages.append(
        (
            lambda: (positions != scored.requester) & (index.is_hub if hosts_only else True),
            lambda n: "the network has no other " + ("hubs" if hosts_only else "organisations")
            + " yet",
        )
    )  # fmt: skip
    if kind is K.SHADOWING:
        stages.append((lambda: index.accepts_visits, lambda n: "no other hub accepts visits"))
    if kind in WINDOW_KIND:
        capacity = index.desks if kind is K.HOT_DESKING else index.residency_places
        what = "free desks" if kind is K.HOT_DESKING else "residency places"
        stages.append((lambda: capacity > 0, lambda n: f"no other hub offers {what}"))
        days = scored.overlap_days
        assert days is not None
        stages.append(
            (
                lambda: days >= MIN_DAYS[kind],
                lambda n: (
                    f"{_count(n, 'hub')} with {what}, but none for at least {MIN_DAYS[kind]} days "
                    f"in {_describe_periods(scored.periods)}"
                ),
            )
        )
    if kind in NEED_BASED_KINDS:
        stages.append(
            (
                lambda: scored.values["answers_my_needs"] > 0,
                lambda n: (
                    f"no hub that could host ({n} considered) offers anything that answers "
                    f"the needs of {me.name}"
                ),
            )
        )
    else:
        values = scored.values
        stages.append(
            (
                lambda: (values["answers_my_needs"] > 0) | (values["answers_their_needs"] > 0)
                | (values["collaboration"] > 0)
                | (values["network"] > 0) | (values["disciplines"] > 0),
                lambda n: f"no organisation has competences, disciplines or partners in common "
                f"with {me.name} yet",
            )
        )  # fmt: skip
    stages.append(
        (
            lambda: ~np.isin(positions, list(index.open.get((scored.requester, kind), ()))),
            lambda n: f"you already have an open {kind.label} with every matching hub ({n})",
        )
    )
    stages.extend(_filter_stages(index, scored, query))
    eligible = np.ones(len(index), dtype=bool)
    for mask, message in stages:
        before = int(eligible.sum())
        eligible &= mask()
        if before and not eligible.any():
            scored.reason = message(before)
            break
    scored.eligible = eligible


def _filter_stages(index: MatchIndex, scored: Scored, query: MatchQuery
                   ) -> list[tuple[Callable[[], np.ndarray], Callable[[int], str]]]:  # fmt: skip
    stages: list[tuple[Callable[[], np.ndarray], Callable[[int], str]]] = []
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
        if np.isnan(index.latitudes[scored.requester]):
            scored.notes.append("the distance filter needs your hub's coordinates: ignored")
        else:
            stages.append(
                (
                    lambda: np.nan_to_num(scored.distances, nan=np.inf) <= limit,
                    lambda n: f"{_count(n, 'candidate')} match, but none within {limit:,.0f} km",
                )
            )
    return stages


def _label_stage(
    matrix: sparse.csr_matrix, labels: list[str], chosen: frozenset[str], verb: str
) -> tuple[Callable[[], np.ndarray], Callable[[int], str]]:
    """Keep organisations with any of the chosen labels (disciplines, languages)."""
    columns = [i for i, value in enumerate(labels) if value in chosen]
    text = ", ".join(sorted(chosen))
    return (
        lambda: np.asarray(matrix[:, columns].sum(axis=1)).ravel() > 0,
        lambda n: f"{_count(n, 'candidate')} match, but none {verb} {text}",
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _describe_periods(periods: list[tuple[date, date]]) -> str:
    return ", ".join(f"{_day(a)} – {_day(b)}" for a, b in periods) or "the dates asked"
