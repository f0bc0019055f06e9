"""Independent oracles for hot-desk swap clearing, shared by the tests and the benchmark.

Each recomputes the answer its own way from the rules in `matchmaker.matching.swaps.clearing`: brute
force from the raw participants, rings found by networkx packed by our own branch and bound
(after one linear relaxation over all of them), and networkx's maximum-weight matching for
rings of two. A mistake in the engine's legs, pricing, bound or bookkeeping shows as a
mismatch.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import cache

import networkx as nx
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csc_array

from matchmaker.matching.kinds import AvailabilityKind
from matchmaker.matching.swaps import SwapGraph, SwapParticipant


def longest_stretch(days: set[int]) -> int:
    """Longest run of consecutive integers in a set."""
    best = 0
    for day in days:
        if day - 1 not in days:
            length = 1
            while day + length in days:
                length += 1
            best = max(best, length)
    return best


def mask_days(mask: int) -> set[int]:
    return {i for i, bit in enumerate(reversed(bin(mask)[2:])) if bit == "1"}


def swap_brute_force(
    participants: Sequence[SwapParticipant],
    starts_on: date,
    ends_on: date,
    score: Callable[[int, int], float],
    cap: int,
    min_days: int,
    ledger_weight: float = 0.25,
    ledger_scale: float = 20.0,
) -> float:
    """Best total ring weight, from the raw participants, by trying every ring and packing."""
    period = [starts_on + timedelta(days=i) for i in range((ends_on - starts_on).days + 1)]
    hubs = {p.organisation_id: p for p in participants}
    legs: dict[tuple[int, int], tuple[float, set[int]]] = {}
    for guest, host in itertools.permutations(hubs.values(), 2):
        if guest.members < 1:
            continue
        usable = {
            i
            for i, day in enumerate(period)
            for w in host.windows
            if w.kind is AvailabilityKind.DESKS
            and w.places >= guest.members
            and w.starts_on <= day <= w.ends_on
        }
        value = score(host.organisation_id, guest.organisation_id)
        if value > 0 and longest_stretch(usable) >= min_days:
            boost = max(-1.0, min(1.0, guest.balance / ledger_scale))
            legs[guest.organisation_id, host.organisation_id] = (
                min(value, 1.0) * (1 + ledger_weight * boost),
                usable,
            )
    rings: list[tuple[frozenset[int], float]] = []
    for size in range(2, cap + 1):
        for ring in itertools.permutations(hubs, size):
            if ring[0] != min(ring):
                continue
            pairs = [(ring[i], ring[(i + 1) % size]) for i in range(size)]
            if all(pair in legs for pair in pairs):
                common = set.intersection(*(legs[pair][1] for pair in pairs))
                if longest_stretch(common) >= min_days:
                    rings.append((frozenset(ring), sum(legs[pair][0] for pair in pairs)))
    order = sorted(hubs)

    @cache
    def best(free: frozenset[int]) -> float:
        if not free:
            return 0.0
        first = min(free, key=order.index)
        value = best(free - {first})
        for members, weight in rings:
            if first in members and members <= free:
                value = max(value, weight + best(free - members))
        return value

    return best(frozenset(hubs))


def longest_stretch_of_mask(mask: int) -> int:
    """Longest run of set bits, read off the binary text (independent of the engine's)."""
    return max((len(run) for run in bin(mask)[2:].split("0")), default=0)


def swap_rings(graph: SwapGraph, cap: int, min_days: int) -> list[tuple[frozenset[int], float]]:
    """Every ring of the graph, found by networkx, with enough common days: (hubs, weight)."""
    digraph = nx.DiGraph()
    for edge in graph.edges:
        digraph.add_edge(edge.guest_id, edge.host_id, weight=edge.weight, days=edge.days)
    rings = []
    for ring in nx.simple_cycles(digraph, length_bound=cap):
        pairs = [(ring[i], ring[(i + 1) % len(ring)]) for i in range(len(ring))]
        common = -1
        for pair in pairs:
            common &= digraph.edges[pair]["days"]
        if len(ring) >= 2 and longest_stretch_of_mask(common) >= min_days:
            rings.append((frozenset(ring), sum(digraph.edges[pair]["weight"] for pair in pairs)))
    return rings


def pack_by_branch_and_bound(
    rings: Sequence[tuple[frozenset[int], float]], known: float = 0.0
) -> float:
    """Best total weight of disjoint rings: our own depth-first branch and bound, with the
    linear relaxation (scipy.optimize.linprog) as bound, branching on the most fractional.
    `known`: the weight of a packing already found (only packings above it are sought)."""
    if not rings:
        return known
    membership, weights = _membership(rings)
    best = known
    stack = [(np.zeros(len(rings)), np.ones(len(rings)))]
    while stack:
        low, high = stack.pop()
        relaxed = linprog(
            -weights,
            A_ub=membership,
            b_ub=np.ones(membership.shape[0]),
            bounds=np.column_stack([low, high]),
            method="highs",
        )
        if relaxed.status != 0 or -relaxed.fun <= best + 1e-9:
            continue
        distance = np.minimum(relaxed.x, 1 - relaxed.x)
        j = int(np.argmax(distance))
        if distance[j] < 1e-7:
            best = max(best, float(weights @ (relaxed.x > 0.5)))
            continue
        without, within = high.copy(), low.copy()
        without[j], within[j] = 0, 1
        stack.append((low, without))
        stack.append((within, high))  # explored first
    return best


def _membership(rings: Sequence[tuple[frozenset[int], float]]) -> tuple[csc_array, np.ndarray]:
    hubs = sorted({hub for members, _ in rings for hub in members})
    row = {hub: i for i, hub in enumerate(hubs)}
    rows = [row[hub] for members, _ in rings for hub in members]
    columns = [j for j, (members, _) in enumerate(rings) for _ in members]
    membership = csc_array((np.ones(len(rows)), (rows, columns)), shape=(len(hubs), len(rings)))
    return membership, np.array([weight for _, weight in rings])


def pack_many_rings(rings: Sequence[tuple[frozenset[int], float]], start: float = 1e-3) -> float:
    """Best total weight of disjoint rings when there are too many for the branch and bound:
    the linear relaxation over all of them (one linprog, no column generation), then the
    branch and bound over the rings whose reduced cost is within `delta` of zero, delta
    growing fourfold until the best found is within it of the relaxation. Any heavier
    packing would use only rings of reduced cost above -(relaxation - best)."""
    if not rings:
        return 0.0
    membership, weights = _membership(rings)
    relaxed = linprog(
        -weights,
        A_ub=membership,
        b_ub=np.ones(membership.shape[0]),
        bounds=(0, None),
        method="highs-ds",
    )
    bound = -relaxed.fun
    reduced = weights - membership.T @ (-relaxed.ineqlin.marginals)
    delta, best = start, 0.0
    while True:
        subset = [ring for ring, cost in zip(rings, reduced, strict=True) if cost >= -delta]
        best = pack_by_branch_and_bound(subset, best)
        if bound - best <= delta + 1e-9:
            return best
        delta *= 4


def swap_second_exact(graph: SwapGraph, cap: int, min_days: int) -> float:
    """The clearing's optimum on the same graph, from every ring networkx finds, packed by
    one linear relaxation over all of them and our branch and bound."""
    return pack_many_rings(swap_rings(graph, cap, min_days))


def swap_matching(graph: SwapGraph, min_days: int) -> float:
    """Cap 2 as maximum-weight matching on mutual pairs with enough common days."""
    legs = {(e.guest_id, e.host_id): e for e in graph.edges}
    pairs = nx.Graph()
    for (a, b), there in legs.items():
        back = legs.get((b, a))
        if a < b and back and longest_stretch(mask_days(there.days & back.days)) >= min_days:
            pairs.add_edge(a, b, weight=there.weight + back.weight)
    matching = nx.max_weight_matching(pairs)
    return sum(pairs[a][b]["weight"] for a, b in matching)
