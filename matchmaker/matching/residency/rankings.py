"""Starting rankings for a residency round, from scores: what each applicant and each host
would rank before they adjust it (the engine's residency scores, `exchange_inputs`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from matchmaker.matching.residency.allocation import Applicant, first_by_id

Score = Mapping[tuple[int, int], float] | Callable[[int, int], float]
"""(host id, applicant id) -> score in [0, 1]."""


def host_rankings(applicants: Sequence[Applicant], score: Score) -> dict[int, tuple[int, ...]]:
    """Each host's ranking of the applicants who listed it: best score first, then earlier
    application, then lower id. A starting point that the host may reorder."""
    score_of = score if callable(score) else (lambda h, a: score.get((h, a), 0.0))
    listed: dict[int, list[Applicant]] = {}
    for applicant in first_by_id(applicants):
        for host_id in dict.fromkeys(applicant.hosts):
            listed.setdefault(host_id, []).append(applicant)
    return {
        host_id: tuple(
            a.id
            for a in sorted(
                group,
                key=lambda a: (
                    -score_of(host_id, a.id),
                    a.applied_at is None,
                    a.applied_at or datetime.min,
                    a.id,
                ),
            )
        )
        for host_id, group in listed.items()
    }


def rank_by_score(ids: Iterable[int], score: Callable[[int], float]) -> tuple[int, ...]:
    """Ids by descending score, then ascending id: e.g. hosts suggested to an applicant."""
    return tuple(sorted(dict.fromkeys(ids), key=lambda i: (-score(i), i)))
