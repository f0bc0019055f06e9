"""Consortia for funding calls: the best partner sets around a hub, with what they lack.

The public face: the call's data (`types`) and `propose_consortia` (`proposals`), exact by
integer programming for hundreds of candidates and greedy beyond (`greedy`), after the
candidates that cannot matter are dropped (`pool`).
"""

from matchmaker.matching.consortia.proposals import (
    EXACT,
    GREEDY,
    missing_for,
    partner_score,
    propose_consortia,
)
from matchmaker.matching.consortia.types import Call, Candidate, Consortium, ConsortiumProposals

__all__ = [
    "EXACT",
    "GREEDY",
    "Call",
    "Candidate",
    "Consortium",
    "ConsortiumProposals",
    "missing_for",
    "partner_score",
    "propose_consortia",
]
