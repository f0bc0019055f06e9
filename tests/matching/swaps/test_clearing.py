"""Hot-desk swap clearing against brute force, a second exact method and networkx matching."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.matching.kinds import AvailabilityKind
from matchmaker.matching.network import Organisation, Window
from matchmaker.matching.swaps import (
    DeskStay,
    SwapClearing,
    SwapParticipant,
    SwapRules,
    clear_swaps,
    compatibility_graph,
    desk_day_ledger,
    format_dates,
    participant_from,
    stays_of,
)
from tests.support.swap_oracles import swap_brute_force, swap_matching, swap_second_exact

START, END = date(2025, 3, 1), date(2025, 3, 20)
DESKS = AvailabilityKind.DESKS


@st.composite
def clearings(draw: st.DrawFn, max_hubs: int) -> tuple[list[SwapParticipant], dict]:
    count = draw(st.integers(0, max_hubs) | st.just(max_hubs))
    hubs = []
    for hub_id in range(1, count + 1):
        windows = []
        for _ in range(draw(st.sampled_from([0, 1, 1, 2, 2]))):
            first = START + timedelta(days=draw(st.integers(-3, 12)))
            last = first + timedelta(days=draw(st.integers(0, 19)))
            windows.append(Window(DESKS, first, last, draw(st.sampled_from([0, 1, 2, 3, 4, 4, 4]))))
        if draw(st.booleans()):  # a residency window never seats anyone
            windows.append(Window(AvailabilityKind.RESIDENCY, START, END, 5))
        members = draw(st.sampled_from([0, 1, 1, 1, 2, 3]))
        balance = draw(st.sampled_from([0.0, -35.0, -10.0, 7.0, 25.0]))
        hubs.append(SwapParticipant(hub_id, f"Hub {hub_id}", members, tuple(windows), balance))
    grid = st.sampled_from([0.0, 0.2, 0.35, 0.5, 0.8, 1.0, 1.3, float("nan")])
    scores = {
        (a, b): draw(grid) for a in range(1, count + 1) for b in range(1, count + 1) if a != b
    }
    return hubs, scores


def assert_rings_follow_the_rules(
    clearing: SwapClearing, hubs: list[SwapParticipant], rules: SwapRules
) -> None:
    by_id = {h.organisation_id: h for h in hubs}
    seen: set[int] = set()
    for ring in clearing.rings:
        assert 2 <= len(ring.legs) <= rules.cycle_cap
        assert (ring.ends_on - ring.starts_on).days + 1 >= rules.min_days
        assert ring.starts_on >= START and ring.ends_on <= END
        for leg, following in zip(ring.legs, ring.legs[1:] + ring.legs[:1], strict=True):
            assert leg.host_id == following.guest_id
            assert leg.guest_id not in seen
            seen.add(leg.guest_id)
            guest, host = by_id[leg.guest_id], by_id[leg.host_id]
            assert leg.members == guest.members >= 1
            for offset in range((ring.ends_on - ring.starts_on).days + 1):
                day = ring.starts_on + timedelta(days=offset)
                assert any(
                    w.kind is DESKS
                    and w.places >= guest.members
                    and w.starts_on <= day <= w.ends_on
                    for w in host.windows
                )
    assert sum(ring.weight for ring in clearing.rings) == pytest.approx(clearing.objective)
    assert seen | {h.organisation_id for h in clearing.left_out} == set(by_id)
    assert not seen & {h.organisation_id for h in clearing.left_out}


@given(clearings(max_hubs=6), st.integers(2, 4), st.integers(1, 4))
@settings(max_examples=120)
def test_small_clearings_are_as_good_as_brute_force(instance, cap, min_days) -> None:
    hubs, scores = instance
    rules = SwapRules(cycle_cap=cap, min_days=min_days, max_hosts_per_hub=None)
    clearing = clear_swaps(hubs, START, END, scores, rules)
    expected = swap_brute_force(
        hubs, START, END, lambda g, t: scores.get((g, t), 0.0), cap, min_days
    )
    assert clearing.objective == pytest.approx(expected, abs=1e-9)
    assert clearing.optimal
    assert_rings_follow_the_rules(clearing, hubs, rules)


@given(clearings(max_hubs=14), st.integers(1, 4))
@settings(max_examples=60)
def test_cap_two_is_maximum_weight_matching(instance, min_days) -> None:
    hubs, scores = instance
    rules = SwapRules(cycle_cap=2, min_days=min_days)
    clearing = clear_swaps(hubs, START, END, scores, rules)
    graph = compatibility_graph(hubs, START, END, scores, rules)
    assert clearing.objective == pytest.approx(swap_matching(graph, min_days), abs=1e-9)
    assert all(len(ring.legs) == 2 for ring in clearing.rings)


def random_network(
    hubs: int, seed: int, period_days: int = 61
) -> tuple[list[SwapParticipant], dict]:
    rng = random.Random(seed)
    participants = []
    for hub_id in range(1, hubs + 1):
        windows = []
        for _ in range(rng.randint(1, 2)):
            first = START + timedelta(days=rng.randint(0, period_days - 10))
            windows.append(
                Window(DESKS, first, first + timedelta(days=rng.randint(5, 30)), rng.randint(1, 6))
            )
        participants.append(
            SwapParticipant(
                hub_id, f"Hub {hub_id}", rng.randint(1, 4), tuple(windows), rng.randint(-30, 30)
            )
        )
    scores = {
        (a, b): round(rng.random(), 2)
        for a in range(1, hubs + 1)
        for b in range(1, hubs + 1)
        if a != b and rng.random() < 0.35
    }
    return participants, scores


@pytest.mark.parametrize("seed", range(4))
def test_larger_clearings_match_a_second_exact_method(seed: int) -> None:
    hubs, scores = random_network(60, seed)
    end = START + timedelta(days=60)
    rules = SwapRules(cycle_cap=3, min_days=5)
    clearing = clear_swaps(hubs, START, end, scores, rules)
    graph = compatibility_graph(hubs, START, end, scores, rules)
    assert clearing.rings, "the instance should allow rings"
    assert clearing.objective == pytest.approx(swap_second_exact(graph, 3, 5), abs=1e-9)


def test_pruning_keeps_each_hubs_best_legs_only() -> None:
    hubs, scores = random_network(30, 7)
    graph = compatibility_graph(
        hubs, START, START + timedelta(days=60), scores, SwapRules(max_hosts_per_hub=3)
    )
    full = compatibility_graph(
        hubs, START, START + timedelta(days=60), scores, SwapRules(max_hosts_per_hub=None)
    )
    for hub in hubs:
        kept = [e for e in graph.edges if e.guest_id == hub.organisation_id]
        every = sorted(
            (e for e in full.edges if e.guest_id == hub.organisation_id),
            key=lambda e: (-e.weight, e.host_id),
        )
        assert kept == every[:3]


def hub(
    hub_id: int,
    name: str,
    members: int,
    first: date,
    last: date,
    places: int = 4,
    balance: float = 0.0,
) -> SwapParticipant:
    return SwapParticipant(hub_id, name, members, (Window(DESKS, first, last, places),), balance)


def test_a_ring_says_who_goes_where_when_and_why() -> None:
    hubs = [
        hub(1, "Lisbon hub", 2, date(2025, 3, 1), date(2025, 3, 16)),
        hub(2, "Berlin hub", 1, date(2025, 3, 3), date(2025, 3, 31), balance=12),
        hub(3, "Porto hub", 3, date(2025, 2, 20), date(2025, 3, 20)),
    ]
    scores = {(2, 1): 0.9, (3, 2): 0.8, (1, 3): 0.7}  # (giver, taker): 1 -> 2 -> 3 -> 1
    clearing = clear_swaps(hubs, date(2025, 3, 1), date(2025, 3, 31), scores)
    (ring,) = clearing.rings
    assert (ring.starts_on, ring.ends_on) == (date(2025, 3, 3), date(2025, 3, 16))
    assert ring.explanation == (
        "Ring of 3, 3–16 March 2025: Lisbon hub's 2 members use Berlin hub's desks (swap score 0.90); "
        "Berlin hub's 1 member uses Porto hub's desks (swap score 0.80); "
        "Porto hub's 3 members use Lisbon hub's desks (swap score 0.70). "
        "Favoured because Berlin hub has given 12 desk-days more than it took."
    )
    assert [leg.desk_days for leg in ring.legs] == [28, 14, 42]
    assert desk_day_ledger(stays_of(ring)) == {2: 28 - 14, 3: 14 - 42, 1: 42 - 28}


def test_the_ledger_favours_hubs_that_gave_more_than_they_took() -> None:
    period = (date(2025, 3, 1), date(2025, 3, 31))
    scores = {(a, b): 0.5 for a in (1, 2, 3) for b in (1, 2, 3) if a != b}
    # Without a ledger every pair weighs the same; hub 2 is owed desk-days, hub 3 owes them.
    hubs = [
        hub(1, "A", 1, *period),
        hub(2, "B", 1, *period, balance=20),
        hub(3, "C", 1, *period, balance=-20),
    ]
    clearing = clear_swaps(hubs, *period, scores, SwapRules(cycle_cap=2))
    (ring,) = clearing.rings
    assert {leg.guest_id for leg in ring.legs} == {1, 2}
    assert clearing.objective == pytest.approx(0.5 + 0.5 * 1.25)
    (left,) = clearing.left_out
    assert left.organisation_id == 3 and "higher total score" in left.reason


def test_the_ledger_adds_up_given_minus_taken() -> None:
    stays = [DeskStay(1, 2, 10), DeskStay(2, 3, 4), DeskStay(3, 1, 6), DeskStay(1, 3, 5)]
    ledger = desk_day_ledger(stays)
    assert ledger == {1: 10 - 6 + 5, 2: -10 + 4, 3: -4 + 6 - 5}
    assert sum(ledger.values()) == 0
    assert desk_day_ledger([]) == {}


def test_hubs_left_out_are_told_why() -> None:
    period = (date(2025, 3, 1), date(2025, 3, 31))
    hubs = [
        hub(1, "Pair A", 1, *period),
        hub(2, "Pair B", 1, *period),
        hub(3, "Sends nobody", 0, *period),
        hub(4, "Too many members", 9, *period, places=4),
        SwapParticipant(5, "No desks", 1, ()),
        hub(6, "One way", 1, *period),
    ]
    scores = {(a, b): 0.6 for a in range(1, 7) for b in range(1, 7) if a != b}
    scores[6, 1] = scores[6, 2] = scores[6, 4] = 0.0  # nobody wants hub 6's desks...
    scores[1, 6] = scores[2, 6] = scores[4, 6] = scores[5, 6] = 0.0  # ...and it wants no one's
    scores[3, 6] = 0.6  # except hub 3's, whose members stay home
    clearing = clear_swaps(hubs, *period, scores, SwapRules(cycle_cap=2))
    reasons = {h.organisation_id: h.reason for h in clearing.left_out}
    assert set(reasons) == {3, 4, 5, 6}
    assert "no members" in reasons[3]
    assert "No hub has desks for your 9 members" in reasons[4]
    assert "No hub's members fit your free desks" in reasons[5]
    assert "No ring of up to 2 hubs closes through you" in reasons[6]


@pytest.mark.parametrize(
    ("hubs", "start", "end", "rules", "expected"),
    [
        ([], START, END, SwapRules(), "none did"),
        ([hub(1, "Alone", 1, START, END)], START, END, SwapRules(), "1 did"),
        (
            [hub(1, "A", 1, START, END), hub(2, "B", 1, START, END)],
            END,
            START,
            SwapRules(),
            "ends before it starts",
        ),
        (
            [hub(1, "A", 1, START, END), hub(2, "B", 1, START, END)],
            START,
            END,
            SwapRules(cycle_cap=1),
            "at least 2 hubs",
        ),
        (
            [hub(1, "A", 1, START, START), hub(2, "B", 1, START, END)],
            START,
            END,
            SwapRules(),
            "No ring of 2 to 3 hubs",
        ),
    ],
)
def test_clearings_that_cannot_form_say_why(hubs, start, end, rules, expected) -> None:
    clearing = clear_swaps(hubs, start, end, {(1, 2): 1.0, (2, 1): 1.0}, rules)
    assert clearing.rings == () and clearing.objective == 0
    assert expected in clearing.reason
    assert {h.organisation_id for h in clearing.left_out} == {h.organisation_id for h in hubs}


def test_scores_can_be_a_function_and_participants_come_from_organisations() -> None:
    window = Window(DESKS, START, END, 3)
    organisations = [
        Organisation(i, f"hub-{i}", f"Hub {i}", "PT", desks=3, windows=(window,)) for i in (1, 2)
    ]
    hubs = [participant_from(o, members=2) for o in organisations]
    clearing = clear_swaps(hubs, START, END, lambda giver, taker: 0.4)
    assert clearing.objective == pytest.approx(0.8)
    assert clearing.rings[0].explanation.startswith(
        "Two-way swap, 1–20 March 2025: Hub 1's 2 members use Hub 2's desks"
    )


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2025, 3, 3), date(2025, 3, 16), "3–16 March 2025"),
        (date(2025, 2, 28), date(2025, 3, 13), "28 February – 13 March 2025"),
        (date(2024, 12, 28), date(2025, 1, 3), "28 December 2024 – 3 January 2025"),
        (date(2025, 3, 3), date(2025, 3, 3), "3 March 2025"),
    ],
)
def test_dates_read_naturally(start: date, end: date, text: str) -> None:
    assert format_dates(start, end) == text
