"""Consortium builder against brute force and an independent branch and bound."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.matching.consortia import (
    EXACT,
    GREEDY,
    Call,
    Candidate,
    missing_for,
    propose_consortia,
)
from tests.support.exchange_oracles import consortia_brute_force, consortium_branch_and_bound, meets

COUNTRIES = ["PT", "DE", "FR", "IT"]
COMPETENCES = ["sound", "vr", "textiles", "games", "print"]
ME = Candidate(0, "Lisbon hub", "PT", frozenset({"print"}))


@st.composite
def instances(draw: st.DrawFn, max_candidates: int) -> tuple[list[Candidate], Call, int]:
    pool = [
        Candidate(
            i,
            f"Hub {i}",
            draw(st.sampled_from(COUNTRIES)),
            frozenset(draw(st.lists(st.sampled_from(COMPETENCES), max_size=2))),
            draw(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.5, 0.7, 0.9, 1.0, 1.4, -0.2])),
        )
        for i in range(1, draw(st.integers(0, max_candidates)) + 1)
    ]
    call = Call(
        min_partners=draw(st.integers(1, 5)),
        min_countries=draw(st.integers(1, 4)),
        max_size=draw(st.integers(1, 6)),
        required_competences=frozenset(draw(st.lists(st.sampled_from(COMPETENCES), max_size=3))),
    )
    return pool, call, draw(st.integers(1, 4))


def partner_ids(consortium) -> frozenset[int]:
    return frozenset(m.id for m in consortium.members[1:])


@given(instances(max_candidates=9))
@settings(max_examples=150)
def test_exact_proposals_equal_brute_force(instance) -> None:
    pool, call, k = instance
    proposals = propose_consortia(ME, pool, call, k=k)
    best = consortia_brute_force(ME, pool, call, k)
    assert proposals.method == EXACT
    if best:
        assert [c.score for c in proposals.consortia] == pytest.approx(best, abs=1e-9)
        assert proposals.reason.endswith(f"from {len(pool)} candidates, {EXACT}.")
        for consortium in proposals.consortia:
            assert consortium.members[0] == ME
            assert consortium.eligible and consortium.missing == ()
            assert meets(consortium.members, call)
        assert len({partner_ids(c) for c in proposals.consortia}) == len(proposals.consortia)
    else:
        (closest,) = proposals.consortia
        assert not closest.eligible and closest.missing
        assert not meets(closest.members, call)
        assert len(closest.members) <= max(1, call.max_size)
        assert proposals.reason.startswith(("No consortium can meet the call: ", "No candidates"))


@given(instances(max_candidates=9))
@settings(max_examples=100)
def test_greedy_proposals_meet_the_call_and_never_beat_the_optimum(instance) -> None:
    pool, call, k = instance
    proposals = propose_consortia(ME, pool, call, k=k, exact_up_to=0)
    best = consortia_brute_force(ME, pool, call, 1)
    assert proposals.method == (GREEDY if pool else EXACT)
    eligible = [c for c in proposals.consortia if c.eligible]
    for consortium in eligible:
        assert meets(consortium.members, call)
        assert consortium.score <= best[0] + 1e-9
    if not eligible:
        (closest,) = proposals.consortia
        assert closest.missing and not meets(closest.members, call)


def random_pool(size: int, seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    competences = [f"c{i}" for i in range(12)]
    countries = ["PT", "DE", "FR", "IT", "ES", "NL", "PL", "SE"]
    return [
        Candidate(
            i,
            f"Hub {i}",
            rng.choice(countries),
            frozenset(rng.sample(competences, rng.randint(0, 3))),
            round(rng.random(), 3),
        )
        for i in range(1, size + 1)
    ]


@pytest.mark.parametrize("seed", range(3))
def test_larger_calls_equal_an_independent_branch_and_bound(seed: int) -> None:
    pool = random_pool(80, seed)
    call = Call(4, 4, 6, frozenset({"c1", "c2", "c3", "c4"}))
    proposals = propose_consortia(ME, pool, call, k=1)
    assert proposals.consortia[0].eligible
    assert proposals.consortia[0].score == pytest.approx(
        consortium_branch_and_bound(ME, pool, call), abs=1e-9
    )


def test_a_proposal_explains_itself() -> None:
    pool = [
        Candidate(1, "Berlin hub", "DE", frozenset({"sound"}), 0.8),
        Candidate(2, "Porto hub", "PT", frozenset({"vr"}), 0.9),
        Candidate(3, "Lyon hub", "FR", frozenset(), 0.3),
        Candidate(4, "Milan hub", "IT", frozenset({"vr"}), 0.2),
    ]
    call = Call(
        min_partners=3, min_countries=2, max_size=3, required_competences=frozenset({"sound", "vr"})
    )
    proposals = propose_consortia(ME, pool, call, k=5)
    assert [partner_ids(c) for c in proposals.consortia] == [{1, 2}, {1, 4}]
    assert proposals.reason == f"2 consortia (only 2 meet the call) from 4 candidates, {EXACT}."
    assert proposals.consortia[0].explanation == (
        "Lisbon hub (PT) with Porto hub (PT, 0.90), Berlin hub (DE, 0.80): 3 members from 2 countries; "
        "covers 'sound' (Berlin hub), 'vr' (Porto hub); partners' score 1.70."
    )


def test_a_call_no_consortium_can_meet_says_what_is_missing() -> None:
    pool = [
        Candidate(1, "Berlin hub", "DE", frozenset({"sound"}), 0.8),
        Candidate(2, "Porto hub", "PT", frozenset(), 0.9),
    ]
    call = Call(
        min_partners=3, min_countries=3, max_size=4, required_competences=frozenset({"sound", "vr"})
    )
    proposals = propose_consortia(ME, pool, call)
    (closest,) = proposals.consortia
    assert partner_ids(closest) == {1, 2}
    assert closest.missing == (
        "2 countries, the call needs 3 (only 2 among all candidates)",
        "no candidate offers competence 'vr'",
    )
    assert proposals.reason == (
        "No consortium can meet the call: 2 countries, the call needs 3 (only 2 among all candidates); "
        "no candidate offers competence 'vr'."
    )


def test_the_closest_consortium_covers_what_it_can_within_the_size() -> None:
    pool = [
        Candidate(1, "A", "DE", frozenset({"sound"}), 0.1),
        Candidate(2, "B", "FR", frozenset({"vr"}), 0.1),
        Candidate(3, "C", "IT", frozenset(), 1.0),
    ]
    call = Call(
        min_partners=2, min_countries=2, max_size=2, required_competences=frozenset({"sound", "vr"})
    )
    (closest,) = propose_consortia(ME, pool, call).consortia
    assert partner_ids(closest) in ({1}, {2})  # a competence is worth more than any score
    assert len(closest.missing) == 1 and "is not covered" in closest.missing[0]


@pytest.mark.parametrize(
    ("pool", "call", "missing"),
    [
        (
            [],
            Call(3, 2, 5),
            [
                "1 member, the call needs at least 3 (only 1 organisation could take part)",
                "1 country, the call needs 2 (only 1 among all candidates)",
            ],
        ),
        (
            [Candidate(1, "B", "DE", score=0.5)],
            Call(4, 1, 2),
            [
                "the call asks for at least 4 members but at most 2",
                "2 members, the call needs at least 4 (only 2 organisations could take part)",
            ],
        ),
        (
            [Candidate(1, "B", "DE", score=0.5)],
            Call(2, 1, 0),
            [
                "the call asks for at least 2 members but at most 0",
                "1 member, the call needs at least 2",
                "1 member, the call allows at most 0",
            ],
        ),
    ],
)
def test_impossible_calls_give_a_clear_result(pool, call, missing) -> None:
    proposals = propose_consortia(ME, pool, call)
    (closest,) = proposals.consortia
    assert list(closest.missing) == missing
    assert not closest.eligible


def test_the_requester_and_repeated_candidates_count_once() -> None:
    twin = Candidate(1, "Berlin hub", "DE", frozenset({"sound"}), 0.8)
    pool = [ME, twin, twin, Candidate(2, "Paris hub", "FR", frozenset(), 0.5)]
    proposals = propose_consortia(ME, pool, Call(2, 2, 5), k=5)
    assert [partner_ids(c) for c in proposals.consortia] == [{1, 2}, {1}, {2}]
    assert [c.score for c in proposals.consortia] == pytest.approx([1.3, 0.8, 0.5])


def test_missing_for_checks_a_consortium_the_user_built() -> None:
    members = [ME, Candidate(1, "Berlin hub", "DE", frozenset({"sound"}))]
    assert missing_for(members, Call(2, 2, 3, frozenset({"sound", "print"}))) == []
    assert missing_for(
        members,
        Call(2, 3, 3, frozenset({"games"})),
        pool=[Candidate(5, "X", "IT", frozenset({"games"}))],
    ) == [
        "2 countries, the call needs 3",
        "competence 'games' is not covered",
    ]


def test_a_time_limit_says_the_answer_is_not_proven_and_still_meets_the_call() -> None:
    pool = random_pool(300, 11)
    call = Call(5, 5, 8, frozenset({"c1", "c2", "c3", "c4", "c5"}))
    proposals = propose_consortia(ME, pool, call, k=3, time_limit_s=1e-6)
    assert proposals.method in (
        f"{EXACT}, stopped by its time limit: not proven best",
        f"{GREEDY}, as the full search ran out of time",
    )
    assert proposals.method in proposals.reason
    for consortium in proposals.consortia:
        assert consortium.eligible == meets(consortium.members, call)


def test_candidates_that_cannot_matter_are_dropped_without_changing_the_best() -> None:
    # 2,000 candidates from 8 countries: only the best few per country and competences can
    # be in the 3 best consortia, so the exact method still runs.
    pool = random_pool(2000, 12)
    call = Call(4, 4, 5, frozenset({"c1", "c2"}))
    proposals = propose_consortia(ME, pool, call, k=3)
    assert proposals.method == EXACT
    assert proposals.consortia[0].score == pytest.approx(
        consortium_branch_and_bound(ME, pool, call), abs=1e-9
    )
