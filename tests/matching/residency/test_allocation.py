"""Residency rounds against the `matching` package, a blocking-pair check and the budget rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.matching.residency import (
    Applicant,
    Host,
    ResidencyRound,
    allocate_round,
    blocking_pairs,
    host_rankings,
    rank_by_score,
    stable_allocation,
)
from tests.support.exchange_oracles import allocation_problems, library_allocation

OPENS = datetime(2025, 1, 6, 9, 0)
GENEROUS = ResidencyRound(date(2025, 5, 1), date(2025, 5, 28), budget=1e12, cost_per_residency=1000)


@st.composite
def rounds(
    draw: st.DrawFn, max_applicants: int, max_hosts: int
) -> tuple[list[Applicant], list[Host]]:
    """Rankings with repeats, unknown hosts, hosts without places and one-sided choices."""
    host_count = draw(st.integers(1, max_hosts))
    applicant_count = draw(st.integers(0, max_applicants))
    host_ids = st.integers(1, host_count + 1)  # host_count + 1 is not hosting
    applicants = [
        Applicant(
            a,
            f"Manager {a}",
            tuple(draw(st.lists(host_ids, max_size=6))),
            OPENS + timedelta(minutes=draw(st.integers(0, 30))) if draw(st.booleans()) else None,
            draw(st.sampled_from([None, 1, 2, 4])),
        )
        for a in range(1, applicant_count + 1)
    ]
    hosts = []
    for h in range(1, host_count + 1):
        applied = [a.id for a in applicants if h in a.hosts]
        others = draw(st.lists(st.integers(1, max(1, applicant_count)), max_size=3))
        ranked = draw(st.permutations(applied + others)) if applied or others else []
        kept = [a for a in ranked if draw(st.integers(0, 9)) > 0]  # a host may leave some out
        hosts.append(Host(h, f"Host {h}", draw(st.integers(0, 4)), tuple(kept)))
    return applicants, hosts


def placed(allocation) -> dict[int, int]:
    return {p.applicant_id: p.host_id for p in allocation.placements}


@given(rounds(max_applicants=60, max_hosts=8))
@settings(max_examples=150)
def test_small_rounds_equal_the_matching_package_and_are_stable(instance) -> None:
    applicants, hosts = instance
    allocation = allocate_round(GENEROUS, applicants, hosts)
    assert placed(allocation) == library_allocation(applicants, hosts)
    assert allocation_problems(applicants, hosts, placed(allocation)) == []
    assert not allocation.budget_binding
    assert {p.applicant_id for p in allocation.placements} | {
        o.applicant_id for o in allocation.left_out
    } == {a.id for a in applicants}


@given(rounds(max_applicants=300, max_hosts=30))
@settings(max_examples=25)
def test_rounds_of_hundreds_equal_the_matching_package(instance) -> None:
    applicants, hosts = instance
    allocation = stable_allocation(applicants, hosts)
    assert allocation == library_allocation(applicants, hosts)
    assert allocation_problems(applicants, hosts, allocation) == []
    assert blocking_pairs(applicants, hosts, allocation) == []


def funded_by_the_rule(
    round_: ResidencyRound, applicants: list[Applicant], hosts: list[Host]
) -> set[int]:
    """The budget rule, restated: in turns of each host's preference among those it got,
    earlier applications first, then lower id; fund whoever still fits."""
    stable = library_allocation(applicants, hosts)
    by_id = {a.id: a for a in applicants}
    turn = {}
    for host in hosts:
        mine = sorted((a for a, h in stable.items() if h == host.id), key=host.applicants.index)
        turn.update({a: i for i, a in enumerate(mine)})

    def key(a: int) -> tuple:
        applied_at = by_id[a].applied_at
        return (turn[a], applied_at is None, applied_at or datetime.min, a)

    funded, left = set(), round_.budget
    for a in sorted(stable, key=key):
        weeks = by_id[a].weeks or 4  # the round's 28 days are 4 weeks
        cost = round_.cost_per_residency + round_.cost_per_week * weeks
        if cost <= left + 1e-9:
            funded.add(a)
            left -= cost
    return funded


@given(
    rounds(max_applicants=60, max_hosts=8),
    st.floats(0, 1),
    st.sampled_from([0, 250]),
    st.sampled_from([0, 100, 400]),
)
@settings(max_examples=150)
def test_a_binding_budget_holds_and_cuts_by_the_rule(
    instance, share, per_residency, per_week
) -> None:
    applicants, hosts = instance
    stable = library_allocation(applicants, hosts)
    full_cost = sum(per_residency + per_week * (a.weeks or 4) for a in applicants if a.id in stable)
    round_ = ResidencyRound(
        date(2025, 5, 1), date(2025, 5, 28), full_cost * share, per_residency, per_week
    )
    allocation = allocate_round(round_, applicants, hosts)
    assert allocation.total_cost <= round_.budget + 1e-6
    assert set(placed(allocation)) == funded_by_the_rule(round_, applicants, hosts)
    assert placed(allocation).items() <= stable.items()
    cut = {o.applicant_id for o in allocation.left_out if o.cause == "budget"}
    assert cut == set(stable) - set(placed(allocation))
    assert allocation.budget_binding == bool(cut)
    for left in allocation.left_out:
        assert ("budget ran out" in left.reason) == (left.applicant_id in cut)


def test_applicants_left_out_are_told_why() -> None:
    applicants = [
        Applicant(1, "Ana", (10,), OPENS),
        Applicant(2, "Ben", (10, 11, 12, 99), OPENS),
        Applicant(3, "Cleo", (10, 11), OPENS),
        Applicant(4, "Dan", ()),
    ]
    hosts = [
        Host(10, "Lisbon", 1, (1, 2, 3)),
        Host(11, "Berlin", 1, (3,)),
        Host(12, "Porto", 0, (2,)),
    ]
    allocation = allocate_round(GENEROUS, applicants, hosts)
    assert placed(allocation) == {1: 10, 3: 11}
    reasons = {o.applicant_id: (o.cause, o.reason) for o in allocation.left_out}
    assert reasons[2] == (
        "full",
        "Left out: Lisbon was full with applicants it ranked higher; Berlin did not rank you; "
        "Porto has no places; host #99 is not hosting in this round.",
    )
    assert reasons[4] == ("no hosts", "Left out: you ranked no host.")
    cleo = next(p for p in allocation.placements if p.applicant_id == 3)
    assert (cleo.applicant_choice, cleo.host_choice) == (2, 1)
    assert cleo.explanation == (
        "Cleo goes to Berlin: your 2nd choice, and Berlin ranked you 1st for its 1 place; "
        "cost 1,000.00. The hosts you ranked higher were full with applicants they ranked higher."
    )


def test_every_host_full_reads_as_one_reason() -> None:
    applicants = [Applicant(1, "Ana", (10, 11)), Applicant(2, "Ben", (10, 11))]
    hosts = [Host(10, "Lisbon", 1, (1, 2)), Host(11, "Berlin", 1, (1, 2))]
    allocation = allocate_round(
        GENEROUS,
        [*applicants, Applicant(3, "Cleo", (10, 11))],
        [Host(10, "Lisbon", 1, (1, 2, 3)), Host(11, "Berlin", 1, (1, 2, 3))],
    )
    assert placed(allocation) == {1: 10, 2: 11}
    assert allocation.left_out[0].reason == (
        "Left out: every host you ranked was full with applicants they ranked higher."
    )
    assert stable_allocation(applicants, hosts) == {1: 10, 2: 11}


def test_the_budget_cut_follows_each_hosts_preference_then_application_time() -> None:
    applicants = [
        Applicant(1, "Ana", (10,), OPENS + timedelta(hours=2)),
        Applicant(2, "Ben", (10,), OPENS),
        Applicant(3, "Cleo", (11,), OPENS + timedelta(hours=1)),
        Applicant(4, "Dan", (11,), None),
    ]
    hosts = [Host(10, "Lisbon", 2, (1, 2)), Host(11, "Berlin", 2, (4, 3))]
    # First turn: Ana (Lisbon's first) and Dan (Berlin's first), Ana applied earlier than
    # Dan, who gave no time. Second turn: Ben, then Cleo. 2,500 funds two of 1,000 each.
    round_ = ResidencyRound(date(2025, 5, 1), date(2025, 5, 14), budget=2500, cost_per_week=500)
    allocation = allocate_round(round_, applicants, hosts)
    assert placed(allocation) == {1: 10, 4: 11}
    assert allocation.total_cost == 2000
    ben = next(o for o in allocation.left_out if o.applicant_id == 2)
    assert ben.cause == "budget"
    assert ben.reason.startswith(
        "Left out: the budget ran out (500.00 was left at your turn and your residency at Lisbon costs 1,000.00; rule:"
    )
    assert "1 of 4" not in allocation.reason and "2 of 4 applicants placed" in allocation.reason


def test_a_cheaper_residency_later_in_turn_still_gets_the_money_left() -> None:
    applicants = [
        Applicant(1, "Ana", (10,), OPENS, weeks=4),
        Applicant(2, "Ben", (11,), OPENS + timedelta(hours=1), weeks=1),
    ]
    hosts = [Host(10, "Lisbon", 1, (1,)), Host(11, "Berlin", 1, (2,))]
    round_ = ResidencyRound(date(2025, 5, 1), date(2025, 5, 28), budget=300, cost_per_week=100)
    assert placed(allocate_round(round_, applicants, hosts)) == {2: 11}


def test_a_budget_below_one_residency_funds_nobody_and_says_so() -> None:
    applicants = [Applicant(1, "Ana", (10,)), Applicant(2, "Ben", (10,))]
    round_ = ResidencyRound(
        date(2025, 5, 1), date(2025, 5, 28), budget=900, cost_per_residency=1000
    )
    allocation = allocate_round(round_, applicants, [Host(10, "Lisbon", 1, (1, 2))])
    assert allocation.placements == ()
    assert (
        allocation.reason
        == "The budget (900.00) is below the cost of one residency (1,000.00): nobody can be funded."
    )
    assert [o.cause for o in allocation.left_out] == ["budget", "full"]


@pytest.mark.parametrize(
    ("round_", "applicants", "hosts", "reason"),
    [
        (GENEROUS, [], [Host(10, "Lisbon", 1, ())], "No applications in this round."),
        (GENEROUS, [Applicant(1, "Ana", (10,))], [], "No host offers places in this round."),
        (
            GENEROUS,
            [Applicant(1, "Ana", (10,))],
            [Host(10, "Lisbon", 0, (1,))],
            "No host offers places in this round.",
        ),
        (
            ResidencyRound(date(2025, 5, 1), date(2025, 5, 28), -5),
            [Applicant(1, "Ana", (10,))],
            [Host(10, "Lisbon", 1, (1,))],
            "The round's budget and costs must be amounts of zero or more.",
        ),
        (
            ResidencyRound(date(2025, 5, 1), date(2025, 5, 28), float("nan")),
            [Applicant(1, "Ana", (10,))],
            [Host(10, "Lisbon", 1, (1,))],
            "The round's budget and costs must be amounts of zero or more.",
        ),
        (
            ResidencyRound(date(2025, 5, 28), date(2025, 5, 1), 100),
            [Applicant(1, "Ana", (10,))],
            [Host(10, "Lisbon", 1, (1,))],
            "The round ends before it starts.",
        ),
        (  # the round's own settings come first: no host can fit dates the wrong way round
            ResidencyRound(date(2025, 5, 28), date(2025, 5, 1), 100),
            [Applicant(1, "Ana", (10,))],
            [],
            "The round ends before it starts.",
        ),
    ],
)
def test_rounds_that_cannot_allocate_say_why(round_, applicants, hosts, reason) -> None:
    allocation = allocate_round(round_, applicants, hosts)
    assert allocation.reason == reason
    assert allocation.placements == ()
    assert [o.reason for o in allocation.left_out] == [f"Left out: {reason}"] * len(applicants)


def test_the_blocking_pair_check_finds_a_planted_pair() -> None:
    applicants = [Applicant(1, "Ana", (10, 11)), Applicant(2, "Ben", (10,))]
    hosts = [Host(10, "Lisbon", 1, (1, 2)), Host(11, "Berlin", 1, (1,))]
    assert blocking_pairs(applicants, hosts, {1: 10}) == []
    assert blocking_pairs(applicants, hosts, {2: 10, 1: 11}) == [(1, 10)]
    assert blocking_pairs(applicants, hosts, {2: 10}) == [(1, 10), (1, 11)]


def test_host_rankings_come_from_scores_then_application_time() -> None:
    applicants = [
        Applicant(1, "Ana", (10, 11), OPENS + timedelta(hours=1)),
        Applicant(2, "Ben", (10,), OPENS),
        Applicant(3, "Cleo", (10, 10), None),
    ]
    scores = {(10, 1): 0.5, (10, 2): 0.5, (10, 3): 0.9, (11, 1): 0.1}
    assert host_rankings(applicants, scores) == {10: (3, 2, 1), 11: (1,)}
    assert host_rankings(applicants, lambda host, applicant: -applicant)[10] == (1, 2, 3)
    assert rank_by_score([11, 10, 12, 10], {10: 0.2, 11: 0.9, 12: 0.2}.__getitem__) == (11, 10, 12)
