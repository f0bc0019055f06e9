"""Cycle enumeration and exact cycle packing: the barter-exchange core of hot-desk swaps.

Kept apart from `swaps.py` so the optimiser works on plain integers (hub positions, day
bitmasks, weights) and can be tested and timed on its own. A day bitmask has bit `i` set
when day `i` of the clearing period is usable; a ring needs `min_days` consecutive days
usable on every one of its legs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csc_array


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


@dataclass(frozen=True)
class Packing:
    chosen: tuple[int, ...]  # indices into the cycles given
    weight: float
    optimal: bool  # False only when the time limit stopped the search first


def pack_cycles(
    cycles: Sequence[Cycle], hub_count: int, time_limit_s: float | None = None
) -> Packing:
    """Disjoint cycles of maximum total weight (exact, unless the time limit runs out).

    An integer program solved by HiGHS through `scipy.optimize.milp`: one binary per
    cycle, each hub in at most one chosen cycle, with a zero optimality gap. Weighted
    3-set packing can be hard for a few thousand cycles, hence the limit: past it the best
    packing found is returned with `optimal=False`.
    """
    if not cycles:
        return Packing((), 0.0, True)
    rows = np.fromiter((hub for cycle in cycles for hub in cycle.hubs), dtype=np.int64)
    columns = np.repeat(np.arange(len(cycles)), [len(cycle.hubs) for cycle in cycles])
    membership = csc_array((np.ones(len(rows)), (rows, columns)), shape=(hub_count, len(cycles)))
    weights = np.array([cycle.weight for cycle in cycles])
    options: dict[str, float] = {"mip_rel_gap": 0.0}
    if time_limit_s is not None:
        options["time_limit"] = time_limit_s
    result = milp(
        -weights,
        integrality=np.ones(len(cycles)),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(membership, -np.inf, 1),
        options=options,
    )
    if result.x is None:  # the limit ran out before any packing was found
        return Packing((), 0.0, False)
    chosen = tuple(index for index, value in enumerate(result.x) if value > 0.5)
    return Packing(chosen, float(weights[list(chosen)].sum()), result.status == 0)
