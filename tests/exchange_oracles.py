"""Independent oracles for the exchange optimisers, shared by the tests and the benchmark.

Each one recomputes the answer its own way from the rules in the module docstrings, so a
mistake in the engine's enumeration, formulation or bookkeeping shows as a mismatch.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from functools import cache

import networkx as nx
import numpy as np
from matching.exceptions import PlayerExcludedWarning, PreferencesChangedWarning
from matching.games import HospitalResident
from scipy.optimize import linprog

from matchmaker.matching.consortia import Call, Candidate
from matchmaker.matching.kinds import AvailabilityKind
from matchmaker.matching.residency_rounds import Applicant, Host
from matchmaker.matching.swaps import SwapGraph, SwapParticipant

# --- swaps ---------------------------------------------------------------------------------


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


def swap_rings(graph: SwapGraph, cap: int, min_days: int) -> list[tuple[frozenset[int], float]]:
    """Every ring of the graph, found by networkx, with enough common days: (hubs, weight)."""
    digraph = nx.DiGraph()
    for edge in graph.edges:
        digraph.add_edge(edge.guest_id, edge.host_id, weight=edge.weight, days=mask_days(edge.days))
    rings = []
    for ring in nx.simple_cycles(digraph, length_bound=cap):
        pairs = [(ring[i], ring[(i + 1) % len(ring)]) for i in range(len(ring))]
        common = set.intersection(*(digraph.edges[pair]["days"] for pair in pairs))
        if len(ring) >= 2 and longest_stretch(common) >= min_days:
            rings.append((frozenset(ring), sum(digraph.edges[pair]["weight"] for pair in pairs)))
    return rings


def pack_by_branch_and_bound(rings: Sequence[tuple[frozenset[int], float]]) -> float:
    """Best total weight of disjoint rings: our own depth-first branch and bound, with the
    linear relaxation (scipy.optimize.linprog) as bound, branching on the most fractional."""
    if not rings:
        return 0.0
    hubs = sorted({hub for members, _ in rings for hub in members})
    row = {hub: i for i, hub in enumerate(hubs)}
    membership = np.zeros((len(hubs), len(rings)))
    for j, (members, _) in enumerate(rings):
        membership[[row[hub] for hub in members], j] = 1
    weights = np.array([weight for _, weight in rings])
    best = 0.0
    stack = [(np.zeros(len(rings)), np.ones(len(rings)))]
    while stack:
        low, high = stack.pop()
        relaxed = linprog(
            -weights,
            A_ub=membership,
            b_ub=np.ones(len(hubs)),
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


def swap_second_exact(graph: SwapGraph, cap: int, min_days: int) -> float:
    """The clearing's optimum on the same graph, by networkx rings and our branch and bound."""
    return pack_by_branch_and_bound(swap_rings(graph, cap, min_days))


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


# --- residencies ---------------------------------------------------------------------------


def library_allocation(applicants: Sequence[Applicant], hosts: Sequence[Host]) -> dict[int, int]:
    """The `matching` package's resident-optimal allocation. It cleans one-sided rankings and
    repeats itself (warning about each); ids it does not know would make it fail, and so
    would a host without places that someone ranked alone (1.4.3 drops the host after
    checking that every list is non-empty), so those are dropped here."""
    hosts = [h for h in hosts if h.places > 0]
    host_ids = {h.id for h in hosts}
    applicant_ids = {a.id for a in applicants}
    resident_prefs = {a.id: [h for h in a.hosts if h in host_ids] for a in applicants}
    hospital_prefs = {h.id: [a for a in h.applicants if a in applicant_ids] for h in hosts}
    capacities = {h.id: h.places for h in hosts}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PreferencesChangedWarning)
        warnings.simplefilter("ignore", PlayerExcludedWarning)
        game = HospitalResident.create_from_dictionaries(
            resident_prefs, hospital_prefs, capacities, clean=True
        )
        solution = game.solve(optimal="resident")
    return {resident.name: hospital.name for hospital, rs in solution.items() for resident in rs}


def allocation_problems(
    applicants: Sequence[Applicant], hosts: Sequence[Host], allocation: Mapping[int, int]
) -> list[str]:
    """Pairs not ranked both ways, hosts over their places, and blocking pairs, naively."""
    host_by_id = {h.id: h for h in hosts}
    problems = []
    held: dict[int, list[int]] = {h.id: [] for h in hosts}
    for applicant_id, host_id in allocation.items():
        held[host_id].append(applicant_id)
        applicant = next(a for a in applicants if a.id == applicant_id)
        if host_id not in applicant.hosts or applicant_id not in host_by_id[host_id].applicants:
            problems.append(f"{applicant_id} at {host_id} without both ranking each other")
    for host in hosts:
        if len(held[host.id]) > host.places:
            problems.append(f"{host.id} holds {len(held[host.id])} for {host.places} places")
    for applicant in applicants:
        for host in hosts:
            if host.places < 1 or host.id not in applicant.hosts:
                continue
            if applicant.id not in host.applicants or allocation.get(applicant.id) == host.id:
                continue
            current = allocation.get(applicant.id)
            wants = current is None or applicant.hosts.index(host.id) < applicant.hosts.index(
                current
            )
            rank = host.applicants.index
            takes = len(held[host.id]) < host.places or any(
                rank(applicant.id) < rank(other) for other in held[host.id]
            )
            if wants and takes:
                problems.append(f"blocking pair {applicant.id}, {host.id}")
    return problems


# --- consortia -----------------------------------------------------------------------------


def meets(members: Sequence[Candidate], call: Call) -> bool:
    return (
        call.min_partners <= len(members) <= call.max_size
        and len({m.country for m in members}) >= call.min_countries
        and call.required_competences <= {t for m in members for t in m.competences}
    )


def clipped(candidate: Candidate) -> float:
    return min(1.0, candidate.score) if candidate.score > 0 else 0.0


def consortia_brute_force(
    requester: Candidate, pool: Sequence[Candidate], call: Call, k: int
) -> list[float]:
    """The k best partner-score totals over every eligible consortium, best first."""
    totals = []
    for size in range(0, min(len(pool), call.max_size - 1) + 1):
        for partners in itertools.combinations(pool, size):
            if meets([requester, *partners], call):
                totals.append(sum(clipped(c) for c in partners))
    return sorted(totals, reverse=True)[:k]


def consortium_branch_and_bound(
    requester: Candidate, pool: Sequence[Candidate], call: Call
) -> float | None:
    """The best partner-score total by depth-first search over candidates, best score
    first, pruned by the best possible remaining total and by what can still be met."""
    ranked = sorted(pool, key=clipped, reverse=True)
    room = call.max_size - 1
    suffix_competences = [set[str]() for _ in range(len(ranked) + 1)]
    suffix_countries = [set[str]() for _ in range(len(ranked) + 1)]
    for i in range(len(ranked) - 1, -1, -1):
        suffix_competences[i] = suffix_competences[i + 1] | ranked[i].competences
        suffix_countries[i] = suffix_countries[i + 1] | {ranked[i].country}
    best: list[float | None] = [None]

    def search(i: int, chosen: list[Candidate], total: float) -> None:
        members = [requester, *chosen]
        if meets(members, call) and (best[0] is None or total > best[0]):
            best[0] = total
        left = room - len(chosen)
        if i == len(ranked) or left == 0:
            return
        bound = total + sum(clipped(c) for c in ranked[i : i + left])
        if best[0] is not None and bound <= best[0] + 1e-12:
            return
        held = {t for m in members for t in m.competences}
        if not call.required_competences - held <= suffix_competences[i]:
            return
        countries = {m.country for m in members}
        if len(countries | suffix_countries[i]) < call.min_countries:
            return
        if call.min_countries - len(countries) > left:
            return
        search(i + 1, [*chosen, ranked[i]], total + clipped(ranked[i]))
        search(i + 1, chosen, total)

    search(0, [], 0.0)
    return best[0]
