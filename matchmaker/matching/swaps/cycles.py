"""Legs, rings and their dates as plain integers: the barter-exchange vocabulary of swaps.

Kept apart from `swaps.py` so the optimiser (`swap_pricing`, `swap_packing`) works on hub
positions, day bitmasks and weights, and can be tested and timed on its own. A day bitmask
has bit `i` set when day `i` of the clearing period is usable; a ring needs `min_days`
consecutive days usable on every one of its legs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Arc:
    """One possible leg: the members of hub `guest` use the desks of hub `host`."""

    guest: int  # position of the hub, 0..n-1
    host: int
    weight: float
    days: int  # bitmask of the period's days on which the host can seat the guest's members


@dataclass(frozen=True)
class Cycle:
    """A ring of hubs, each the guest of the next: hubs[i]'s members use hubs[i+1]'s desks."""

    hubs: tuple[int, ...]
    weight: float
    days: int  # the days common to every leg


def has_run(days: int, length: int) -> bool:
    """Whether the bitmask holds at least `length` consecutive set bits."""
    if length <= 1:
        return days != 0
    run = days
    for _ in range(length - 1):
        run &= run >> 1
        if not run:
            return False
    return True


def longest_run(days: int) -> tuple[int, int]:
    """(first day, length) of the longest stretch of set bits; the earliest on ties."""
    best_start, best_length, start, position = 0, 0, -1, 0
    while days:
        if days & 1:
            if start < 0:
                start = position
            if position - start + 1 > best_length:
                best_start, best_length = start, position - start + 1
        else:
            start = -1
        days >>= 1
        position += 1
    return best_start, best_length


def enumerate_cycles(arcs: Sequence[Arc], hub_count: int, cap: int, min_days: int) -> list[Cycle]:
    """Every ring of 2..cap distinct hubs whose legs share `min_days` consecutive days.

    Each ring is listed once, starting from its lowest hub position; a prefix whose
    common days already lack such a stretch is abandoned, as no longer ring can regain it.
    Their number grows as legs per hub to the power cap - 1: for caps above 3 only.
    """
    outgoing: list[list[Arc]] = [[] for _ in range(hub_count)]
    for arc in arcs:
        if arc.guest != arc.host:
            outgoing[arc.guest].append(arc)
    cycles: list[Cycle] = []

    def extend(start: int, path: list[int], days: int, weight: float) -> None:
        for arc in outgoing[path[-1]]:
            common = days & arc.days
            if not has_run(common, min_days):
                continue
            if arc.host == start:
                if len(path) >= 2:
                    cycles.append(Cycle(tuple(path), weight + arc.weight, common))
            elif arc.host > start and len(path) < cap and arc.host not in path:
                path.append(arc.host)
                extend(start, path, common, weight + arc.weight)
                path.pop()

    if cap >= 2:
        for start in range(hub_count):
            extend(start, [start], -1, 0.0)  # -1: every day, until the first leg narrows it
    return cycles
