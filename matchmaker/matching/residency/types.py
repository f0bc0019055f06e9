"""A residency round's shared data: the round's rules, applicants, hosts and the result.

Apart from the allocation so that the reasons import them without importing it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ResidencyRound:
    starts_on: date
    ends_on: date
    budget: float
    cost_per_residency: float = 0.0
    cost_per_week: float = 0.0
    weeks: int | None = None  # a residency's length; None: the round's days in started weeks

    def cost_of(self, applicant: Applicant) -> float:
        weeks = applicant.weeks or self.weeks
        if weeks is None:
            weeks = math.ceil(((self.ends_on - self.starts_on).days + 1) / 7)
        return self.cost_per_residency + self.cost_per_week * weeks


@dataclass(frozen=True)
class Applicant:
    id: int
    name: str
    hosts: tuple[int, ...]  # host ids, most wanted first
    applied_at: datetime | None = None
    weeks: int | None = None  # length asked for; None: the round's


@dataclass(frozen=True)
class Host:
    id: int
    name: str
    places: int
    applicants: tuple[int, ...]  # applicant ids, most wanted first


@dataclass(frozen=True)
class Placement:
    applicant_id: int
    host_id: int
    cost: float
    applicant_choice: int  # 1: the applicant's first choice
    host_choice: int  # 1: the host's first choice
    explanation: str


@dataclass(frozen=True)
class LeftOut:
    applicant_id: int
    cause: str  # "budget", "full" (turned down), "not ranked", "no hosts"
    reason: str


@dataclass(frozen=True)
class RoundAllocation:
    """The proposal: who goes where, who is left out and why, and what it costs."""

    placements: tuple[Placement, ...]
    left_out: tuple[LeftOut, ...]
    total_cost: float
    budget: float
    budget_binding: bool  # the budget left out someone the places would have taken
    reason: str
