"""The optimisers fed by the engine: the scores they receive are the suggestion scores a
manager sees, in the right direction, and the optimisers' answers follow from them."""

from __future__ import annotations

from datetime import date

import pytest

from matchmaker.matching.consortia import Call, propose_consortia
from matchmaker.matching.exchange_inputs import (
    competences_of,
    consortium_inputs,
    residency_inputs,
    swap_inputs,
)
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.residency import ResidencyRound, allocate_round
from matchmaker.matching.swaps import clear_swaps
from tests.support.engine_builders import (
    BERLIN,
    GRANT_NEED,
    GRANT_OFFER,
    LASER_NEED,
    LASER_OFFER,
    LYON,
    VIGO,
    K,
    desks,
    exchange,
    network,
    org,
    project,
    residency,
    run,
)

APRIL = (date(2026, 4, 1), date(2026, 4, 30))
PRINT_OFFER = ("training", "Risograph printing course")
PRINT_NEED = ("training", "Learning risograph printing")


def desk_hub(id: int, offers, needs, place, window=APRIL, **fields):
    return org(
        id,
        f"Hub {id}",
        offers=offers,
        needs=needs,
        desks=4,
        windows=(desks(*window, places=3),),
        **place,
        **fields,
    )


def swap_network(*extra, exchanges=()):
    """1 wants laser cutting and teaches printing; 2 has a laser and wants grant coaching;
    3 coaches grants and wants printing: a ring 1 → 2 → 3 → 1 (1's people at 2's desks...)."""
    return network(
        desk_hub(1, [PRINT_OFFER], [LASER_NEED], BERLIN),
        desk_hub(2, [LASER_OFFER], [GRANT_NEED], LYON),
        desk_hub(3, [GRANT_OFFER], [PRINT_NEED], VIGO),
        *extra,
        exchanges=exchanges,
    )


def test_swap_scores_are_the_hot_desking_suggestions_giver_to_taker() -> None:
    net = swap_network()
    inputs = swap_inputs(MatchIndex(net), *APRIL)
    assert [p.organisation_id for p in inputs.participants] == [1, 2, 3]
    for taker in (1, 2, 3):
        shown = run(net, taker, K.HOT_DESKING, starts_on=APRIL[0], ends_on=APRIL[1])
        expected = {s.organisation.id: s.score for s in shown.items}
        given = {g: s for (g, t), s in inputs.scores.items() if t == taker}
        assert given == pytest.approx(expected, abs=1e-4)


def test_the_engine_fed_clearing_closes_the_ring_of_needs() -> None:
    inputs = swap_inputs(MatchIndex(swap_network()), *APRIL, members=2)
    clearing = clear_swaps(inputs.participants, *APRIL, inputs.scores)
    assert clearing.optimal and len(clearing.rings) == 1
    (ring,) = clearing.rings
    # Each hub goes where its need is answered; the other way round answers none.
    assert {(leg.guest_id, leg.host_id) for leg in ring.legs} == {(1, 2), (2, 3), (3, 1)}
    assert all(leg.members == 2 for leg in ring.legs)
    assert ring.explanation.startswith("Ring of 3, 1–30 April 2026:")


def test_swap_inputs_leave_out_who_cannot_swap_and_say_why_from_the_engine() -> None:
    later = (date(2026, 6, 1), date(2026, 6, 30))
    net = swap_network(
        desk_hub(4, [LASER_OFFER], [], BERLIN),  # no needs: nothing to take
        desk_hub(5, [LASER_OFFER], [GRANT_NEED], LYON, window=later),  # desks in June only
        org(6, "Hub 6", offers=[GRANT_OFFER], needs=[LASER_NEED], **VIGO),  # no desks
        exchanges=[exchange(1, K.HOT_DESKING, 1, 2, state="proposed")],
    )
    inputs = swap_inputs(MatchIndex(net), *APRIL, members={1: 1, 2: 2}, balances={3: 12.0})
    assert [p.organisation_id for p in inputs.participants] == [1, 2, 3, 4]
    assert [p.members for p in inputs.participants] == [1, 2, 0, 0]
    assert inputs.participants[2].balance == 12.0
    assert "lists no needs" in inputs.notes[4]
    assert (2, 1) not in inputs.scores and (1, 2) not in inputs.scores  # already proposed
    assert all(5 not in pair and 6 not in pair for pair in inputs.scores)


def residency_network():
    def host(id, place, places, offers):
        return org(
            id,
            f"Host {id}",
            offers=offers,
            residency_places=places,
            windows=(residency(date(2026, 6, 1), date(2026, 7, 31), places),),
            **place,
        )

    return network(
        org(1, "Ana's hub", needs=[GRANT_NEED, LASER_NEED], **BERLIN),
        org(2, "Ben's hub", needs=[GRANT_NEED], **VIGO),
        org(3, "Cleo's hub", needs=[LASER_NEED], **BERLIN),
        org(4, "No needs", offers=[GRANT_OFFER], **LYON),
        host(10, LYON, 1, [GRANT_OFFER, LASER_OFFER]),
        host(11, VIGO, 2, [LASER_OFFER]),
        host(12, BERLIN, 1, [GRANT_OFFER]),
    )


def test_applicants_rank_hosts_by_their_residency_suggestions() -> None:
    net = residency_network()
    june = (date(2026, 6, 1), date(2026, 6, 28))
    inputs = residency_inputs(MatchIndex(net), *june, choices=2)
    by_id = {a.id: a for a in inputs.applicants}
    assert set(by_id) == {1, 2, 3, 10, 11, 12} - {10, 11, 12}  # hubs with needs
    for applicant in inputs.applicants:
        shown = run(net, applicant.id, K.RESIDENCY, starts_on=june[0], ends_on=june[1])
        assert applicant.hosts == tuple(s.organisation.id for s in shown.items[:2])
    hosts = {h.id: h for h in inputs.hosts}
    assert {h: hosts[h].places for h in hosts} == {10: 1, 11: 2, 12: 1}
    for host in inputs.hosts:  # each host ranks those who listed it, best pair score first
        scores = [inputs.scores[host.id, a] for a in host.applicants]
        assert scores == sorted(scores, reverse=True)
        assert set(host.applicants) == {a.id for a in inputs.applicants if host.id in a.hosts}
    allocation = allocate_round(ResidencyRound(*june, budget=1e6), inputs.applicants, inputs.hosts)
    assert {p.applicant_id for p in allocation.placements} == {1, 2, 3}


def test_a_chosen_applicant_without_needs_applies_with_no_hosts_and_is_told_why() -> None:
    june = (date(2026, 6, 1), date(2026, 6, 28))
    inputs = residency_inputs(MatchIndex(residency_network()), *june, applicant_ids=[4, 99])
    (applicant,) = inputs.applicants
    assert applicant.id == 4 and applicant.hosts == ()
    assert "lists no needs" in inputs.notes[4]
    allocation = allocate_round(ResidencyRound(*june, budget=1e6), inputs.applicants, inputs.hosts)
    assert allocation.left_out[0].reason == "Left out: you ranked no host."


def test_consortium_candidates_carry_partner_scores_countries_and_competences() -> None:
    net = network(
        org(1, "Me", offers=[PRINT_OFFER], needs=[LASER_NEED], disciplines=("design",), **VIGO),
        org(2, offers=[LASER_OFFER], disciplines=("games",), **BERLIN),
        org(3, offers=[GRANT_OFFER], needs=[PRINT_NEED], **LYON),
        org(4, offers=[LASER_OFFER], needs=[PRINT_NEED], **LYON),
        projects=[project(1, 1, 2, 3, parts=("SC6",)), project(2, 3, 4)],
    )
    inputs = consortium_inputs(MatchIndex(net), 1, "SC6")
    assert inputs.requester.competences == {"training", "design"}
    shown = run(net, 1, K.PROJECT_PARTNERS, programme_part="SC6", limit=50)
    expected = {s.organisation.id: s.score for s in shown.items}
    assert {c.id: c.score for c in inputs.candidates} == pytest.approx(expected, abs=1e-4)
    by_id = {c.id: c for c in inputs.candidates}
    assert by_id[2].competences == competences_of(net.organisations[1]) == {"fablab", "games"}
    assert by_id[2].country == "DE"
    call = Call(3, 3, 4, frozenset({"fablab", "funding"}))
    best = propose_consortia(inputs.requester, inputs.candidates, call, k=1).consortia[0]
    assert best.eligible and {m.country for m in best.members} == {"ES", "DE", "FR"}
