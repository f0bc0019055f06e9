"""The desk-day ledger: over time every hub should give about as many desk-days as it takes.

A completed ring adds, for each leg, the desk-days the host gave and the guest took; a
hub's balance (given minus taken) weighs its legs in the next clearing (`ledger_factor`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from matchmaker.matching.swaps.types import SwapRing, SwapRules


@dataclass(frozen=True)
class DeskStay:
    """Completed hosting: `host_id` seated `guest_id`'s members for `desk_days` desk-days."""

    host_id: int
    guest_id: int
    desk_days: int


def desk_day_ledger(stays: Iterable[DeskStay]) -> dict[int, int]:
    """Each hub's desk-days given minus taken; the next clearing reads it as `balance`."""
    balance: dict[int, int] = defaultdict(int)
    for stay in stays:
        balance[stay.host_id] += stay.desk_days
        balance[stay.guest_id] -= stay.desk_days
    return dict(balance)


def stays_of(ring: SwapRing) -> tuple[DeskStay, ...]:
    """The ledger entries a ring makes once it has happened."""
    return tuple(DeskStay(leg.host_id, leg.guest_id, leg.desk_days) for leg in ring.legs)


def ledger_factor(balance: float, rules: SwapRules) -> float:
    """How much a guest's legs weigh, from its desk-day balance (`swaps` docstring)."""
    if rules.ledger_scale <= 0:
        return 1.0
    return 1.0 + rules.ledger_weight * max(-1.0, min(1.0, balance / rules.ledger_scale))
