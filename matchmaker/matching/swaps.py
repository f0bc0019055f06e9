"""Hot-desk swap clearing: rings of hubs hosting each other's members, and the desk-day ledger.

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
  weight (exact, see `swap_cycles.pack_cycles`).
- **Pruning.** Only each hub's `max_hosts_per_hub` best legs (by weight, then host id) are
  kept, so 3-rings stay countable at a few hundred hubs; `None` keeps every leg. The
  optimum is exact on the graph that `compatibility_graph` returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matchmaker.matching.kinds import AvailabilityKind
from matchmaker.matching.network import Organisation, Window
from matchmaker.matching.swap_cycles import Arc, enumerate_cycles, has_run, longest_run, pack_cycles
from matchmaker.matching.swap_explanations import explain_ring, why_left_out

SwapScore = Mapping[tuple[int, int], float] | Callable[[int, int], float]
"""(giver id, taker id) -> score in [0, 1]: how well the giver's desks suit the taker."""


@dataclass(frozen=True)
class SwapParticipant:
    """A hub in the clearing: it sends `members` people and offers desks in `windows`."""

    organisation_id: int
    name: str
    members: int  # how many of its members want desks elsewhere
    windows: tuple[Window, ...]  # desk windows: dates and free desks (`places`)
    balance: float = 0.0  # desk-days given minus taken so far (see `desk_day_ledger`)


@dataclass(frozen=True)
class SwapRules:
    """The clearing's settings; the module docstring says what each one does."""

    cycle_cap: int = 3  # most hubs in a ring
    min_days: int = 5  # shortest stay, in consecutive days
    max_hosts_per_hub: int | None = 12  # legs kept per guest hub; 12 keeps 300 hubs under 2 s
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
    rings_considered: int
    reason: str
    optimal: bool = True  # proven maximum on the (pruned) compatibility graph
    method: str = "integer program over rings (scipy.optimize.milp, HiGHS)"


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


def participant_from(
    organisation: Organisation, members: int, balance: float = 0.0
) -> SwapParticipant:
    """A clearing participant from the engine's organisation data (its desk windows)."""
    windows = organisation.windows_of(AvailabilityKind.DESKS)
    return SwapParticipant(organisation.id, organisation.name, members, windows, balance)


def ledger_factor(balance: float, rules: SwapRules) -> float:
    """How much a guest's legs weigh, from its desk-day balance (module docstring)."""
    if rules.ledger_scale <= 0:
        return 1.0
    return 1.0 + rules.ledger_weight * max(-1.0, min(1.0, balance / rules.ledger_scale))


def _score_of(swap_score: SwapScore) -> Callable[[int, int], float]:
    if callable(swap_score):
        return swap_score
    return lambda giver, taker: swap_score.get((giver, taker), 0.0)


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
    score_of = _score_of(swap_score)
    sizes = {p.members for p in unique if p.members >= 1}
    # Usable days per host and group size, kept only when they hold a long enough stretch.
    seats = {
        (host.organisation_id, size): days
        for host in unique
        for size in sizes
        if has_run(days := _seat_days(host.windows, starts_on, ends_on, size), rules.min_days)
    }
    edges: list[SwapEdge] = []
    for guest in unique:
        if guest.members < 1:
            continue
        factor = ledger_factor(guest.balance, rules)
        legs: list[SwapEdge] = []
        for host in unique:
            days = seats.get((host.organisation_id, guest.members), 0)
            if not days or host is guest:
                continue
            score = float(score_of(host.organisation_id, guest.organisation_id))
            if not score > 0:  # also drops NaN
                continue
            score = min(score, 1.0)
            legs.append(
                SwapEdge(guest.organisation_id, host.organisation_id, score, score * factor, days)
            )
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
    cycles = enumerate_cycles(arcs, len(position), rules.cycle_cap, rules.min_days)
    packing = pack_cycles(cycles, len(position), rules.time_limit_s)
    objective = packing.weight
    edge_at = {(e.guest_id, e.host_id): e for e in graph.edges}
    rings = [
        _ring(cycles[i].hubs, cycles[i].weight, cycles[i].days, graph, edge_at)
        for i in packing.chosen
    ]
    rings.sort(key=lambda ring: (-ring.weight, [leg.guest_id for leg in ring.legs]))
    in_rings = {leg.guest_id for ring in rings for leg in ring.legs}
    in_cycles = {graph.participants[hub].organisation_id for c in cycles for hub in c.hubs}
    guests = {edge.guest_id for edge in graph.edges}
    hosts = {edge.host_id for edge in graph.edges}
    left_out = tuple(
        LeftOutHub(p.organisation_id, why_left_out(p, guests, hosts, in_cycles, rules))
        for p in graph.participants
        if p.organisation_id not in in_rings
    )
    if not rings:
        reason = f"No ring of 2 to {rules.cycle_cap} hubs can form in this period."
    elif packing.optimal:
        reason = f"{len(rings)} ring(s) of total weight {objective:.2f}, the best of {len(cycles)}."
    else:
        reason = (
            f"{len(rings)} ring(s) of total weight {objective:.2f}: the best found among "
            f"{len(cycles)} rings in {rules.time_limit_s:g} s, not proven the best."
        )
    return SwapClearing(tuple(rings), objective, left_out, len(cycles), reason, packing.optimal)


def _all_left_out(participants: Iterable[SwapParticipant], reason: str) -> tuple[LeftOutHub, ...]:
    return tuple(LeftOutHub(p.organisation_id, reason) for p in participants)


def _ring(
    hubs: tuple[int, ...],
    weight: float,
    days: int,
    graph: SwapGraph,
    edge_at: Mapping[tuple[int, int], SwapEdge],
) -> SwapRing:
    first, length = longest_run(days)
    starts_on = graph.starts_on + timedelta(days=first)
    ends_on = starts_on + timedelta(days=length - 1)
    members = [graph.participants[hub] for hub in hubs]
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
    return SwapRing(tuple(legs), weight, explain_ring(members, legs))
