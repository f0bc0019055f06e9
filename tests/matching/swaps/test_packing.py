"""The exact ring packer on its own: its pricing against plain enumeration, its optimum
against the second exact method on instances whose relaxation is far from integral, and
honest answers when the time limit or the proof's size stops it."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.matching.kinds import AvailabilityKind
from matchmaker.matching.network import Window
from matchmaker.matching.swaps import (
    SwapParticipant,
    SwapRules,
    clear_swaps,
    compatibility_graph,
)
from matchmaker.matching.swaps import packing as swap_packing
from matchmaker.matching.swaps.cycles import Arc, enumerate_cycles
from matchmaker.matching.swaps.pricing import RingList, RingMatrix, start_days
from tests.support.swap_oracles import swap_second_exact

START = date(2025, 3, 1)
END = START + timedelta(days=60)


@given(st.integers(0, 2**70), st.integers(1, 9))
def test_start_days_are_the_days_a_stretch_can_start(days: int, length: int) -> None:
    bits = bin(days)[2:][::-1]
    expected = {d for d in range(len(bits)) if bits[d : d + length] == "1" * length}
    found = start_days(days, length)
    assert {d for d in range(found.bit_length()) if found >> d & 1} == expected


@st.composite
def arc_sets(draw: st.DrawFn) -> tuple[list[Arc], int]:
    hubs = draw(st.integers(2, 9))
    arcs = []
    for guest in range(hubs):
        for host in range(hubs):
            if guest != host and draw(st.booleans()):
                first = draw(st.integers(0, 70))  # past 64 days: two words of start days
                days = ((1 << draw(st.integers(1, 20))) - 1) << first
                arcs.append(Arc(guest, host, draw(st.sampled_from([0.1, 0.4, 0.75, 1.0])), days))
    return arcs, hubs


@given(arc_sets(), st.integers(2, 3), st.integers(1, 6), st.lists(st.floats(0, 1), min_size=9))
@settings(max_examples=150)
def test_the_matrix_prices_every_ring_the_enumeration_finds(instance, cap, min_days, prices):
    arcs, hubs = instance
    duals = np.array(prices[:hubs])
    matrix = RingMatrix(arcs, hubs, cap, min_days)
    rings = enumerate_cycles(arcs, hubs, cap, min_days)
    for threshold in (-1.0, 0.0, 0.5):
        priced = matrix.price(duals, threshold, None, 10**6)
        assert priced is not None
        found = {tuple(int(h) for h in ring if h >= 0) for ring in priced.rings}
        expected = {c.hubs for c in rings if c.weight - duals[list(c.hubs)].sum() > threshold}
        assert found == expected
        for ring, cost in zip(priced.rings, priced.reduced_costs, strict=True):
            cycle = matrix.cycle(ring)
            assert cost == pytest.approx(cycle.weight - duals[list(cycle.hubs)].sum())
    listed = RingList(arcs, hubs, cap, min_days)
    for hub in range(hubs):
        assert matrix.in_some_ring(hub) == listed.in_some_ring(hub)
    best = matrix.price(duals, 0.0, 2, 0)
    assert best is not None
    by_start = RingList(arcs, hubs, cap, min_days).price(duals, 0.0, 2, 0)
    assert by_start is not None
    assert np.allclose(best.best_by_start, by_start.best_by_start)
    assert sorted(best.reduced_costs.round(9)) == sorted(by_start.reduced_costs.round(9))


def dense_network(hubs: int, seed: int) -> tuple[list[SwapParticipant], dict]:
    """Scores with a wide spread on a dense graph: the relaxation is fractional, so the
    packer's proof has work to do."""
    rng = random.Random(seed)
    participants = []
    for hub_id in range(1, hubs + 1):
        first = START + timedelta(days=rng.randint(0, 30))
        window = Window(AvailabilityKind.DESKS, first, first + timedelta(days=25), 4)
        participants.append(SwapParticipant(hub_id, f"Hub {hub_id}", 1, (window,)))
    scores = {
        (a, b): round(rng.random(), 3)
        for a in range(1, hubs + 1)
        for b in range(1, hubs + 1)
        if a != b and rng.random() < 0.6
    }
    return participants, scores


@pytest.mark.parametrize("seed", range(3))
def test_fractional_relaxations_still_reach_the_second_exact_optimum(seed: int) -> None:
    hubs, scores = dense_network(45, seed)
    clearing = clear_swaps(hubs, START, END, scores)
    graph = compatibility_graph(hubs, START, END, scores, SwapRules())
    assert clearing.optimal
    assert clearing.objective == pytest.approx(swap_second_exact(graph, 3, 5), abs=1e-9)
    assert clearing.bound >= clearing.objective - 1e-9
    assert "the best possible, proven" in clearing.reason


def test_a_time_limit_gives_the_best_found_and_says_it_is_not_proven() -> None:
    hubs, scores = dense_network(70, 9)
    rules = SwapRules(time_limit_s=1e-3)
    clearing = clear_swaps(hubs, START, END, scores, rules)
    exact = clear_swaps(hubs, START, END, scores)
    assert not clearing.optimal
    assert "the best found in 0.001 s, not proven the best" in clearing.reason
    assert clearing.objective <= exact.objective + 1e-9 <= clearing.bound + 2e-9
    taken = [leg.guest_id for ring in clearing.rings for leg in ring.legs]
    assert len(taken) == len(set(taken))  # still disjoint rings, explained
    assert all(
        ring.explanation.startswith("Two-way swap, " if len(ring.legs) == 2 else "Ring of ")
        for ring in clearing.rings
    )


def test_a_proof_too_large_to_check_is_reported_not_claimed(monkeypatch) -> None:
    hubs, scores = dense_network(45, 0)
    exact = clear_swaps(hubs, START, END, scores)
    monkeypatch.setattr(swap_packing, "PROOF_LIMIT", 0)
    clearing = clear_swaps(hubs, START, END, scores, SwapRules(time_limit_s=None))
    assert not clearing.optimal  # this instance's relaxation is 0.14 above its optimum
    assert clearing.objective <= exact.objective + 1e-9 <= clearing.bound + 2e-9
    assert clearing.reason.endswith(
        f"the best found, not proven the best (no rings could weigh more than "
        f"{clearing.bound:.2f})."
    )


def test_caps_above_three_enumerate_rings_and_stay_exact() -> None:
    hubs, scores = dense_network(12, 4)
    rules = SwapRules(cycle_cap=4)
    clearing = clear_swaps(hubs, START, END, scores, rules)
    graph = compatibility_graph(hubs, START, END, scores, rules)
    assert clearing.optimal
    assert clearing.objective == pytest.approx(swap_second_exact(graph, 4, 5), abs=1e-9)
