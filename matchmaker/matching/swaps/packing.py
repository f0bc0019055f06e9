"""Disjoint swap rings of maximum total weight, exactly, without listing every ring.

Why not one integer program over every ring: 300 hubs that can each visit about 100 others
have some 700,000 possible 3-rings; listing them takes minutes and HiGHS does not solve
that program in minutes either. The cycle formulation of kidney exchange (one variable per
ring, each hub in at most one chosen ring) admits a proof that looks at a few thousand:

1. **Relaxation by column generation.** The linear relaxation over a master set of rings
   gives each hub a price (its dual); `swap_pricing` adds, for each hub, the rings starting
   there whose weight most exceeds their hubs' prices, until none is left or the bound
   below meets the relaxation. The master is solved by HiGHS' interior point method without
   crossover, whose central prices make the generation converge in a dozen rounds.
2. **Bound.** Raising each hub's price by the best reduced cost of the rings starting there
   makes the prices feasible for the dual of the relaxation over *every* ring, so no
   packing weighs more than their sum (weak duality).
3. **Packing and proof (reduced-cost fixing).** Under those prices a packing weighs at most
   the bound plus its rings' reduced costs, all ≤ 0. The integer program
   (scipy.optimize.milp) over every ring of reduced cost above −δ gives a packing of weight
   z; if bound − z ≤ δ, a heavier packing would need a ring outside that set, so z is the
   optimum over all rings. Otherwise δ grows fourfold. δ starts at 10⁻⁴ of the bound:
   when the relaxation is nearly integral, as with the engine's scores, a few hundred
   rings settle it at once.

A time limit, or a proof needing more than `PROOF_LIMIT` rings (when the relaxation is far
from integral), returns the best packing found with `optimal=False` and the bound.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csc_array

from matchmaker.matching.swaps.cycles import Arc, Cycle
from matchmaker.matching.swaps.pricing import RingList, RingMatrix

PER_START = 4  # rings added per starting hub and round of column generation
PROOF_LIMIT = 300_000  # most rings the proof may need
DELTA_START = 1e-4  # the first reduced-cost margin, relative to the bound
EPSILON = 1e-9
TOLERANCE = 1e-6  # the interior point method's, relative: prices need not be exact


@dataclass(frozen=True)
class Packing:
    chosen: tuple[Cycle, ...]
    weight: float
    optimal: bool  # proven the maximum over every ring
    bound: float  # no packing weighs more
    rings_examined: int  # rings the solver looked at, out of all possible
    ringless: frozenset[int] = frozenset()  # hubs left out that no ring could take at all


class _Clock:
    def __init__(self, limit_s: float | None) -> None:
        self.deadline = None if limit_s is None else time.perf_counter() + limit_s

    def left(self) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.perf_counter())

    def out(self) -> bool:
        left = self.left()
        return left is not None and left <= 0


class _Master:
    """The rings generated so far, as hub-position rows padded with -1."""

    def __init__(self, pricer: RingMatrix | RingList, hub_count: int) -> None:
        self.pricer, self.hub_count = pricer, hub_count
        self.rings = np.zeros((0, pricer.width), dtype=np.int64)
        self.weights = np.zeros(0)
        self.known: set[tuple[int, ...]] = set()

    def add(self, rings: np.ndarray) -> int:
        fresh = [i for i, ring in enumerate(map(tuple, rings.tolist())) if ring not in self.known]
        if fresh:
            self.known.update(map(tuple, rings[fresh].tolist()))
            self.rings = np.concatenate([self.rings, rings[fresh]])
            self.weights = np.concatenate([self.weights, self.pricer.weights(rings[fresh])])
        return len(fresh)

    def relax(self, clock: _Clock) -> tuple[float, np.ndarray] | None:
        """The relaxation's value and hub prices, or None if the time ran out."""
        from scipy.optimize import OptimizeWarning, linprog  # slow to import: where it is used

        membership = _membership(self.rings, self.hub_count)
        attempts: list[tuple[str, dict[str, object]]] = [
            ("highs-ipm", {"run_crossover": "off", "ipm_optimality_tolerance": TOLERANCE}),
            ("highs", {}),
        ]
        for method, options in attempts:
            left = clock.left()
            if left is not None:
                options = {**options, "time_limit": max(left, 1e-3)}
            with warnings.catch_warnings():  # run_crossover goes to HiGHS as it is
                warnings.simplefilter("ignore", OptimizeWarning)
                result = linprog(
                    -self.weights,
                    A_ub=membership,
                    b_ub=np.ones(self.hub_count),
                    bounds=(0, None),
                    method=method,
                    options=options,
                )
            if result.status == 0:
                return -result.fun, np.maximum(-result.ineqlin.marginals, 0.0)
        return None


def _membership(rings: np.ndarray, hub_count: int) -> csc_array:
    used = rings >= 0
    columns = np.nonzero(used)[0]
    return csc_array((np.ones(len(columns)), (rings[used], columns)), shape=(hub_count, len(rings)))


def _greedy(rings: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Rows of disjoint rings taken heaviest first: a packing at once."""
    taken: set[int] = set()
    chosen = []
    for row in np.argsort(-weights, kind="stable"):
        hubs = {int(h) for h in rings[row] if h >= 0}
        if not hubs & taken:
            taken |= hubs
            chosen.append(row)
    return np.array(chosen, dtype=np.int64)


def _best_packing(
    rings: np.ndarray, weights: np.ndarray, hub_count: int, clock: _Clock
) -> tuple[np.ndarray, bool]:
    """Rows of the heaviest disjoint rings among `rings`, and whether proven; greedy by
    weight when the time limit leaves the integer program without any packing."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # slow to import: where it is used

    if not len(rings):
        return np.zeros(0, dtype=np.int64), True
    options: dict[str, float] = {"mip_rel_gap": 0.0}
    left = clock.left()
    if left is not None:
        options["time_limit"] = max(left, 1e-3)
    result = milp(
        -weights,
        integrality=np.ones(len(rings)),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(_membership(rings, hub_count), -np.inf, 1),
        options=options,
    )
    if result.x is not None:
        return np.flatnonzero(result.x > 0.5), result.status == 0
    return _greedy(rings, weights), False


def pack_rings(
    arcs: Sequence[Arc],
    hub_count: int,
    cap: int,
    min_days: int,
    time_limit_s: float | None = None,
) -> Packing:
    """Disjoint rings of 2..cap hubs, sharing `min_days` consecutive days, of maximum total
    weight (module docstring); caps above 3 enumerate every ring first."""
    clock = _Clock(time_limit_s)
    if cap <= 3:
        pricer: RingMatrix | RingList = RingMatrix(arcs, hub_count, cap, min_days)
    else:
        pricer = RingList(arcs, hub_count, cap, min_days)
    master = _Master(pricer, hub_count)
    duals, value = np.zeros(hub_count), 0.0
    bound, prices = np.inf, duals
    while True:
        priced = pricer.price(duals, 0.0, PER_START, 0)
        assert priced is not None  # only a full pricing can overflow
        repaired = duals + np.maximum(priced.best_by_start, 0.0)
        if repaired.sum() < bound:
            bound, prices = float(repaired.sum()), repaired
        if bound - value <= 1e-6 * max(1.0, value) or not master.add(priced.rings):
            break
        relaxed = None if clock.out() else master.relax(clock)
        if relaxed is None:
            break
        value, duals = relaxed
    chosen = _greedy(master.rings, master.weights)
    rings, weights = master.rings[chosen], master.weights[chosen]
    seen = set(master.known)
    proven, delta = False, DELTA_START * max(1.0, bound)
    while not clock.out():
        if bound - weights.sum() <= EPSILON * max(1.0, bound):
            proven = True
            break
        priced = pricer.price(prices, -delta - EPSILON, None, PROOF_LIMIT)
        if priced is None:
            break
        candidates = np.unique(np.concatenate([priced.rings, rings]), axis=0)
        seen.update(map(tuple, candidates.tolist()))
        weighed = pricer.weights(candidates)
        rows, solved = _best_packing(candidates, weighed, hub_count, clock)
        if weighed[rows].sum() > weights.sum():
            rings, weights = candidates[rows], weighed[rows]
        if solved and bound - weights.sum() <= delta + EPSILON:
            proven = True
        if proven or not solved:
            break
        delta *= 4
    found = tuple(pricer.cycle(ring) for ring in rings)
    total = float(sum(cycle.weight for cycle in found))
    taken = {hub for cycle in found for hub in cycle.hubs}
    ringless = frozenset(
        hub for hub in range(hub_count) if hub not in taken and not pricer.in_some_ring(hub)
    )
    return Packing(found, total, proven, max(bound, total), len(seen), ringless)
