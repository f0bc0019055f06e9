"""Hot-desk swap clearing: rings of hubs hosting each other's members at their free desks.

Rules, in the words a hub manager would use:

- **Who can go where.** Hub A's members can use hub B's desks (a leg A→B) on the days of the
  clearing period when one of B's desk windows is open with at least as many places as A
  sends members. The swap score `swap_score(B, A)` (giver, taker) must be above zero.
- **Rings.** A ring A→B→C→A runs on the same dates for all its legs: the longest stretch of
  consecutive days usable by every leg (the earliest if two are as long), at least
  `min_days` long. Rings have 2 to `cycle_cap` hubs; a hub takes part in at most one ring.
- **Weights.** A leg weighs its swap score times the guest's ledger factor
  `1 + ledger_weight * clip(balance / ledger_scale, -1, 1)`, where the balance is the
  guest's desk-days given minus taken so far: hubs that gave more than they took are
  favoured as takers, hubs that took more wait. The chosen rings have the maximum total
  weight over every possible ring, proven (`swap_packing.pack_rings`), unless the time
  limit stops the proof first: then the best rings found come with an upper bound.
- **Pruning.** None by default: every leg counts. `max_hosts_per_hub` keeps only each
  hub's best legs (by weight, then host id), for callers who want fewer, surer legs; the
  optimum is then over the graph that `compatibility_graph` returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from matchmaker.matching.kinds import AvailabilityKind
from matchmaker.matching.network import Organisation, Window
from matchmaker.matching.swaps.cycles import Arc, Cycle, has_run, longest_run
from matchmaker.matching.swaps.explanations import explain_ring, why_left_out
from matchmaker.matching.swaps.ledger import ledger_factor
from matchmaker.matching.swaps.packing import pack_rings
from matchmaker.matching.swaps.types import (
    LeftOutHub,
    Leg,
    SwapClearing,
    SwapEdge,
    SwapGraph,
    SwapParticipant,
    SwapRing,
    SwapRules,
    SwapScore,
)


def participant_from(
    organisation: Organisation, members: int, balance: float = 0.0
) -> SwapParticipant:
    """A clearing participant from the engine's organisation data (its desk windows)."""
    windows = organisation.windows_of(AvailabilityKind.DESKS)
    return SwapParticipant(organisation.id, organisation.name, members, windows, balance)


def _hosts_scored(
    swap_score: SwapScore, guests: Sequence[SwapParticipant], hosts: Sequence[SwapParticipant]
) -> dict[int, list[tuple[int, float]]]:
    """Guest id -> (host id, score) for every pair that can score: read off a mapping's
    entries (it usually holds the engine's eligible pairs only), or asked of a function."""
    wanted = {g.organisation_id for g in guests}
    offering = {h.organisation_id for h in hosts}
    found: dict[int, list[tuple[int, float]]] = defaultdict(list)
    if callable(swap_score):
        for guest in wanted:
            for host in offering:
                found[guest].append((host, float(swap_score(host, guest))))
    else:
        for (giver, taker), score in swap_score.items():
            if taker in wanted and giver in offering:
                found[taker].append((giver, float(score)))
    return found


def _seat_days(windows: Sequence[Window], starts_on: date, ends_on: date, members: int) -> int:
    """Bitmask of the period's days on which these windows seat `members` people."""
    days = 0
    for window in windows:
        if window.kind is not AvailabilityKind.DESKS or window.places < members:
            continue
        first = max(window.starts_on, starts_on)
        last = min(window.ends_on, ends_on)
        if first <= last:
            offset, length = (first - starts_on).days, (last - first).days + 1
            days |= ((1 << length) - 1) << offset
    return days


def compatibility_graph(
    participants: Sequence[SwapParticipant],
    starts_on: date,
    ends_on: date,
    swap_score: SwapScore,
    rules: SwapRules = SwapRules(),
) -> SwapGraph:
    """The weighted legs of the clearing, pruned as the module docstring says."""
    unique = tuple({p.organisation_id: p for p in participants}.values())
    sizes = {p.members for p in unique if p.members >= 1}
    # Usable days per host and group size, kept only when they hold a long enough stretch.
    seats = {
        (host.organisation_id, size): days
        for host in unique
        for size in sizes
        if has_run(days := _seat_days(host.windows, starts_on, ends_on, size), rules.min_days)
    }
    guests = [p for p in unique if p.members >= 1]
    hosts = [p for p in unique if any((p.organisation_id, size) in seats for size in sizes)]
    scored = _hosts_scored(swap_score, guests, hosts)
    edges: list[SwapEdge] = []
    for guest in guests:
        factor = ledger_factor(guest.balance, rules)
        legs: list[SwapEdge] = []
        for host_id, score in scored.get(guest.organisation_id, ()):
            days = seats.get((host_id, guest.members), 0)
            if not days or host_id == guest.organisation_id or not score > 0:  # drops NaN
                continue
            score = min(score, 1.0)
            legs.append(SwapEdge(guest.organisation_id, host_id, score, score * factor, days))
        legs.sort(key=lambda edge: (-edge.weight, edge.host_id))
        edges.extend(legs[: rules.max_hosts_per_hub])
    return SwapGraph(starts_on, ends_on, unique, tuple(edges))


def clear_swaps(
    participants: Sequence[SwapParticipant],
    starts_on: date,
    ends_on: date,
    swap_score: SwapScore,
    rules: SwapRules = SwapRules(),
) -> SwapClearing:
    """Propose disjoint swap rings of maximum total weight for the period."""
    if ends_on < starts_on:
        reason = "The period ends before it starts: nothing to clear."
        return SwapClearing((), 0.0, _all_left_out(participants, reason), 0, reason)
    if rules.cycle_cap < 2:
        reason = f"A ring needs at least 2 hubs; the cycle cap is {rules.cycle_cap}."
        return SwapClearing((), 0.0, _all_left_out(participants, reason), 0, reason)
    graph = compatibility_graph(participants, starts_on, ends_on, swap_score, rules)
    if len(graph.participants) < 2:
        reason = "A swap needs at least two hubs taking part; "
        reason += f"{len(graph.participants)} did." if graph.participants else "none did."
        return SwapClearing((), 0.0, _all_left_out(graph.participants, reason), 0, reason)
    position = {p.organisation_id: i for i, p in enumerate(graph.participants)}
    arcs = [Arc(position[e.guest_id], position[e.host_id], e.weight, e.days) for e in graph.edges]
    packing = pack_rings(arcs, len(position), rules.cycle_cap, rules.min_days, rules.time_limit_s)
    objective = packing.weight
    edge_at = {(e.guest_id, e.host_id): e for e in graph.edges}
    rings = [_ring(cycle, graph, edge_at) for cycle in packing.chosen]
    rings.sort(key=lambda ring: (-ring.weight, [leg.guest_id for leg in ring.legs]))
    in_rings = {leg.guest_id for ring in rings for leg in ring.legs}
    ringless = {graph.participants[hub].organisation_id for hub in packing.ringless}
    in_cycles = {p.organisation_id for p in graph.participants} - ringless
    guests = {edge.guest_id for edge in graph.edges}
    hosts = {edge.host_id for edge in graph.edges}
    left_out = tuple(
        LeftOutHub(p.organisation_id, why_left_out(p, guests, hosts, in_cycles, rules))
        for p in graph.participants
        if p.organisation_id not in in_rings
    )
    if not rings and packing.optimal:
        reason = f"No ring of 2 to {rules.cycle_cap} hubs can form in this period."
    elif packing.optimal:
        reason = (
            f"{len(rings)} ring(s) of total weight {objective:.2f}: the best possible, "
            f"proven ({packing.rings_examined} rings examined)."
        )
    else:
        within = "" if rules.time_limit_s is None else f" in {rules.time_limit_s:g} s"
        reason = (
            f"{len(rings)} ring(s) of total weight {objective:.2f}: the best found{within}, "
            f"not proven the best (no rings could weigh more than {packing.bound:.2f})."
        )
    return SwapClearing(
        tuple(rings),
        objective,
        left_out,
        packing.rings_examined,
        reason,
        packing.optimal,
        packing.bound,
    )


def _all_left_out(participants: Iterable[SwapParticipant], reason: str) -> tuple[LeftOutHub, ...]:
    return tuple(LeftOutHub(p.organisation_id, reason) for p in participants)


def _ring(cycle: Cycle, graph: SwapGraph, edge_at: Mapping[tuple[int, int], SwapEdge]) -> SwapRing:
    first, length = longest_run(cycle.days)
    starts_on = graph.starts_on + timedelta(days=first)
    ends_on = starts_on + timedelta(days=length - 1)
    members = [graph.participants[hub] for hub in cycle.hubs]
    legs = []
    for index, guest in enumerate(members):
        host = members[(index + 1) % len(members)]
        edge = edge_at[(guest.organisation_id, host.organisation_id)]
        legs.append(
            Leg(
                guest.organisation_id,
                host.organisation_id,
                guest.members,
                starts_on,
                ends_on,
                edge.score,
            )
        )
    return SwapRing(tuple(legs), cycle.weight, explain_ring(members, legs))
