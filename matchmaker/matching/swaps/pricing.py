"""Pricing for swap-ring packing: the rings whose reduced cost is above a threshold.

A ring's reduced cost under hub prices `duals` (one per hub, from the packing's linear
relaxation) is its weight minus the prices of its hubs: how much the ring would add to the
relaxation if it were taken. `swap_packing` asks a pricer for the best rings of each
starting hub (a ring starts at its lowest hub position) and, to prove a packing optimal,
for every ring above a threshold, without ever listing every ring of the clearing.

- `RingMatrix` (caps 2 and 3) never lists rings: legs are dense hub × hub arrays, and the
  3-rings a→b→c→a of a starting hub `a` are one broadcast sum of the legs out of `a`, the
  legs among later hubs and the legs back into `a`. Dates are bitmasks of *start days*:
  bit d set when the leg can seat its guests on days d..d+min_days−1, so a ring can run
  exactly when the AND of its legs' start days is not zero (settled once, before pricing).
- `RingList` (any cap) prices a list of rings enumerated beforehand (`enumerate_cycles`),
  which is only practical for tens of hubs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matchmaker.matching.swaps.cycles import Arc, Cycle, enumerate_cycles

WORD = 64
ALL_DAYS = np.uint64(2**WORD - 1)


@dataclass(frozen=True)
class Priced:
    """Rings as hub positions (rows padded with -1), their reduced costs, and the best
    reduced cost of the rings starting at each hub (-inf when none is above the threshold)."""

    rings: np.ndarray
    reduced_costs: np.ndarray
    best_by_start: np.ndarray


def start_days(days: int, min_days: int) -> int:
    """Bit d set when days d..d+min_days-1 are all set: the days a stay may start."""
    start = days
    for shift in range(1, max(1, min_days)):
        start &= days >> shift
    return start


class RingMatrix:
    """Every 2- and 3-ring of a clearing, priced from hub × hub arrays of its legs.

    Whether a ring's legs share a start day does not depend on prices, so it is settled
    once: per starting hub `a`, a block over (b, c) holds the weight of leg b→c where the
    ring a→b→c→a can run, -inf elsewhere; pricing is then sums and comparisons only.
    """

    def __init__(self, arcs: Sequence[Arc], hub_count: int, cap: int, min_days: int) -> None:
        self.size, self.cap, self.width = hub_count, min(cap, 3), 3
        self.weight = np.full((hub_count, hub_count), -np.inf)
        self.arcs = arcs
        self.arc_at = np.full((hub_count, hub_count), -1, dtype=np.int64)
        starts = self._start_days(arcs, min_days)  # hub × hub × words: needed here only
        hubs = np.arange(hub_count)
        starts[hubs, hubs] = ALL_DAYS  # so a 2-ring a→b→a checks as a→b→a→a
        usable = np.isfinite(self.weight)
        self.blocks: list[tuple[np.ndarray, ...]] = []
        self.in_ring = np.zeros(hub_count, dtype=bool)
        for a in range(hub_count):
            outs = np.flatnonzero(usable[a, a + 1 :]) + a + 1
            ins = np.flatnonzero(usable[a + 1 :, a]) + a + 1
            both = np.intersect1d(outs, ins, assume_unique=True)
            pairs = both[(starts[a, both] & starts[both, a]).any(axis=-1)]
            block = np.full((len(outs), len(ins)), -np.inf)
            if self.cap >= 3 and len(outs) and len(ins):
                common = starts[a, outs][:, None] & starts[np.ix_(outs, ins)]
                runs = (common & starts[ins, a][None, :]).any(axis=-1)
                block = np.where(runs, self.weight[np.ix_(outs, ins)], -np.inf)
            rows, columns = np.isfinite(block).any(axis=1), np.isfinite(block).any(axis=0)
            outs, ins, block = outs[rows], ins[columns], block[np.ix_(rows, columns)]
            self.in_ring[np.concatenate([pairs, outs, ins])] = True
            self.in_ring[a] |= bool(len(pairs) or len(outs))
            pair_weights = self.weight[a, pairs] + self.weight[pairs, a]
            legs_out, legs_in = self.weight[a, outs], self.weight[ins, a]
            self.blocks.append((pairs, pair_weights, outs, ins, block, legs_out, legs_in))

    def _start_days(self, arcs: Sequence[Arc], min_days: int) -> np.ndarray:
        """Fill `weight` and return hub × hub × words start-day masks (computed once per
        distinct day mask: legs to one host share it for guests of one size)."""
        start_of: dict[int, int] = {}
        for arc in arcs:
            if arc.days not in start_of:
                start_of[arc.days] = start_days(arc.days, min_days)
        bits = max((start.bit_length() for start in start_of.values()), default=1)
        words = max(1, (bits + WORD - 1) // WORD)
        split = {
            start: [(start >> (WORD * word)) & (2**WORD - 1) for word in range(words)]
            for start in set(start_of.values())
        }
        starts = np.zeros((self.size, self.size, words), dtype=np.uint64)
        kept = [i for i, arc in enumerate(arcs) if start_of[arc.days] and arc.guest != arc.host]
        if kept:
            guests = np.array([arcs[i].guest for i in kept])
            hosts = np.array([arcs[i].host for i in kept])
            self.arc_at[guests, hosts] = kept
            self.weight[guests, hosts] = [arcs[i].weight for i in kept]
            masks = np.array([split[start_of[arcs[i].days]] for i in kept], dtype=np.uint64)
            starts[guests, hosts] = masks
        return starts

    def weights(self, rings: np.ndarray) -> np.ndarray:
        """Each ring's weight: the sum of its legs."""
        a, b, c = rings[:, 0], rings[:, 1], rings[:, 2]
        pair = c < 0
        c = np.where(pair, a, c)
        return np.where(
            pair,
            self.weight[a, b] + self.weight[b, a],
            self.weight[a, b] + self.weight[b, c] + self.weight[c, a],
        )

    def price(
        self, duals: np.ndarray, threshold: float, per_start: int | None, limit: int
    ) -> Priced | None:
        """Rings with reduced cost above `threshold`: the `per_start` best of each starting
        hub, or all of them (None: then None if there are more than `limit`)."""
        best = np.full(self.size, -np.inf)
        found: list[np.ndarray] = []
        costs: list[np.ndarray] = []
        total = 0
        for a, (pairs, pair_weights, outs, ins, block, legs_out, legs_in) in enumerate(self.blocks):
            value = pair_weights - duals[a] - duals[pairs]
            keep = np.flatnonzero(value > threshold)
            b, c, value = pairs[keep], np.full(len(keep), -1), value[keep]
            if len(block):
                # a→b pays a's and b's prices, c→a pays c's: each hub pays once.
                triples = block + (legs_out - duals[a] - duals[outs])[:, None]
                triples += (legs_in - duals[ins])[None, :]
                flat = np.flatnonzero(triples > threshold)
                row, column = np.divmod(flat, len(ins))
                b = np.concatenate([b, outs[row]])
                c = np.concatenate([c, ins[column]])
                value = np.concatenate([value, triples.ravel()[flat]])
            if not len(value):
                continue
            if per_start is not None and len(value) > per_start:
                top = np.argpartition(-value, per_start - 1)[:per_start]
                b, c, value = b[top], c[top], value[top]
            best[a] = value.max()
            total += len(value)
            if per_start is None and total > limit:
                return None
            found.append(np.column_stack([np.full(len(value), a), b, c]))
            costs.append(value)
        if not found:
            return Priced(np.zeros((0, 3), dtype=np.int64), np.zeros(0), best)
        return Priced(np.concatenate(found), np.concatenate(costs), best)

    def cycle(self, ring: Sequence[int]) -> Cycle:
        """The ring as a `Cycle`: its hubs in order, weight and common days."""
        hubs = tuple(int(h) for h in ring if h >= 0)
        legs = list(zip(hubs, hubs[1:] + hubs[:1], strict=True))
        days = -1
        for leg in legs:
            days &= self.arcs[self.arc_at[leg]].days
        return Cycle(hubs, float(sum(self.weight[leg] for leg in legs)), days)

    def in_some_ring(self, hub: int) -> bool:
        """Whether any ring through `hub` can form, whatever its weight."""
        return bool(self.in_ring[hub])


class RingList:
    """Rings of any length, enumerated once, priced as a list."""

    def __init__(self, arcs: Sequence[Arc], hub_count: int, cap: int, min_days: int) -> None:
        self.cycles = enumerate_cycles(arcs, hub_count, cap, min_days)
        self.width = max(2, cap)
        self.rings = np.full((len(self.cycles), self.width), -1, dtype=np.int64)
        for row, found in enumerate(self.cycles):
            self.rings[row, : len(found.hubs)] = found.hubs
        self.ring_weights = np.array([found.weight for found in self.cycles])
        self.row = {tuple(ring): i for i, ring in enumerate(self.rings.tolist())}
        self.members = {hub for found in self.cycles for hub in found.hubs}

    def weights(self, rings: np.ndarray) -> np.ndarray:
        return self.ring_weights[[self.row[tuple(ring)] for ring in rings.tolist()]]

    def price(
        self, duals: np.ndarray, threshold: float, per_start: int | None, limit: int
    ) -> Priced | None:
        padded = np.append(duals, 0.0)  # position -1 pays nothing
        values = self.ring_weights - padded[self.rings].sum(axis=1)
        above = np.flatnonzero(values > threshold)
        starts = self.rings[above, 0]
        best = np.full(len(duals), -np.inf)
        np.maximum.at(best, starts, values[above])
        if per_start is not None:
            order = np.lexsort((-values[above], starts))
            first = np.searchsorted(starts[order], starts[order], side="left")
            above = above[order][np.arange(len(order)) - first < per_start]
        elif len(above) > limit:
            return None
        return Priced(self.rings[above], values[above], best)

    def cycle(self, ring: Sequence[int]) -> Cycle:
        return self.cycles[self.row[tuple(int(h) for h in ring)]]

    def in_some_ring(self, hub: int) -> bool:
        return hub in self.members
