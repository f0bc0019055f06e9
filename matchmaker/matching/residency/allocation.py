"""Residency rounds: a stable, applicant-optimal allocation of managers to hosts, within budget.

A coordinator opens a round (dates, budget, cost per residency and per week); managers
apply with a ranked list of hosts, hosts rank their applicants. The allocation is a
proposal for the coordinator to approve.

- **Stability.** Applicant-proposing deferred acceptance under the hosts' places: no
  applicant and host would both rather be together than with what they got. An applicant
  and a host are only matched when each ranked the other; hosts without places, unknown
  host ids and repeated entries are ignored (the first entry counts).
- **Budget rule.** When the stable allocation costs more than the budget, residencies are
  funded in turns: first every host's most preferred allocated applicant, then every
  host's second, and so on; within a turn, earlier applications first (applications
  without a time last), then the lower applicant id. Each residency is funded when its cost
  still fits in what is left, otherwise its applicant is left out for budget and the next
  one is considered. Places freed this way stay empty: the money is gone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from heapq import heappush, heapreplace
from typing import Protocol, TypeVar

from matchmaker.matching.message import Message, Number, said, said_n
from matchmaker.matching.residency.reasons import placement_text, unplaced_reason
from matchmaker.matching.residency.types import (
    Applicant,
    Host,
    LeftOut,
    Placement,
    ResidencyRound,
    RoundAllocation,
)


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


_Identified = TypeVar("_Identified", bound=_HasId)


class _Tables:
    """The round as lists: hosts with places, rank tables, each applicant's acceptable hosts."""

    def __init__(self, applicants: Iterable[Applicant], hosts: Iterable[Host]) -> None:
        self.applicants = first_by_id(applicants)
        self.hosts = [host for host in first_by_id(hosts) if host.places > 0]
        self.position = {host.id: h for h, host in enumerate(self.hosts)}
        self.capacity = [host.places for host in self.hosts]
        # rank[h][applicant id]: 0 for the host's first choice; the first entry counts.
        self.rank = [
            dict(
                zip(reversed(host.applicants), range(len(host.applicants) - 1, -1, -1), strict=True)
            )
            for host in self.hosts
        ]
        # Per applicant: (host position, the host's rank of them), in the applicant's order.
        self.choices: list[list[tuple[int, int]]] = []
        position, rank = self.position, self.rank
        for applicant in self.applicants:
            acceptable: dict[int, int] = {}
            for host_id in applicant.hosts:
                h = position.get(host_id)
                if h is not None and h not in acceptable:
                    host_rank = rank[h].get(applicant.id)
                    if host_rank is not None:
                        acceptable[h] = host_rank
            self.choices.append(list(acceptable.items()))

    def deferred_acceptance(self) -> list[int]:
        """Host position per applicant position (-1: none), applicant-optimal and stable.

        Each host keeps a heap of the applicants it holds, worst on top, so a proposal
        costs O(log places); the result does not depend on who proposes first.
        """
        held: list[list[tuple[int, int]]] = [[] for _ in self.hosts]
        next_choice = [0] * len(self.applicants)
        free = list(range(len(self.applicants)))
        while free:
            a = free.pop()
            choices = self.choices[a]
            i = next_choice[a]
            while i < len(choices):
                h, rank = choices[i]
                i += 1
                heap = held[h]
                if len(heap) < self.capacity[h]:
                    heappush(heap, (-rank, a))
                    break
                if rank < -heap[0][0]:
                    free.append(heapreplace(heap, (-rank, a))[1])
                    break
            next_choice[a] = i
        assigned = [-1] * len(self.applicants)
        for h, heap in enumerate(held):
            for _, a in heap:
                assigned[a] = h
        return assigned

    def funding_order(self, assigned: Sequence[int]) -> list[int]:
        """Assigned applicant positions in the order the budget rule funds them."""
        held: dict[int, list[int]] = {}
        for a, h in enumerate(assigned):
            if h >= 0:
                held.setdefault(h, []).append(a)
        turn: dict[int, int] = {}
        for h, mine in held.items():
            ranks = self.rank[h]
            mine.sort(key=lambda a: ranks[self.applicants[a].id])
            turn.update((a, index) for index, a in enumerate(mine))

        def key(a: int) -> tuple[int, bool, datetime, int]:
            applied_at = self.applicants[a].applied_at
            return (turn[a], applied_at is None, applied_at or datetime.min, self.applicants[a].id)

        return sorted(turn, key=key)


def first_by_id(items: Iterable[_Identified]) -> list[_Identified]:
    """The items with the first of each id, in their order: a repeated entry is ignored."""
    seen: dict[int, _Identified] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return list(seen.values())


def stable_allocation(applicants: Sequence[Applicant], hosts: Sequence[Host]) -> dict[int, int]:
    """Applicant id -> host id: the applicant-optimal stable allocation (deferred acceptance)."""
    tables = _Tables(applicants, hosts)
    assigned = tables.deferred_acceptance()
    return {tables.applicants[a].id: tables.hosts[h].id for a, h in enumerate(assigned) if h >= 0}


def blocking_pairs(
    applicants: Sequence[Applicant], hosts: Sequence[Host], allocation: Mapping[int, int]
) -> list[tuple[int, int]]:
    """(applicant id, host id) pairs that would both rather be together; none when stable."""
    tables = _Tables(applicants, hosts)
    held: list[list[float]] = [[] for _ in tables.hosts]
    for applicant in tables.applicants:
        h = tables.position.get(allocation.get(applicant.id, -1), -1)
        if h >= 0:  # a host that does not rank its applicant holds them as its worst
            held[h].append(tables.rank[h].get(applicant.id, math.inf))
    worst = [max(ranks, default=-1.0) for ranks in held]
    pairs = []
    for applicant, choices in zip(tables.applicants, tables.choices, strict=True):
        for h, rank in choices:
            if allocation.get(applicant.id) == tables.hosts[h].id:
                break  # every later host is one the applicant likes less
            if len(held[h]) < tables.capacity[h] or rank < worst[h]:
                pairs.append((applicant.id, tables.hosts[h].id))
    return pairs


def funding_order(
    allocation: Mapping[int, int], applicants: Sequence[Applicant], hosts: Sequence[Host]
) -> list[int]:
    """Allocated applicant ids in the order the budget rule funds them (module docstring)."""
    tables = _Tables(applicants, hosts)
    assigned = [tables.position.get(allocation.get(a.id, -1), -1) for a in tables.applicants]
    return [tables.applicants[a].id for a in tables.funding_order(assigned)]


def allocate_round(
    round_: ResidencyRound, applicants: Sequence[Applicant], hosts: Sequence[Host]
) -> RoundAllocation:
    """The round's proposal: stable under the hosts' places, cut to the budget by the rule."""
    tables = _Tables(applicants, hosts)
    budget = round_.budget
    costs = [round_.cost_of(applicant) for applicant in tables.applicants]
    problem = _round_problem(round_, tables.applicants, hosts)
    if problem:
        left = tuple(LeftOut(a.id, "no hosts", f"Left out: {problem}") for a in tables.applicants)
        return RoundAllocation((), left, 0.0, budget, False, problem)
    assigned = tables.deferred_acceptance()
    remaining = budget
    cut: dict[int, float] = {}  # applicant position -> what was left of the budget at their turn
    for a in tables.funding_order(assigned):
        if costs[a] <= remaining + 1e-9:
            remaining -= costs[a]
        else:
            cut[a] = remaining
    host_by_id = {host.id: host for host in first_by_id(hosts)}
    ranked_by = {host.id: tables.rank[h] for h, host in enumerate(tables.hosts)}
    placements, left_out = [], []
    for a, applicant in enumerate(tables.applicants):
        if assigned[a] >= 0 and a not in cut:
            h = assigned[a]
            placements.append(
                _placement(applicant, tables.hosts[h], tables.rank[h][applicant.id], costs[a])
            )
        else:
            place = tables.hosts[assigned[a]] if a in cut else None
            why = unplaced_reason(applicant, host_by_id, ranked_by, costs[a], cut.get(a), place)
            left_out.append(LeftOut(applicant.id, *why))
    total = sum(placement.cost for placement in placements)
    summary = _summary(len(placements), len(costs), total, budget, len(cut), min(costs))
    return RoundAllocation(tuple(placements), tuple(left_out), total, budget, bool(cut), summary)


def _placement(applicant: Applicant, host: Host, host_rank: int, cost: float) -> Placement:
    applicant_choice = list(dict.fromkeys(applicant.hosts)).index(host.id) + 1
    host_choice = host_rank + 1
    text = placement_text(applicant, host, applicant_choice, host_choice, cost)
    return Placement(applicant.id, host.id, cost, applicant_choice, host_choice, text)


def _round_problem(
    round_: ResidencyRound, applicants: Sequence[Applicant], hosts: Sequence[Host]
) -> Message | str:
    """Why the round cannot allocate anyone at all, or '' when it can: the round's own
    settings first (a coordinator's typing), then who applies and who hosts."""
    if round_.ends_on < round_.starts_on:
        return said("The round ends before it starts.")
    amounts = (round_.budget, round_.cost_per_residency, round_.cost_per_week)
    if not all(math.isfinite(amount) and amount >= 0 for amount in amounts):
        return said("The round's budget and costs must be amounts of zero or more.")
    if not applicants:
        return said("No applications in this round.")
    if not any(host.places > 0 for host in hosts):
        return said("No host offers places in this round.")
    return ""


def _summary(
    placed: int, applied: int, total: float, budget: float, cut: int, cheapest: float
) -> Message:
    if placed == 0 and budget < cheapest:
        return said(
            "The budget (%(budget)s) is below the cost of one residency (%(cheapest)s): "
            "nobody can be funded.",
            budget=Number(budget, 2),
            cheapest=Number(cheapest, 2),
        )
    text = said_n(
        "%(placed)s of %(num)d applicant placed, costing %(total)s of %(budget)s.",
        "%(placed)s of %(num)d applicants placed, costing %(total)s of %(budget)s.",
        applied,
        placed=placed,
        total=Number(total, 2),
        budget=Number(budget, 2),
    )
    if cut:
        left_out = said_n(
            "The budget left out %(num)d applicant who had a place.",
            "The budget left out %(num)d applicants who had a place.",
            cut,
        )
        text = said("%(text)s %(left_out)s", text=text, left_out=left_out)
    return text
