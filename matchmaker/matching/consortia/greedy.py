"""Greedy consortium building, for calls with more candidates than the exact method takes.

Coverage first (the candidate adding most missing competences, preferring a new country,
then the better score), then new countries by score, then the best scores up to the
maximum size; then, if that meets the call, swaps of a member for a better-scoring
outsider while the call stays met. The next proposals are the best single swaps of that
one. When the greedy set does not meet the call, it is the best effort, as it stands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from matchmaker.matching.consortia.types import Call, Candidate

Meets = Callable[[Sequence["Candidate"], "Call"], bool]


def greedy_consortia(
    requester: Candidate,
    pool: Sequence[Candidate],
    call: Call,
    k: int,
    meets: Meets,
    score: Callable[[Candidate], float],
) -> list[list[Candidate]]:
    """Up to k partner lists, the greedy one first; they meet the call when `meets` says so."""
    room = call.max_size - 1
    if room < 1 or not pool:
        return [[]]
    by_score = sorted(pool, key=lambda c: (-score(c), c.id))
    chosen: dict[int, Candidate] = {}
    uncovered = set(call.required_competences - requester.competences)
    countries = {requester.country}

    def add(candidate: Candidate) -> None:
        chosen[candidate.id] = candidate
        uncovered.difference_update(candidate.competences)
        countries.add(candidate.country)

    while uncovered and len(chosen) < room:
        best = max(
            (c for c in pool if c.id not in chosen),
            key=lambda c: (len(c.competences & uncovered), c.country not in countries, score(c)),
            default=None,
        )
        if best is None or not best.competences & uncovered:
            break
        add(best)
    for candidate in by_score:
        if len(countries) >= call.min_countries or len(chosen) >= room:
            break
        if candidate.id not in chosen and candidate.country not in countries:
            add(candidate)
    for candidate in by_score:
        if len(chosen) >= room:
            break
        chosen.setdefault(candidate.id, candidate)
    partners = _improve(requester, list(chosen.values()), by_score, call, meets, score)
    return [partners, *_neighbours(requester, partners, by_score, call, meets, score)[: k - 1]]


def _improve(
    requester: Candidate,
    partners: list[Candidate],
    by_score: Sequence[Candidate],
    call: Call,
    meets: Meets,
    score: Callable[[Candidate], float],
) -> list[Candidate]:
    """Swap a member for a better-scoring outsider while the call stays met, until none."""
    improved = meets([requester, *partners], call)
    while improved:
        improved = False
        inside = {c.id for c in partners}
        for out in sorted(partners, key=score):
            for candidate in by_score:
                if score(candidate) <= score(out):
                    break
                if candidate.id in inside:
                    continue
                trial = [c for c in partners if c is not out] + [candidate]
                if meets([requester, *trial], call):
                    partners, improved = trial, True
                    break
            if improved:
                break
    return partners


def _neighbours(
    requester: Candidate,
    partners: list[Candidate],
    by_score: Sequence[Candidate],
    call: Call,
    meets: Meets,
    score: Callable[[Candidate], float],
) -> list[list[Candidate]]:
    """For each member, the best outsider that can take its place: best totals first."""
    inside = {c.id for c in partners}
    found = []
    for out in partners:
        for candidate in by_score:
            if candidate.id in inside:
                continue
            trial = [c for c in partners if c is not out] + [candidate]
            if meets([requester, *trial], call):
                found.append(trial)
                break
    found.sort(key=lambda trial: -sum(score(c) for c in trial))
    return found
