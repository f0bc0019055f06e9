"""The named signals of every candidate for one requesting organisation and one query,
the constraints of the kind, and why nobody is left when nobody is.

Everything is computed for all candidates at once (row products and array operations).
"""

from __future__ import annotations

from collections.abc import Callable
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
            return f"{me.name} has no desks free in the dates asked for"
    if kind is K.PROJECT_PARTNERS and not (
        me.needs or me.services or index.collaboration.degree[requester]
    ):
        return (
            f"{me.name} has no services, needs or past projects yet, so there is nothing to "
            "find partners on: add what your hub offers and needs"
        )
    return None


def score_candidates(index: MatchIndex, requester: int, query: MatchQuery) -> Scored:
    kind = query.kind
    scored = Scored(requester, query)
    size = len(index)
    me = index.organisations[requester]
    scored.distances = distances_km(me.latitude, me.longitude, index.latitudes, index.longitudes)
    scored.eligible = np.zeros(size, dtype=bool)
    scored.score = np.zeros(size)
    if problem := _requester_problem(index, requester, query):
        scored.reason = problem
        return scored
    values = scored.values
    one_way = index.text.answered_by_all(requester)
    if kind in MUTUAL_KINDS:
        other_way = index.text.answering_all(requester)
        values["complementarity"] = harmonic_mean(one_way, other_way)
    else:
        values["complementarity"] = one_way
    shared = index.disciplines @ index.disciplines[requester].toarray().ravel()
    union = index.discipline_counts[requester] + index.discipline_counts - shared
    values["disciplines"] = np.divide(shared, union, out=np.zeros(size), where=union > 0)
    values["languages"] = (
        index.languages @ index.languages[requester].toarray().ravel() > 0
    ).astype(float)
    values["network"] = 1.0 - np.exp(-index.collaboration.adamic_adar(requester))
    values["feedback"] = index.feedback
    if kind is K.PROJECT_PARTNERS:
        values["collaboration"] = _collaboration(index, requester)
        values["cross_border"] = (index.countries != me.country).astype(float)
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
    scored.score *= _repetition_factor(index, requester, kind, weights.get(REPEAT_PENALTY, 0.0))
    _apply_constraints(index, scored)
    return scored


def _collaboration(index: MatchIndex, requester: int) -> np.ndarray:
    shared = index.collaboration.shared_with(requester)
    proximity = index.collaboration.adamic_adar(requester)
    return 1.0 - np.exp(-(shared + 0.5 * proximity))


def _repetition_factor(index: MatchIndex, requester: int, kind: ExchangeKind, penalty: float
                       ) -> np.ndarray:  # fmt: skip
    """Lower the score of pairs shown again and again, or already done for this kind."""
    repeats = np.zeros(len(index))
    for candidate, times in index.times_shown.get((requester, kind), {}).items():
        repeats[candidate] += times
    for candidate, times in index.completed.get((requester, kind), {}).items():
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
                    f"{n} hubs offer {what}, but none for at least {MIN_DAYS[kind]} days "
                    f"in {_describe_periods(scored.periods)}"
                ),
            )
        )
    if kind in NEED_BASED_KINDS:
        stages.append(
            (
                lambda: scored.values["complementarity"] > 0,
                lambda n: (
                    f"none of the {n} hubs that could host offers anything that answers "
                    f"the needs of {me.name}"
                ),
            )
        )
    else:
        stages.append((lambda: scored.score > 0, lambda n: "no organisation has anything in "
                       f"common with {me.name} yet"))  # fmt: skip
    stages.append(
        (
            lambda: ~np.isin(positions, list(index.open.get((scored.requester, kind), ()))),
            lambda n: f"you already have an open {kind.label} with each of the {n} matching hubs",
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
        wanted = sorted(query.countries)
        stages.append(
            (
                lambda: np.isin(index.countries, wanted),
                lambda n: f"{n} match, but none in {', '.join(wanted)}",
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
                    lambda n: f"{n} match, but none within {limit:,.0f} km",
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
        lambda n: f"{n} match, but none {verb} {text}",
    )


def _describe_periods(periods: list[tuple[date, date]]) -> str:
    return ", ".join(f"{a:%d %b %Y} – {b:%d %b %Y}" for a, b in periods) or "the dates asked"
