"""A consortium call's shared data: candidates, the call, and the proposed consortia.

Apart from the builders so that the pool and the greedy search import them without
importing the exact builder.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    country: str
    competences: frozenset[str] = frozenset()  # competences and disciplines alike
    score: float = 0.0  # how well it suits the requesting hub, in [0, 1]


@dataclass(frozen=True)
class Call:
    min_partners: int  # members, the requesting hub included
    min_countries: int
    max_size: int  # members, the requesting hub included
    required_competences: frozenset[str] = frozenset()
    # What people call each competence ("Performing arts" for "performing-arts"), for
    # the explanations; a competence without a name is written as given.
    names: tuple[tuple[str, str], ...] = ()

    def name_of(self, competence: str) -> str:
        return dict(self.names).get(competence, competence)


@dataclass(frozen=True)
class Consortium:
    members: tuple[Candidate, ...]  # the requesting hub first
    score: float  # the partners' scores added up
    eligible: bool
    missing: tuple[str, ...]  # what the call asks and this consortium lacks
    explanation: str


@dataclass(frozen=True)
class ConsortiumProposals:
    consortia: tuple[Consortium, ...]
    method: str
    reason: str
