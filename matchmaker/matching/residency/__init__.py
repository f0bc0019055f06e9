"""Residency rounds: a stable allocation of applicants to hosts within places and budget.

The public face: the round's data (`types`), `allocate_round` with its stability checks
(`allocation`), the hosts' rankings from the engine's scores (`rankings`), and the words
that explain a placement or its absence (`reasons`).
"""

from matchmaker.matching.residency.allocation import (
    allocate_round,
    blocking_pairs,
    first_by_id,
    stable_allocation,
)
from matchmaker.matching.residency.rankings import host_rankings, rank_by_score
from matchmaker.matching.residency.reasons import placement_text, unplaced_reason
from matchmaker.matching.residency.types import (
    Applicant,
    Host,
    LeftOut,
    Placement,
    ResidencyRound,
    RoundAllocation,
)

__all__ = [
    "Applicant",
    "Host",
    "LeftOut",
    "Placement",
    "ResidencyRound",
    "RoundAllocation",
    "allocate_round",
    "blocking_pairs",
    "first_by_id",
    "host_rankings",
    "placement_text",
    "rank_by_score",
    "stable_allocation",
    "unplaced_reason",
]
