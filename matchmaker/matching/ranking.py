"""Ranked, explained suggestions for one hub and one query: the engine's front door.

Empty results always say why (no needs, nobody can host, the filters left nobody...);
results are deterministic: equal scores are ordered by organisation id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from matchmaker.matching.explain import Reason, explain_all
from matchmaker.matching.forked import can_fork, forked_map
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.message import Message, said
from matchmaker.matching.network import Organisation
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.signals import (
    MUTUAL_KINDS,
    SharedSignals,
    requester_problem,
    score_block,
    score_candidates,
)

# Requesters × organisations computed at once in a refresh: bounds its memory (about
# 100 bytes a cell at its peak, for all its signals), and smaller blocks cost no speed
# (measured at 10,000 hubs: 1,000,000 cells, 100 MB, as fast as 200,000 cells, 20 MB).
BLOCK_CELLS = 200_000


class QueryError(ValueError):
    """The query itself is unusable; `problems` maps each field to the reason."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in problems.items()))
        self.problems = dict(problems)


@dataclass(frozen=True)
class Suggestion:
    organisation: Organisation
    score: float
    signals: Mapping[str, float]
    reasons: tuple[Reason, ...]

    @property
    def strengths(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.kind != "weak")

    @property
    def weaknesses(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.kind == "weak")


@dataclass(frozen=True)
class Suggestions:
    query: MatchQuery
    requester: Organisation | None
    items: tuple[Suggestion, ...] = ()
    reason: Message | None = None  # why there are none, when there are none
    notes: tuple[Message, ...] = field(default_factory=tuple)
    eligible: int = 0  # how many organisations passed every constraint and filter


def suggest(
    index: MatchIndex,
    requester_id: int,
    query: MatchQuery,
    shown: Mapping[int, int] | None = None,
) -> Suggestions:
    """The top `query.limit` candidates with their reasons. `shown` counts how often each
    candidate id was already suggested to this requester for this kind."""
    if problems := query.problems():
        raise QueryError(problems)
    if requester_id not in index.position:
        return Suggestions(query, None, reason=said("this organisation is not in the network"))
    requester = index.position[requester_id]
    me = index.organisations[requester]
    if len(index) < 2:
        return Suggestions(query, me, reason=said("the network has no other organisations yet"))
    scored = score_candidates(index, requester, query, shown)
    notes = list(scored.notes)
    if not index.projects_of.get(requester) and not index.completed_any(requester):
        notes.append(
            said(
                "%(name)s has no past projects or exchanges yet: ranked on its profile",
                name=me.name,
            )
        )
    eligible = int(scored.eligible.sum())
    if not eligible:
        return Suggestions(query, me, reason=scored.reason, notes=tuple(notes))
    top = best(index, scored.score[None], scored.eligible[None], query.limit)[0].tolist()
    items = tuple(
        Suggestion(
            organisation=index.organisations[p],
            score=round(float(scored.score[p]), 4),
            signals={name: round(float(values[p]), 4) for name, values in scored.values.items()},
            reasons=tuple(reasons),
        )
        for p, reasons in zip(top, explain_all(index, scored, top), strict=True)
    )
    return Suggestions(query, me, items, notes=tuple(notes), eligible=eligible)


def best(
    index: MatchIndex, score: np.ndarray, eligible: np.ndarray, limit: int
) -> list[np.ndarray]:
    """For each row of a block (requesters × organisations), the positions of its best
    `limit` eligible candidates: by descending score rounded to 9 places, equal scores by
    ascending id. Only the candidates near each row's cut are sorted."""
    masked = np.where(eligible, score, -np.inf)
    size = masked.shape[1]
    near = eligible
    if size > limit:
        # Each row's limit-th highest score; whoever rounds to the same 9 places may still
        # rank above it by id, hence the margin.
        cut = np.partition(masked, size - limit, axis=1)[:, size - limit, None]
        near = (masked >= cut - 1e-8) & eligible
    rows, columns = np.divmod(np.flatnonzero(near), size)  # 2-D np.nonzero is 10× slower
    order = np.lexsort((index.ids[columns], -np.round(score[rows, columns], 9), rows))
    rows, columns = rows[order], columns[order]
    starts = np.searchsorted(rows, np.arange(len(score) + 1))
    return [columns[a : min(b, a + limit)] for a, b in pairwise(starts)]


def top_for_all(
    index: MatchIndex,
    query: MatchQuery,
    workers: int | None = None,
    requesters: Iterable[int] | None = None,
) -> dict[int, list[tuple[int, float]]]:
    """Every organisation's top `query.limit` candidates (ids and scores), without
    explanations: what a digest or a nightly refresh needs. `requesters` (organisation
    ids) limits it to those, e.g. the hubs that have a manager among tens of thousands of
    organisations. Blocks of requesters are shared among `workers` forked processes
    (default: one per core) on large networks."""
    return top_for_all_kinds(index, [query], workers, requesters)[0]


def top_for_all_kinds(
    index: MatchIndex,
    queries: Sequence[MatchQuery],
    workers: int | None = None,
    requesters: Iterable[int] | None = None,
) -> list[dict[int, list[tuple[int, float]]]]:
    """`top_for_all` of each query, block by block: the signals the kinds share are
    computed once per block of requesters, not once per query."""
    if requesters is None:
        rows = np.arange(len(index))
    else:
        wanted = {index.position[i] for i in requesters if i in index.position}
        rows = np.array(sorted(wanted), dtype=np.int64)
    block = max(1, BLOCK_CELLS // max(1, len(index)))
    blocks = [rows[start : start + block] for start in range(0, len(rows), block)]
    index.text.prepare_blocks(both=any(query.kind in MUTUAL_KINDS for query in queries))

    def refresh(part: np.ndarray) -> list[dict[int, list[tuple[int, float]]]]:
        shared = SharedSignals(part)
        return [_refresh_block(index, query, part, shared) for query in queries]

    if len(rows) < PARALLEL_FROM or not can_fork(workers):
        parts = [refresh(part) for part in blocks]
    else:
        parts = forked_map(lambda n: refresh(blocks[n]), len(blocks), workers)
    return [
        {hub: top for part in parts for hub, top in part[number].items()}
        for number in range(len(queries))
    ]


# Below this many requesters a refresh is quicker than starting processes.
PARALLEL_FROM = 3000


def _refresh_block(
    index: MatchIndex, query: MatchQuery, rows: np.ndarray, shared: SharedSignals
) -> dict[int, list[tuple[int, float]]]:
    able = np.array([requester_problem(index, int(row), query) is None for row in rows], bool)
    found: dict[int, list[tuple[int, float]]] = {int(index.ids[row]): [] for row in rows}
    if able.any():
        scored, _ = score_block(index, rows[able], query, shared=shared)
        for row, positions, score in zip(
            rows[able],
            best(index, scored.score, scored.eligible, query.limit),
            scored.score,
            strict=True,
        ):
            found[int(index.ids[row])] = list(
                zip(index.ids[positions].tolist(), score[positions].tolist(), strict=True)
            )
    return found
