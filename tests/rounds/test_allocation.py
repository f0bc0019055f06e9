"""A coordinator allocates a round over the stored applications (the same answer as
`allocate_round` on the same inputs), adjusts it within budget and places, and publishes
it: one scheduled residency per placement, every applicant told by email and in the
inbox, and publishing again does nothing more. The API and the CLI do the same."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from babel.dates import format_date
from sqlalchemy import func, select, update

from matchmaker.accounts.tokens import create_token
from matchmaker.cli.rounds import rounds_cli
from matchmaker.engine import INDEXES
from matchmaker.errors import Forbidden, InputError
from matchmaker.exchanges.bookings import room_problem
from matchmaker.exchanges.builder import Party, new_exchange
from matchmaker.matching.exchange_inputs import residency_inputs
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.residency import Applicant, allocate_round
from matchmaker.matching.residency import ResidencyRound as RoundRules
from matchmaker.models import (
    AvailabilityWindow,
    Exchange,
    ExchangeState,
    Notification,
    Organisation,
    ParticipantRole,
    ResidencyRound,
    RoundApplication,
    RoundState,
    User,
)
from matchmaker.rounds.allocation import adjust, allocate, review
from matchmaker.rounds.applications import applications_of, apply, round_hosts
from matchmaker.rounds.funding import budget_left
from matchmaker.rounds.hosting import answer_placement, placements_to_answer
from matchmaker.rounds.publishing import publish
from matchmaker.suggestions.matches import suggestions_for
from tests.support.queue import run_queued_jobs
from tests.support.round_fixtures import MESSAGE, NOW, apply_with_suggestions, confirm_placements
from tests.support.web import csrf_token, sign_in


@pytest.fixture
def applied(session, demo):
    """Every manager applies with the engine's three best hosts, for four weeks."""
    for manager in demo.managers:
        apply_with_suggestions(session, demo, manager)
    return demo


def outcome(session) -> dict[int, tuple[int | None, str | None, str]]:
    session.expire_all()
    return {
        a.hub_id: (a.placed_host_id, a.left_out_cause, a.outcome_message)
        for a in session.scalars(select(RoundApplication))
    }


def test_the_allocation_is_allocate_round_on_the_stored_applications(session, applied):
    round_ = applied.round
    round_.budget = Decimal("2000")  # 4 weeks cost 900: two residencies fit, not three
    session.commit()
    allocate(session, applied.coordinator, round_.id)
    assert round_.state is RoundState.ALLOCATED
    stored = applications_of(session, round_)
    applicants = [Applicant(a.hub_id, a.hub.name, tuple(a.hosts), a.created_at, 4) for a in stored]
    # Hosts rank their applicants by the engine's residency score of the pair.
    index = INDEXES.get(session)
    hosts = residency_inputs(index, round_.starts_on, round_.ends_on, applications=applicants).hosts
    query = MatchQuery(
        ExchangeKind.RESIDENCY, starts_on=round_.starts_on, ends_on=round_.ends_on, limit=100
    )
    scores = {
        (s.organisation.id, a.id): s.score
        for a in applicants
        for s in suggestions_for(session, a.id, query, record=False).items
    }
    for host in hosts:
        ranked = [scores.get((host.id, a), 0.0) for a in host.applicants]
        assert ranked == sorted(ranked, reverse=True)
    places = {h.id: h.places for h in round_hosts(session, round_).values()}
    hosts = tuple(h.__class__(h.id, h.name, places.get(h.id, 0), h.applicants) for h in hosts)
    rules = RoundRules(round_.starts_on, round_.ends_on, 2000.0, 300.0, 150.0)
    expected = allocate_round(rules, applicants, hosts)
    assert expected.budget_binding and len(expected.placements) == 2
    want = {p.applicant_id: (p.host_id, None, p.explanation) for p in expected.placements}
    want |= {o.applicant_id: (None, o.cause, o.reason) for o in expected.left_out}
    assert outcome(session) == want
    found = review(session, applied.coordinator, round_.id)
    assert (found.placed_cost, found.budget_left) == (Decimal("1800.00"), Decimal("200.00"))


def test_adjusting_refuses_overspending_and_overfull_hosts(session, applied):
    round_ = applied.round
    round_.budget = Decimal("2000")
    allocate(session, applied.coordinator, round_.id)
    stored = applications_of(session, round_)
    placed = [a for a in stored if a.placed_host_id]
    left = next(a for a in stored if a.left_out_cause == "budget")
    hosts = round_hosts(session, round_)

    def fits(host_id: int, *applications: RoundApplication) -> bool:
        """The host offers places on these applications' own dates."""
        host = session.get(Organisation, host_id)
        return all(
            room_problem(session, host, ExchangeKind.RESIDENCY, a.starts_on, a.ends_on) is None
            for a in applications
        )

    free = next(
        h
        for h in hosts.values()
        if h.places > sum(a.placed_host_id == h.id for a in stored)
        and h.id != left.hub_id
        and fits(h.id, left)
    )
    free_slug = next(o.slug for o in applied.hubs.values() if o.id == free.id)
    with pytest.raises(InputError) as overspend:
        adjust(session, applied.coordinator, round_.id, {"application": left.id, "host": free_slug})
    assert overspend.value.problems == {"host": "it costs €900.00 and the round has €200.00 left"}
    session.rollback()
    full, other = next(
        (h, a)
        for h in hosts.values()
        for a in placed
        if h.places == 1 and a.placed_host_id != h.id and a.hub_id != h.id and fits(h.id, a)
    )
    full_slug = next(o.slug for o in applied.hubs.values() if o.id == full.id)
    adjust(session, applied.coordinator, round_.id, {"application": other.id, "host": full_slug})
    mover = next(a for a in placed if a.id != other.id and a.hub_id != full.id)
    with pytest.raises(InputError) as overfull:
        adjust(
            session, applied.coordinator, round_.id, {"application": mover.id, "host": full_slug}
        )
    assert (
        "has no residency place left in this round (1 place, taken)"
        in (overfull.value.problems["host"])
    )
    session.rollback()
    with pytest.raises(InputError) as no_reason:
        adjust(session, applied.coordinator, round_.id, {"application": mover.id})
    assert "reason" in no_reason.value.problems
    adjust(
        session,
        applied.coordinator,
        round_.id,
        {"application": mover.id, "reason": "Another programme funds it."},
    )
    adjust(session, applied.coordinator, round_.id, {"application": left.id, "host": free_slug})
    session.expire_all()
    assert session.get(RoundApplication, left.id).placed_host_id == free.id
    assert session.get(RoundApplication, mover.id).outcome_message == (
        "Left out by the programme coordinator: Another programme funds it."
    )
    with pytest.raises(Forbidden):
        adjust(session, applied.managers[0], round_.id, {"application": left.id, "host": ""})


def test_publishing_schedules_the_residencies_and_tells_every_applicant(
    app, session, applied, mailbox
):
    round_ = applied.round
    round_.budget = Decimal("2000")
    session.commit()
    allocate(session, applied.coordinator, round_.id)
    with pytest.raises(InputError) as waiting:
        publish(session, applied.coordinator, round_.id)
    assert "wait for their host's answer" in waiting.value.problems["round"]
    session.rollback()
    session.execute(update(User).values(language="en"))  # demo accounts read several
    session.commit()
    session.expire_all()
    assert confirm_placements(session, applied) == 2
    made = publish(session, applied.coordinator, round_.id)
    assert set(run_queued_jobs(app)) == {"send_emails"}
    assert made is not None and len(made) == 2
    for exchange in made:
        assert exchange.state is ExchangeState.SCHEDULED and exchange.round_id == round_.id
        assert exchange.cost == Decimal("900.00")
    assert round_.state is RoundState.PUBLISHED and round_.published_at is not None
    told = session.scalars(select(Notification).where(Notification.topic == "round_published"))
    by_user = {n.user_id: n for n in told}
    assert set(by_user) == {m.id for m in applied.managers}
    subjects = {m["To"]: m["Subject"] for m in mailbox.messages if round_.name in m["Subject"]}
    assert set(subjects) == {m.email for m in applied.managers}
    placed_hub = {e.participants[0].organisation_id: e for e in made}
    for manager in applied.managers:
        text = (
            next(
                m
                for m in mailbox.messages
                if m["To"] == manager.email and round_.name in m["Subject"]
            )
            .get_body(("plain",))
            .get_content()
        )
        if manager.hub_id in placed_hub:
            exchange = placed_hub[manager.hub_id]
            host = exchange.participants[1].organisation.name
            assert subjects[manager.email] == f"{round_.name}: your residency at {host}"
            start, end = (
                format_date(d, locale="en") for d in (exchange.starts_on, exchange.ends_on)
            )
            assert f"from {start} to {end}" in text  # as an English reader writes dates
        else:
            assert subjects[manager.email] == f"{round_.name}: no residency this time"
            assert "Left out" in text
    count = session.scalar(select(func.count()).select_from(Notification))
    assert publish(session, applied.coordinator, round_.id) is None
    assert session.scalar(select(func.count()).select_from(Notification)) == count
    assert session.scalar(select(func.count()).select_from(Exchange)) == 2
    with pytest.raises(InputError):
        allocate(session, applied.coordinator, round_.id)


def test_the_api_runs_allocate_adjust_and_publish(app, client, session, applied, mailbox):
    coordinator = {"Authorization": f"Bearer {create_token(session, applied.coordinator, 'a')[1]}"}
    manager = {"Authorization": f"Bearer {create_token(session, applied.managers[0], 'm')[1]}"}
    session.commit()
    url = f"/api/v1/rounds/{applied.round.id}"
    early = client.post(f"{url}/publish", headers=coordinator)
    assert early.status_code == 400 and early.get_json()["fields"]["round"]
    assert client.post(f"{url}/allocate", headers=manager).status_code == 403
    allocated = client.post(f"{url}/allocate", headers=coordinator).get_json()
    assert allocated["state"] == "allocated" and len(allocated["applications"]) == 3
    assert client.get(url, headers=manager).get_json()["application"]["outcome"] is None
    first = allocated["applications"][0]
    bad = client.post(
        f"{url}/adjust", json={"application": first["id"], "host": "nowhere"}, headers=coordinator
    )
    assert bad.status_code == 400 and "hosts no residencies" in bad.get_json()["fields"]["host"]
    waiting = client.post(f"{url}/publish", headers=coordinator)
    assert waiting.status_code == 400 and "host's answer" in waiting.get_json()["fields"]["round"]
    for application in allocated["applications"]:
        if application["outcome"]["placed_at"]:
            confirm = f"/api/v1/rounds/placements/{application['id']}/confirm"
            assert client.post(confirm, headers=manager).status_code in (403, 404)
            confirmed = client.post(confirm, headers=coordinator).get_json()
            assert confirmed["host_answer"] == "confirmed"
    published = client.post(f"{url}/publish", headers=coordinator).get_json()
    assert published["state"] == "published" and len(published["exchanges"]) == len(
        [a for a in allocated["applications"] if a["outcome"]["placed_at"]]
    )
    mine = client.get(url, headers=manager).get_json()["application"]
    assert mine["outcome"]["text"]
    again = client.post(f"{url}/publish", headers=coordinator).get_json()
    assert again["exchanges"] == []
    # Publishing answered without a mail server; the queue then tells every applicant.
    assert not [m for m in mailbox.messages if applied.round.name in m["Subject"]]
    run_queued_jobs(app)
    told = {m["To"] for m in mailbox.messages if applied.round.name in m["Subject"]}
    assert told == {m.email for m in applied.managers}


def test_the_cli_allocates_and_publishes_the_round(runner, session, applied, mailbox):
    round_id = applied.round.id
    result = runner.invoke(rounds_cli, ["allocate", str(round_id)])
    assert result.exit_code == 0, result.output
    assert "3 of 3 applicants placed, costing 2,700.00 of 6,000.00." in result.output
    waiting = runner.invoke(rounds_cli, ["publish", str(round_id)])
    assert waiting.exit_code == 1 and "wait for their host's answer" in waiting.output
    confirm_placements(session, applied)
    result = runner.invoke(rounds_cli, ["publish", str(round_id)])
    assert result.exit_code == 0, result.output
    assert "residencies scheduled" in result.output and "0 failed" in result.output
    assert "Already published" in runner.invoke(rounds_cli, ["publish", str(round_id)]).output
    session.expire_all()
    assert session.get(ResidencyRound, round_id).state is RoundState.PUBLISHED
    refused = runner.invoke(
        rounds_cli, ["allocate", str(round_id), "--as", applied.managers[0].email]
    )
    assert refused.exit_code == 1 and "only a programme coordinator" in refused.output


def test_the_coordinators_round_page_allocates_adjusts_and_publishes(client, session, applied):
    sign_in(client, applied.coordinator.email)  # a demo account
    url = f"/coordination/rounds/{applied.round.id}"
    assert url in client.get("/coordination/").get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Applications (3)" in page and "not allocated yet" in page
    token = csrf_token(client, url)
    assert client.post(f"{url}/allocate", data={"csrf_token": token}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Budget left</dt><dd>€3,300.00" in page and 'name="host"' in page
    first = applications_of(session, applied.round)[0]
    refused = client.post(
        f"{url}/adjust", data={"csrf_token": token, "application": first.id, "host": ""}
    )
    assert refused.status_code == 400
    assert "say why the applicant is left out" in refused.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Waiting for" in page and "Record the host" in page
    for placed in applications_of(session, applied.round):
        if placed.placed_host_id:
            confirm = f"/rounds/placements/{placed.id}/confirm"
            answer = client.post(confirm, data={"csrf_token": token, "back": "review"})
            assert answer.status_code == 302
    assert client.post(f"{url}/publish", data={"csrf_token": token}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "residency #" in page and "Run the allocation" not in page


def one_host_for_everyone(session, demo) -> Organisation:
    """A hub that is none of the applicants', with 3 residency places early in the round
    and 1 place at its end; every demo manager applies to it alone for the last 4 weeks."""
    round_ = demo.round
    applicants = {m.hub_id for m in demo.managers}
    host = next(o for o in demo.hubs.values() if o.kind.value == "hub" and o.id not in applicants)
    host.residency_places = 3
    host.availability = [
        AvailabilityWindow(
            kind=AvailabilityKind.RESIDENCY,
            starts_on=round_.starts_on,
            ends_on=round_.starts_on + timedelta(days=30),
            places=3,
        ),
        AvailabilityWindow(
            kind=AvailabilityKind.RESIDENCY,
            starts_on=round_.ends_on - timedelta(days=34),
            ends_on=round_.ends_on,
            places=1,
        ),
    ]
    round_.budget = Decimal("100000")
    session.commit()
    last_weeks = {
        "starts_on": (round_.ends_on - timedelta(days=27)).isoformat(),
        "ends_on": round_.ends_on.isoformat(),
    }
    for manager in demo.managers:
        apply(
            session, manager, round_, {"hosts": [host.slug], "message": MESSAGE, **last_weeks}, NOW
        )
    return host


def test_a_host_never_gets_more_residencies_on_the_same_dates_than_its_places(session, demo):
    """The allocation counts the host's 3 places of the round; on the applicants' dates it
    has 1, so the earliest application keeps it and the others are told why."""
    host = one_host_for_everyone(session, demo)
    allocate(session, demo.coordinator, demo.round.id)
    stored = applications_of(session, demo.round)
    kept = [a for a in stored if a.placed_host_id == host.id]
    assert [a.id for a in kept] == [stored[0].id]
    for left in stored[1:]:
        assert left.left_out_cause == "dates"
        assert (
            "are all taken once the residencies placed there before yours" in left.outcome_message
        )
    # A coordinator cannot squeeze one back in.
    with pytest.raises(InputError) as full:
        adjust(
            session,
            demo.coordinator,
            demo.round.id,
            {"application": stored[1].id, "host": host.slug},
        )
    assert "are all taken" in full.value.problems["host"]
    session.rollback()
    confirm_placements(session, demo)
    made = publish(session, demo.coordinator, demo.round.id, NOW)
    assert made is not None and len(made) == 1
    assert (
        room_problem(session, host, ExchangeKind.RESIDENCY, made[0].starts_on, made[0].ends_on)
        is not None
    )


def test_unpublished_placements_hold_their_money_and_places(session, demo):
    """A single approval, or another proposal, cannot take what an allocated round is
    about to publish."""
    host = one_host_for_everyone(session, demo)
    round_ = demo.round
    allocate(session, demo.coordinator, round_.id)
    (placed,) = [a for a in applications_of(session, round_) if a.placed_host_id]
    round_.budget = placed.cost + Decimal("100")
    session.commit()
    assert budget_left(session, round_) == Decimal("100.00")
    # Another hub asks the same host for the same dates: its place is held by the round.
    guest = next(
        o
        for o in demo.hubs.values()
        if o.kind.value == "hub" and o.id not in {host.id, placed.hub_id}
    )
    assert "are all taken" in room_problem(
        session, host, ExchangeKind.RESIDENCY, placed.starts_on, placed.ends_on
    )
    assert guest.id != host.id
    # Once published, the residency holds the place instead, and the money is spent.
    confirm_placements(session, demo)
    publish(session, demo.coordinator, round_.id, NOW)
    assert budget_left(session, round_) == Decimal("100.00")
    assert "are all taken" in room_problem(
        session, host, ExchangeKind.RESIDENCY, placed.starts_on, placed.ends_on
    )


def test_an_applicant_booked_elsewhere_since_applying_is_left_out_and_told_why(session, demo):
    manager = demo.managers[0]
    application = apply_with_suggestions(session, demo, manager)
    elsewhere = next(h for h in demo.hubs.values() if h.id != manager.hub_id)
    visit = new_exchange(
        session,
        ExchangeKind.SHADOWING,
        manager,
        [Party(manager.hub, ParticipantRole.GUEST, True), Party(elsewhere, ParticipantRole.HOST)],
        starts_on=application.starts_on,
        ends_on=application.starts_on,
        message=MESSAGE,
        now=NOW,
    )
    visit.move_to(ExchangeState.ACCEPTED, at=NOW)
    visit.move_to(ExchangeState.SCHEDULED, at=NOW)
    session.commit()
    allocate(session, demo.coordinator, demo.round.id)
    host, cause, text = outcome(session)[manager.hub_id]
    assert host is None and cause == "away" and f"exchange #{visit.id}" in text


def test_a_placed_host_declines_and_the_applicant_is_left_out_until_placed_again(session, applied):
    """Hosts take part by their own consent: a manager of a placed host is asked, sees the
    placement, and declines with a reason; the applicant is left out saying so, the
    coordinators are told, and the round publishes only what the hosts confirmed."""
    allocate(session, applied.coordinator, applied.round.id)
    placed = [a for a in applications_of(session, applied.round) if a.placed_host_id]
    managed = {m.hub_id: m for m in applied.managers}
    at_managed = next(a for a in placed if a.placed_host_id in managed)
    host_manager = managed[at_managed.placed_host_id]
    asked = session.scalars(
        select(Notification).where(
            Notification.topic == "placement_to_confirm", Notification.user_id == host_manager.id
        )
    ).all()
    assert asked and at_managed.hub.name in asked[0].body
    assert at_managed in placements_to_answer(session, host_manager)
    with pytest.raises(InputError):  # a decline says why
        answer_placement(session, host_manager, at_managed.id, False, "")
    session.rollback()
    host = at_managed.placed_host
    answer_placement(session, host_manager, at_managed.id, False, "the flat is being renovated")
    assert at_managed.placed_host_id is None and at_managed.left_out_cause == "host"
    assert f"{host.name} cannot host this residency" in at_managed.outcome_message
    told = session.scalars(select(Notification).where(Notification.topic == "placement_answered"))
    assert {n.user_id for n in told} >= {applied.coordinator.id}
    confirm_placements(session, applied)
    made = publish(session, applied.coordinator, applied.round.id)
    assert made is not None and at_managed.hub_id not in {
        e.participants[0].organisation_id for e in made
    }
    for exchange in made:  # the page tells when the host said yes
        host_part = exchange.participants[1]
        assert host_part.responded_at == NOW
