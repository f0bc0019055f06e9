"""Ranked, explained suggestions for one hub and one query: the engine's front door.

Empty results always say why (no needs, nobody can host, the filters left nobody...);
results are deterministic: equal scores are ordered by organisation id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from matchmaker.matching.explain import Reason, explain_all
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.network import Organisation
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.signals import score_candidates


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
    reason: str | None = None  # why there are none, when there are none
    notes: tuple[str, ...] = field(default_factory=tuple)
    eligible: int = 0  # how many organisations passed every constraint and filter


def suggest(index: MatchIndex, requester_id: int, query: MatchQuery) -> Suggestions:
    if problems := query.problems():
        raise QueryError(problems)
    if requester_id not in index.position:
        return Suggestions(query, None, reason="this organisation is not in the network")
    requester = index.position[requester_id]
    me = index.organisations[requester]
    if len(index) < 2:
        return Suggestions(query, me, reason="the network has no other organisations yet")
    scored = score_candidates(index, requester, query)
    notes = list(scored.notes)
    if not index.projects_of.get(requester) and not index.completed_any(requester):
        notes.append(f"{me.name} has no past projects or exchanges yet: ranked on its profile")
    candidates = np.flatnonzero(scored.eligible)
    if not len(candidates):
        return Suggestions(query, me, reason=scored.reason, notes=tuple(notes))
    best = [int(p) for p in ranked(index, scored.score, candidates)[: query.limit]]
    items = tuple(
        Suggestion(
            organisation=index.organisations[p],
            score=round(float(scored.score[p]), 4),
            signals={name: round(float(values[p]), 4) for name, values in scored.values.items()},
            reasons=tuple(reasons),
        )
        for p, reasons in zip(best, explain_all(index, scored, best), strict=True)
    )
    return Suggestions(query, me, items, notes=tuple(notes), eligible=len(candidates))


def ranked(index: MatchIndex, score: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Candidates by descending score, equal scores by ascending id."""
    order = np.lexsort((index.ids[candidates], -np.round(score[candidates], 9)))
    return candidates[order]


def top_for_all(index: MatchIndex, query: MatchQuery) -> dict[int, list[tuple[int, float]]]:
    """Every organisation's top `query.limit` candidates (ids and scores), without
    explanations: what a digest or a nightly refresh needs."""
    top: dict[int, list[tuple[int, float]]] = {}
    for requester, organisation in enumerate(index.organisations):
        scored = score_candidates(index, requester, query)
        candidates = np.flatnonzero(scored.eligible)
        if len(candidates) > query.limit:
            cut = np.argpartition(-scored.score[candidates], query.limit - 1)[: query.limit]
            candidates = candidates[cut]
        top[organisation.id] = [
            (int(index.ids[p]), float(scored.score[p]))
            for p in ranked(index, scored.score, candidates)[: query.limit]
        ]
    return top
