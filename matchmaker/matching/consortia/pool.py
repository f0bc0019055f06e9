"""Which candidates can matter to a call: the rest are dropped before the search.

Why: a network with CORDIS data offers tens of thousands of partners, far beyond what the
exact method takes, yet a call only sees a candidate through its country, the required
competences it holds and its score. Two candidates alike in the first two are
interchangeable, so only the best few of each such group can matter:

A consortium has at most `max_size - 1` partners. If a candidate c is outside the best
`max_size - 1 + k - 1` of its group (by score), then any consortium X holding c leaves out
at least k members of the group who score no less than c; swapping c for each of them gives
k different consortia, meeting the call exactly as X does, each scoring at least as much.
Repeating the swap for every dropped member of X, every consortium has k as good made of
kept candidates only; so the k best over the kept candidates score as the k best over all
(and the closest consortium to an impossible call is found among them too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from matchmaker.matching.consortia.types import Call, Candidate


def undominated(
    pool: Sequence[Candidate], call: Call, k: int, score: Callable[[Candidate], float]
) -> list[Candidate]:
    """The candidates that can be in one of the k best consortia, in the pool's order."""
    keep = max(1, call.max_size - 1 + k - 1)
    groups: dict[tuple[str, frozenset[str]], list[Candidate]] = {}
    for candidate in pool:
        group = (candidate.country, candidate.competences & call.required_competences)
        groups.setdefault(group, []).append(candidate)
    kept: set[int] = set()
    for members in groups.values():
        members.sort(key=lambda c: (-score(c), c.id))
        kept.update(c.id for c in members[:keep])
    return [c for c in pool if c.id in kept]
