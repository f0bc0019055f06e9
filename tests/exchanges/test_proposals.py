"""Proposals: what may be proposed (dates in the host's availability, no double booking,
a real message, a cap on open proposals), answers, withdrawal, expiry with a reminder
first on a controlled clock, contact details only after acceptance, and the emails that
arrive at a real SMTP server."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.errors import Forbidden, InputError, NotFound, SignInRequired
from matchmaker.exchanges.proposals import (
    answer,
    expire_and_remind,
    get_exchange,
    propose,
    withdraw,
)
from matchmaker.exchanges.visibility import (
    calendar_of,
    contacts_visible_to,
    own_part,
    sees_private_feedback,
)
from matchmaker.models import (
    Exchange,
    ExchangeFeedback,
    ExchangeState,
    Notification,
    Organisation,
    OutgoingEmail,
    Role,
    User,
)
from matchmaker.outbox import send_due
from tests.support.exchange_fixtures import MESSAGE, NOW, RULES, START
from tests.support.queue import run_queued_jobs
from tests.support.web import csrf_token


def proposal(kind="residency", days=(0, 20), message=MESSAGE) -> dict[str, str]:
    return {
        "kind": kind,
        "starts_on": (START + timedelta(days=days[0])).isoformat(),
        "ends_on": (START + timedelta(days=days[1])).isoformat(),
        "message": message,
    }


def topics(session: Session, user: User) -> list[str]:
    return [
        n.topic
        for n in session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    ]


def test_a_residency_proposal_is_accepted_and_waits_for_a_coordinator(session, people):
    north, south = people["north"], people["south"]
    exchange = propose(session, north, south.hub, proposal(), RULES, NOW)
    assert exchange.state is ExchangeState.PROPOSED
    expires_at = exchange.expires_at
    assert expires_at.replace(tzinfo=expires_at.tzinfo or UTC) == NOW + timedelta(days=14)
    assert topics(session, south) == ["proposal_received"]
    answer(session, south, exchange, accept=True, now=NOW)
    assert exchange.state is ExchangeState.PENDING_APPROVAL
    assert topics(session, north) == ["proposal_accepted"]
    assert topics(session, people["coordinator"]) == ["approval_needed"]


def test_an_accepted_shadowing_visit_is_scheduled(session, people):
    exchange = propose(
        session, people["north"], people["south"].hub, proposal("shadowing", (0, 3)), RULES, NOW
    )
    answer(session, people["south"], exchange, accept=True, now=NOW)
    assert exchange.state is ExchangeState.SCHEDULED


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (proposal(message="Hi"), "message", "at least 30 characters"),
        (proposal(days=(0, 100)), "starts_on", "has no residency places covering"),
        (proposal(days=(5, 2)), "ends_on", "on or after the start date"),
        (proposal(days=(0, 3)), "ends_on", "lasts 7 to 183 days"),
        ({**proposal(), "kind": "party"}, "kind", "is not one of"),
        (
            {**proposal(), "starts_on": "2026-12-01", "ends_on": "2027-01-01"},
            "starts_on",
            "after today",
        ),
    ],
)
def test_bad_proposals_are_refused_with_the_field(session, people, data, field, reason):
    with pytest.raises(InputError) as refused:
        propose(session, people["north"], people["south"].hub, data, RULES, NOW)
    assert reason in refused.value.problems[field]
    assert session.scalars(select(Exchange)).all() == []


def test_a_hub_that_does_not_host_visits_cannot_be_proposed_a_shadowing_visit(session, people):
    with pytest.raises(InputError) as refused:
        propose(
            session, people["north"], people["east"].hub, proposal("shadowing", (0, 2)), RULES, NOW
        )
    assert "does not host shadowing visits" in refused.value.problems["starts_on"]


def test_places_are_not_double_booked(session, people):
    north, south, east = people["north"], people["south"], people["east"]
    first = propose(session, north, south.hub, proposal(), RULES, NOW)
    second = propose(session, east, south.hub, proposal(days=(10, 30)), RULES, NOW)
    answer(session, south, first, accept=True, now=NOW)
    with pytest.raises(InputError) as refused:
        answer(session, south, second, accept=True, now=NOW)
    assert "are all taken" in refused.value.problems["exchange"]
    with pytest.raises(InputError):
        propose(session, east, south.hub, proposal(days=(5, 25)), RULES, NOW)
    # Dates after the first residency are free again.
    assert propose(session, east, south.hub, proposal(days=(25, 45)), RULES, NOW)


def test_a_swap_needs_desks_free_at_both_hubs(session, people):
    with pytest.raises(InputError) as refused:
        propose(
            session,
            people["east"],
            people["north"].hub,
            proposal("hot_desking", (0, 9)),
            RULES,
            NOW,
        )
    assert "East Hub has no free desks" in refused.value.problems["starts_on"]
    swap = propose(
        session, people["north"], people["south"].hub, proposal("hot_desking", (0, 9)), RULES, NOW
    )
    answer(session, people["south"], swap, accept=True, now=NOW)
    assert swap.state is ExchangeState.SCHEDULED


def test_open_proposals_are_capped(session, people):
    north = people["north"]
    propose(session, north, people["south"].hub, proposal(), RULES, NOW)
    propose(session, north, people["south"].hub, proposal("shadowing", (0, 2)), RULES, NOW)
    with pytest.raises(InputError) as refused:
        propose(session, north, people["south"].hub, proposal("shadowing", (5, 6)), RULES, NOW)
    assert "already has 2 proposals waiting" in refused.value.problems["to"]


def test_only_the_invited_hub_answers_and_only_the_proposer_withdraws(session, people):
    exchange = propose(session, people["north"], people["south"].hub, proposal(), RULES, NOW)
    with pytest.raises(Forbidden):
        answer(session, people["east"], exchange, accept=True)
    with pytest.raises(Forbidden):
        answer(session, people["coordinator"], exchange, accept=True)
    with pytest.raises(Forbidden):
        withdraw(session, people["south"], exchange)
    with pytest.raises(Forbidden):
        answer(session, people["north"], exchange, accept=True)  # one's own proposal
    withdraw(session, people["north"], exchange, NOW)
    assert exchange.state is ExchangeState.WITHDRAWN
    assert topics(session, people["south"]) == ["proposal_received", "proposal_withdrawn"]
    with pytest.raises(InputError):
        answer(session, people["south"], exchange, accept=True)


def test_a_decline_carries_its_reason_to_the_proposer(session, people):
    exchange = propose(session, people["north"], people["south"].hub, proposal(), RULES, NOW)
    answer(session, people["south"], exchange, accept=False, reason="We are full in February.")
    assert (
        exchange.state is ExchangeState.DECLINED and exchange.reason == "We are full in February."
    )
    message = session.scalar(select(Notification).where(Notification.topic == "proposal_declined"))
    assert "We are full in February." in message.body


def test_unanswered_proposals_are_reminded_once_then_expire(session, people):
    exchange = propose(session, people["north"], people["south"].hub, proposal(), RULES, NOW)
    assert expire_and_remind(session, RULES, NOW + timedelta(days=10)) == (0, 0)
    assert expire_and_remind(session, RULES, NOW + timedelta(days=11)) == (0, 1)
    assert expire_and_remind(session, RULES, NOW + timedelta(days=12)) == (0, 0)
    assert topics(session, people["south"]) == ["proposal_received", "proposal_expiring"]
    assert expire_and_remind(session, RULES, NOW + timedelta(days=14)) == (1, 0)
    assert exchange.state is ExchangeState.EXPIRED
    assert topics(session, people["north"]) == ["proposal_expired"]
    assert expire_and_remind(session, RULES, NOW + timedelta(days=30)) == (0, 0)


def test_notifications_arrive_by_smtp_and_failures_are_retried(app, session, people, mailbox):
    propose(session, people["north"], people["south"].hub, proposal(), RULES, NOW)
    saved = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1  # the server is down
    assert send_due(session, app.config, now=NOW) == (0, 1)
    failed = session.scalar(select(OutgoingEmail))
    assert failed.attempts == 1 and failed.sent_at is None and "could not send" in failed.last_error
    assert failed.sending_since is None and failed.set_aside is None
    app.config["SMTP_PORT"] = saved
    assert send_due(session, app.config, now=NOW) == (0, 0)  # not due yet: backoff
    assert send_due(session, app.config, now=NOW + timedelta(minutes=3)) == (1, 0)
    (message,) = mailbox.messages
    assert message["To"] == "south@x.org"
    assert message["Subject"] == "North Hub proposes a manager residency"
    body = message.get_body(("plain",)).get_content()
    assert MESSAGE in body and f"{app.config['BASE_URL']}/exchanges/" in body
    assert send_due(session, app.config, now=NOW + timedelta(hours=1)) == (0, 0)  # sent once


def sign_in_as(client, user: User) -> None:
    with client.session_transaction() as cookie:
        cookie["_user_id"] = user.get_id()
        cookie["_fresh"] = True


def test_the_journey_in_the_pages_with_contact_details_after_acceptance(
    app, client, session, people, mailbox
):
    north, south = people["north"], people["south"]
    sign_in_as(client, north)
    page = client.get("/hubs/south-hub/propose?kind=residency").get_data(as_text=True)
    assert "Propose an exchange to South Hub" in page
    token = csrf_token(client, "/hubs/south-hub/propose")
    bad = client.post(
        "/hubs/south-hub/propose", data={**proposal(message="Hi"), "csrf_token": token}
    )
    assert bad.status_code == 400 and 'id="message-error"' in bad.get_data(as_text=True)
    start = (date.today() + timedelta(days=400)).isoformat()
    for window in session.get(Organisation, south.hub_id).availability:
        window.starts_on, window.ends_on = date.today(), date.today() + timedelta(days=500)
    session.commit()
    data = {
        "kind": "residency",
        "starts_on": start,
        "ends_on": (date.fromisoformat(start) + timedelta(days=14)).isoformat(),
        "message": MESSAGE,
        "csrf_token": token,
    }
    sent = client.post("/hubs/south-hub/propose", data=data)
    assert sent.status_code == 302, sent.get_data(as_text=True)
    path = sent.headers["Location"]
    assert "south@x.org" not in client.get(path).get_data(as_text=True)
    assert mailbox.messages == []  # the request only wrote it to the outbox
    assert run_queued_jobs(app) == ["send_emails"]
    assert [m["To"] for m in mailbox.messages] == ["south@x.org"]
    sign_in_as(client, people["east"])
    assert client.get(path).status_code == 404  # not theirs to see
    sign_in_as(client, south)
    inbox = client.get("/inbox").get_data(as_text=True)
    assert "North Hub proposes a manager residency" in inbox
    accepted = client.post(f"{path}/accept", data={"csrf_token": csrf_token(client, path)})
    assert accepted.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "pending approval" in page and "north@x.org" in page
    sign_in_as(client, north)
    assert "south@x.org" in client.get(path).get_data(as_text=True)
    run_queued_jobs(app)
    assert "South Hub accepted your manager residency" in [m["Subject"] for m in mailbox.messages]


@pytest.fixture
def admin(session: Session) -> User:
    user = User(email="admin@x.org", role=Role.ADMIN, password_hash="unused")
    session.add(user)
    session.commit()
    return user


def test_contacts_and_the_calendar_are_seen_once_agreed_by_those_who_see_the_exchange(
    session, people, admin, app
):
    """North proposes to South: nobody reads a contact or gets a calendar while it is a
    proposal; once accepted each hub reads the other's managers, a coordinator or an admin
    both; another hub's manager and nobody signed in cannot open the exchange at all."""
    north, south, east = people["north"], people["south"], people["east"]
    coordinator = people["coordinator"]
    exchange = propose(session, north, south.hub, proposal("shadowing", (0, 3)), RULES, NOW)
    url = app.config["BASE_URL"]

    def contacts(user):
        seen = contacts_visible_to(session, get_exchange(session, user, exchange.id), user)
        return {hub.slug: [m.email for m in managers] for hub, managers in seen}

    assert contacts(north) == contacts(south) == contacts(coordinator) == {}
    with pytest.raises(NotFound):
        calendar_of(session, north, exchange.id, url)
    answer(session, south, exchange, accept=True, now=NOW)
    assert contacts(north) == {"south-hub": ["south@x.org"]}
    assert contacts(south) == {"north-hub": ["north@x.org"]}
    both = {"north-hub": ["north@x.org"], "south-hub": ["south@x.org"]}
    assert contacts(coordinator) == contacts(admin) == both
    for user in (north, south, coordinator, admin):
        assert "BEGIN:VCALENDAR" in calendar_of(session, user, exchange.id, url)
    with pytest.raises(NotFound):
        contacts(east)
    with pytest.raises(NotFound):
        calendar_of(session, east, exchange.id, url)
    with pytest.raises(SignInRequired):
        calendar_of(session, None, exchange.id, url)


def test_each_side_sees_its_own_part_and_only_its_own_feedback_in_private(session, people, admin):
    north, south = people["north"], people["south"]
    exchange = propose(session, north, south.hub, proposal("shadowing", (0, 3)), RULES, NOW)
    assert own_part(exchange, north).organisation == north.hub
    assert own_part(exchange, south).organisation == south.hub
    assert own_part(exchange, people["coordinator"]) is None
    assert own_part(exchange, admin) is None
    theirs = ExchangeFeedback(organisation=north.hub, rating=2, review="Fine.")
    mine = ExchangeFeedback(organisation=south.hub, rating=5, review="Great.")
    assert sees_private_feedback(south, mine, mine)
    assert not sees_private_feedback(south, theirs, mine)
    assert not sees_private_feedback(people["east"], theirs, None)
    assert sees_private_feedback(people["coordinator"], theirs, None)
    assert sees_private_feedback(admin, theirs, None)
