"""The named signals and scores of every candidate, for one requesting organisation (a
query) or a block of them (a refresh), and why nobody is left when nobody is.

Everything is computed for all candidates at once (row products and array operations);
a block has one row per requester, and a query is a block of one row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import numpy as np
from threadpoolctl import threadpool_limits

from matchmaker.matching.constraints import (
    FULL_DAYS,
    NEED_BASED_KINDS,
    WINDOW_KIND,
    eligibility,
)
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.kept_signals import KEPT, KeptSignals
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.matching.message import Day, Kind, Message, said
from matchmaker.matching.places import distances_km
from matchmaker.matching.query import DEFAULT_HORIZON, MatchQuery
from matchmaker.matching.scored import Scored, ScoredBlock
from matchmaker.matching.weights import REPEAT_PENALTY, SIGNALS

K = ExchangeKind
# Kinds where both sides give and take, so complementarity counts both directions.
MUTUAL_KINDS = frozenset({K.HOT_DESKING, K.PROJECT_PARTNERS})


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


def requester_problem(index: MatchIndex, requester: int, query: MatchQuery) -> Message | None:
    """Why this requester cannot get suggestions of this kind at all, if so."""
    me = index.organisations[requester]
    kind = query.kind
    if kind in NEED_BASED_KINDS and not me.needs:
        return said(
            "%(name)s lists no needs yet, so there is nothing to match for a %(kind)s: "
            "add what your hub wants to learn or get",
            name=me.name,
            kind=Kind(kind),
        )
    if kind is K.HOT_DESKING:
        if not me.desks or not me.windows_of(AvailabilityKind.DESKS):
            return said(
                "%(name)s lists no free desks, and a swap is two-way: add the dates your "
                "desks are free to swap with other hubs",
                name=me.name,
            )
        if not _periods(index, requester, query):
            if query.starts_on:
                return said("%(name)s has no desks free in the dates asked for", name=me.name)
            return said(
                "%(name)s has no desks free from today to %(end)s",
                name=me.name,
                end=Day(index.network.today + DEFAULT_HORIZON),
            )
    if kind is K.PROJECT_PARTNERS and not (
        me.needs or me.services or index.collaboration.degree[requester]
    ):
        return said(
            "%(name)s has no services, needs or past projects yet, so there is nothing to "
            "find partners on: add what your hub offers and needs",
            name=me.name,
        )
    return None


class SharedSignals:
    """The signals every kind has in common, for a block of requesters (`rows`): a refresh
    of several kinds computes them once per block, and a kind that scores only some of
    the rows (the others have a `requester_problem`) reads theirs. A query (one row)
    passes the index's `kept_signals`: the costliest come from, and go to, there. Read,
    never changed."""

    def __init__(self, rows: np.ndarray, kept: KeptSignals | None = None) -> None:
        self.rows = rows
        self.at = {int(row): n for n, row in enumerate(rows)}
        self.values: dict[str, np.ndarray] = {}
        self.kept = kept if len(rows) == 1 else None

    def get(
        self, name: str, rows: np.ndarray, compute: Callable[[np.ndarray], np.ndarray]
    ) -> np.ndarray:
        if name not in self.values:
            if self.kept is not None and name in KEPT:
                row = int(self.rows[0])
                self.values[name] = self.kept.get(row, name, lambda: compute(self.rows))
            else:
                self.values[name] = compute(self.rows)
        if np.array_equal(rows, self.rows):
            return self.values[name]
        return self.values[name][[self.at[int(row)] for row in rows]]


def base_signals(
    index: MatchIndex,
    rows: np.ndarray,
    query: MatchQuery,
    shared: SharedSignals | None = None,
) -> dict[str, np.ndarray]:
    """The signals that come from matrix products, for several requesters (rows) at once:
    one query computes them for one row, a refresh of everyone in blocks (and of several
    kinds, the common ones once, through `shared`)."""
    kind = query.kind
    common = shared or SharedSignals(rows, index.kept_signals)
    values: dict[str, np.ndarray] = {}
    one_way = common.get("answers_my_needs", rows, index.text.answered_by_all)
    values["answers_my_needs"] = one_way
    if kind in MUTUAL_KINDS:
        values["answers_their_needs"] = common.get(
            "answers_their_needs", rows, index.text.answering_all
        )
        values["complementarity"] = harmonic_mean(one_way, values["answers_their_needs"])
    else:
        values["complementarity"] = one_way
    values["disciplines"] = common.get("disciplines", rows, lambda r: _disciplines(index, r))
    values["languages"] = common.get("languages", rows, lambda r: _languages(index, r))
    values["network"] = common.get("network", rows, lambda r: _proximity(index, r))
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


def _disciplines(index: MatchIndex, rows: np.ndarray) -> np.ndarray:
    """Jaccard similarity of the disciplines of each of `rows` with everyone's."""
    disciplines = index.disciplines_dense
    shared = disciplines[rows] @ disciplines.T
    union = index.discipline_counts[rows, None] + index.discipline_counts[None, :] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def _languages(index: MatchIndex, rows: np.ndarray) -> np.ndarray:
    """1 where a requester of `rows` shares a language with the organisation."""
    languages = index.languages_dense
    return (languages[rows] @ languages.T > 0).astype(float)


def _proximity(index: MatchIndex, rows: np.ndarray) -> np.ndarray:
    """Closeness in the collaboration graph, in [0, 1)."""
    proximity = index.collaboration.adamic_adar_rows(rows)
    proximity.data = 1.0 - np.exp(-proximity.data)  # 0 stays 0: only the nonzeros change
    return proximity.toarray()


# One BLAS thread: the dense products here are one row, or a small block of rows, against
# the network, and a refresh already runs a process per core. A pool of BLAS threads spins
# more than it helps (measured: one row's discipline product 0.3 ms → 4 ms at 100,000 hubs
# on two busy cores; a refresh half as fast).
@threadpool_limits.wrap(limits=1, user_api="blas")
def score_block(
    index: MatchIndex,
    rows: np.ndarray,
    query: MatchQuery,
    shown: Mapping[int, int] | None = None,
    distances: np.ndarray | None = None,
    *,
    explain: bool = False,
    shared: SharedSignals | None = None,
) -> tuple[ScoredBlock, str | None]:
    """Score every organisation for each of `rows` (requesters without a
    `requester_problem`). `shown` (positions → times) and `distances` (rows ×
    organisations, computed here when a filter needs them) come from a query; with
    `explain` (a block of one row) also returns why nobody is eligible. `shared`: see
    `base_signals`."""
    kind, size = query.kind, len(index)
    block = ScoredBlock(
        rows, query, base_signals(index, rows, query, shared), np.zeros(0), np.zeros(0)
    )
    if distances is None and query.max_distance_km is not None:
        distances = distances_km(index.places, rows)
    block.distances = distances
    values = block.values
    values["feedback"] = index.feedback
    if kind in WINDOW_KIND:
        _availability(index, block)
    weights = index.weights[kind]
    total = sum(weights.get(name, 0.0) for name in SIGNALS if name in values)
    score = sum(weights.get(name, 0.0) * values[name] for name in SIGNALS if name in values)
    block.score = np.asarray(score, dtype=float) / total if total else np.zeros((len(rows), size))
    penalty = weights.get(REPEAT_PENALTY, 0.0)
    for i, row in enumerate(rows):
        completed: Mapping[int, int] = index.completed.get((int(row), kind), {})
        if shown or completed:  # mostly neither: the factor would be 1 everywhere
            block.score[i] *= _repetition_factor(size, shown or {}, completed, penalty)
    block.eligible, reason = eligibility(index, block, explain)
    return block, reason


def _availability(index: MatchIndex, block: ScoredBlock) -> None:
    """Overlap of each candidate's windows with the wanted periods: one row for all when
    the periods are the query's, one row each when they are the requester's (swaps)."""
    kind, query = block.query.kind, block.query
    table = index.windows[WINDOW_KIND[kind]]
    rows = block.rows if kind is K.HOT_DESKING else block.rows[:1]
    block.periods = [_periods(index, int(row), query) for row in rows]
    overlaps = [table.best_overlap(periods) for periods in block.periods]
    days = np.stack([d for d, _ in overlaps])
    block.overlap_days, block.overlap_window = days, np.stack([w for _, w in overlaps])
    block.values["availability"] = np.minimum(1.0, days / FULL_DAYS[kind])


def _repetition_factor(
    size: int, shown: Mapping[int, int], completed: Mapping[int, int], penalty: float
) -> np.ndarray:
    """Lower the score of pairs shown again and again, or already done for this kind."""
    repeats = np.zeros(size)
    for candidate, times in shown.items():
        repeats[candidate] += times
    for candidate, times in completed.items():
        repeats[candidate] += 2 * times
    return 1.0 / (1.0 + penalty * repeats)


def score_candidates(
    index: MatchIndex,
    requester: int,
    query: MatchQuery,
    shown: Mapping[int, int] | None = None,
    with_distances: bool = True,
    keep: bool = True,
) -> Scored:
    """`shown`: how often each candidate (by id) was already suggested to this requester
    for this kind; it changes with every view, so it is read per query, not indexed.
    `keep`: take and leave the requester's costliest signals in the index's
    `kept_signals` (a batch of requesters does not)."""
    scored = Scored(requester, query)
    scored.shown = {
        index.position[c]: times for c, times in (shown or {}).items() if c in index.position
    }
    size = len(index)
    if with_distances or query.max_distance_km is not None:
        scored.distances = distances_km(index.places, requester)
    scored.eligible = np.zeros(size, dtype=bool)
    scored.score = np.zeros(size)
    if problem := requester_problem(index, requester, query):
        scored.reason = problem
        return scored
    distances = scored.distances[None, :] if len(scored.distances) else None
    rows = np.array([requester])
    block, scored.reason = score_block(
        index,
        rows,
        query,
        scored.shown,
        distances,
        explain=True,
        shared=None if keep else SharedSignals(rows),
    )
    scored.values = {name: v if v.ndim == 1 else v[0] for name, v in block.values.items()}
    scored.score, scored.eligible = block.score[0], block.eligible[0]
    if block.overlap_days is not None and block.overlap_window is not None:
        scored.overlap_days, scored.overlap_window = block.overlap_days[0], block.overlap_window[0]
        scored.periods = block.periods[0]
    scored.notes = block.notes
    return scored
