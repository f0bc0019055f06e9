"""The swap clearing's shared data: participants, rules, legs, rings and the clearing.

Apart from the algorithms so that the ledger, the explanations, the packing and the
clearing import them without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from matchmaker.matching.network import Window

METHOD = (
    "column generation over rings and an integer program (scipy HiGHS), "
    "proven optimal by reduced costs"
)

SwapScore = Mapping[tuple[int, int], float] | Callable[[int, int], float]
"""(giver id, taker id) -> score in [0, 1]: how well the giver's desks suit the taker."""


@dataclass(frozen=True)
class SwapParticipant:
    """A hub in the clearing: it sends `members` people and offers desks in `windows`."""

    organisation_id: int
    name: str
    members: int  # how many of its members want desks elsewhere
    windows: tuple[Window, ...]  # desk windows: dates and free desks (`places`)
    balance: float = 0.0  # desk-days given minus taken so far (`swap_ledger`)


@dataclass(frozen=True)
class SwapRules:
    """The clearing's settings; the module docstring says what each one does."""

    cycle_cap: int = 3  # most hubs in a ring
    min_days: int = 5  # shortest stay, in consecutive days
    max_hosts_per_hub: int | None = None  # legs kept per guest hub; None: all of them
    ledger_weight: float = 0.25  # at most +-25% on a leg's weight...
    ledger_scale: float = 20.0  # ...reached at 20 desk-days owed or owing
    time_limit_s: float | None = 10.0  # past it, the best rings found (`optimal` False)


@dataclass(frozen=True)
class SwapEdge:
    """A possible leg of the clearing, already weighted."""

    guest_id: int
    host_id: int
    score: float
    weight: float
    days: int  # bitmask: bit i set when the host can seat the guest on day starts_on + i


@dataclass(frozen=True)
class SwapGraph:
    starts_on: date
    ends_on: date
    participants: tuple[SwapParticipant, ...]
    edges: tuple[SwapEdge, ...]


@dataclass(frozen=True)
class Leg:
    guest_id: int
    host_id: int
    members: int
    starts_on: date
    ends_on: date
    score: float

    @property
    def desk_days(self) -> int:
        return self.members * ((self.ends_on - self.starts_on).days + 1)


@dataclass(frozen=True)
class SwapRing:
    legs: tuple[Leg, ...]
    weight: float
    explanation: str

    @property
    def starts_on(self) -> date:
        return self.legs[0].starts_on

    @property
    def ends_on(self) -> date:
        return self.legs[0].ends_on


@dataclass(frozen=True)
class LeftOutHub:
    organisation_id: int
    reason: str


@dataclass(frozen=True)
class SwapClearing:
    """The proposed rings, and a reason for every hub left out and for the clearing."""

    rings: tuple[SwapRing, ...]
    objective: float
    left_out: tuple[LeftOutHub, ...]
    rings_considered: int  # rings the solver examined (not every possible one)
    reason: str
    optimal: bool = True  # proven the maximum over every ring of the compatibility graph
    bound: float = 0.0  # no set of rings can weigh more
    method: str = METHOD
