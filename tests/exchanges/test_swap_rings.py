"""Multi-way swaps as group proposals: a ring of the plan is proposed to its hubs, agreed
only when every hub has accepted (then everyone gets the confirmation), dissolved by one
decline (the others are told who and why), withdrawn by its starter, reminded and expired
like any proposal; desks are never double-booked; managers only start and see rings with
their hub. Two hubs answering at once on PostgreSQL: the ring is scheduled exactly once."""

from __future__ import annotations

import os
import threading
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import create_engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from matchmaker.errors import Forbidden, InputError, NotFound
from matchmaker.exchanges.proposals import (
    answer,
    expire_and_remind,
    get_exchange,
    propose,
    withdraw,
)
from matchmaker.exchanges.swap_rings import propose_ring, ring_explanation
from matchmaker.matching.swaps import Leg, SwapRing
from matchmaker.models import (
    AvailabilityKind,
    Exchange,
    ExchangeState,
    Notification,
    Organisation,
    ParticipantResponse,
    ParticipantRole,
    Role,
    User,
)
from matchmaker.outbox import send_due
from tests.support.builders import hub, person, window
from tests.support.exchange_fixtures import MESSAGE, NOW, RULES, START

S = ExchangeState


@pytest.fixture
def ring_people(session: Session, people: dict[str, User]) -> dict[str, User]:
    """The exchange fixtures' people, and a third hub with desks and a manager."""
    west = hub(session, "west-hub", desks=2)
    west.availability.append(window(AvailabilityKind.DESKS, START, 60, 1))
    people["west"] = person(session, "west@x.org", hub=west, name="Wes")
    session.commit()
    return people


def ring_of(*managers: User, days: tuple[int, int] = (0, 9), members: int = 1) -> SwapRing:
    """A ring as the plan gives it: each hub's member uses the next hub's desks."""
    ids = [m.hub_id for m in managers]
    starts_on, ends_on = START + timedelta(days=days[0]), START + timedelta(days=days[1])
    legs = tuple(
        Leg(guest, host, members, starts_on, ends_on, 0.8)
        for guest, host in zip(ids, ids[1:] + ids[:1], strict=True)
    )
    return SwapRing(legs, 2.4, f"Ring of {len(ids)}: each hub's member uses the next one's desks.")


def topics(session: Session, user: User) -> list[str]:
    return [
        n.topic
        for n in session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    ]


def test_a_ring_is_agreed_when_the_last_hub_accepts_and_everyone_is_confirmed(
    app, session, ring_people, mailbox
):
    north, south, west, coordinator = (
        ring_people[k] for k in ("north", "south", "west", "coordinator")
    )
    exchange = propose_ring(session, coordinator, ring_of(north, south, west), MESSAGE, RULES, NOW)
    assert exchange.state is S.PROPOSED and exchange.proposed_by == coordinator
    assert [(p.organisation.slug, p.role, p.response) for p in exchange.participants] == [
        (slug, ParticipantRole.RING_MEMBER, ParticipantResponse.PENDING)
        for slug in ("north-hub", "south-hub", "west-hub")
    ]
    assert ring_explanation(exchange).startswith("Ring of 3")
    for manager in (north, south, west):
        assert topics(session, manager) == ["proposal_received"]
    answer(session, north, exchange, accept=True, now=NOW)
    answer(session, west, exchange, accept=True, now=NOW)
    assert exchange.state is S.PROPOSED  # two of three: still waiting for South Hub
    with pytest.raises(InputError) as again:
        answer(session, west, exchange, accept=True, now=NOW)
    assert "already" in again.value.problems["exchange"]
    assert send_due(session, app.config, now=NOW) == (3, 0)  # the three invitations
    invitation = next(m for m in mailbox.messages if m["To"] == "south@x.org")
    body = invitation.get_body(("plain",)).get_content()
    assert "South Hub hosts North Hub's member" in body and "uses West Hub's desks" in body
    assert "Ring of 3" in body and MESSAGE in body and "/exchanges/" in body
    answer(session, south, exchange, accept=True, now=NOW)
    assert exchange.state is S.SCHEDULED
    assert topics(session, coordinator) == ["proposal_accepted"]
    assert send_due(session, app.config, now=NOW) == (6, 0)
    confirmations = [m for m in mailbox.messages if m["Subject"].startswith("Scheduled:")]
    assert sorted(m["To"] for m in confirmations) == ["north@x.org", "south@x.org", "west@x.org"]
    for confirmation in confirmations:
        (attachment,) = confirmation.iter_attachments()
        (event,) = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
        assert event.decoded("DTSTART") == START
    agreed = [m for m in mailbox.messages if m["Subject"].startswith("Every hub accepted")]
    assert sorted(m["To"] for m in agreed) == ["c@x.org", "north@x.org", "west@x.org"]


def test_one_decline_dissolves_the_ring_and_tells_the_others(session, ring_people):
    north, south, west = ring_people["north"], ring_people["south"], ring_people["west"]
    exchange = propose_ring(
        session, ring_people["coordinator"], ring_of(north, south, west), MESSAGE, RULES, NOW
    )
    answer(session, north, exchange, accept=True, now=NOW)
    answer(session, south, exchange, accept=False, reason="Our desks are being renovated.")
    assert exchange.state is S.DECLINED and exchange.reason == "Our desks are being renovated."
    told = session.scalars(select(Notification).where(Notification.topic == "proposal_declined"))
    by_user = {n.user_id: n for n in told}
    assert set(by_user) == {north.id, west.id, ring_people["coordinator"].id}
    for note in by_user.values():
        assert "South Hub declined" in note.body and "dissolved" in note.body
        assert "Our desks are being renovated." in note.body
    with pytest.raises(InputError):
        answer(session, west, exchange, accept=True)


def test_a_manager_starts_only_rings_with_their_hub_which_accepts_by_proposing(
    session, ring_people
):
    north, south, west, east = (ring_people[k] for k in ("north", "south", "west", "east"))
    with pytest.raises(Forbidden):
        propose_ring(session, east, ring_of(north, south, west), MESSAGE, RULES, NOW)
    assert session.scalar(select(Exchange)) is None
    # The plan's order starts at South Hub; the ring turns so the proposer's hub is first.
    exchange = propose_ring(session, north, ring_of(south, west, north), MESSAGE, RULES, NOW)
    assert [p.organisation.slug for p in exchange.participants] == [
        "north-hub",
        "south-hub",
        "west-hub",
    ]
    assert [p.response for p in exchange.participants] == [
        ParticipantResponse.ACCEPTED,
        ParticipantResponse.PENDING,
        ParticipantResponse.PENDING,
    ]
    assert topics(session, north) == []
    with pytest.raises(Forbidden):
        answer(session, north, exchange, accept=True)  # one's own proposal
    answer(session, south, exchange, accept=True, now=NOW)
    assert exchange.state is S.PROPOSED
    answer(session, west, exchange, accept=True, now=NOW)
    assert exchange.state is S.SCHEDULED


def test_a_manager_outside_the_ring_can_neither_see_nor_answer_it(session, ring_people):
    north, south, west, east = (ring_people[k] for k in ("north", "south", "west", "east"))
    exchange = propose_ring(
        session, ring_people["coordinator"], ring_of(north, south, west), MESSAGE, RULES, NOW
    )
    with pytest.raises(NotFound):
        get_exchange(session, east, exchange.id)
    with pytest.raises(Forbidden):
        answer(session, east, exchange, accept=True)
    with pytest.raises(Forbidden):
        withdraw(session, east, exchange)
    assert get_exchange(session, west, exchange.id) is exchange


def test_only_the_starter_withdraws_a_ring_and_the_hubs_are_told(session, ring_people):
    north, south, west = ring_people["north"], ring_people["south"], ring_people["west"]
    exchange = propose_ring(
        session, ring_people["coordinator"], ring_of(north, south, west), MESSAGE, RULES, NOW
    )
    other_coordinator = person(session, "c2@x.org", Role.COORDINATOR)
    session.commit()
    for someone in (north, other_coordinator):
        with pytest.raises(Forbidden):
            withdraw(session, someone, exchange)
    withdraw(session, ring_people["coordinator"], exchange, NOW)
    assert exchange.state is S.WITHDRAWN
    for manager in (north, south, west):
        assert topics(session, manager) == ["proposal_received", "proposal_withdrawn"]


def test_desks_are_not_double_booked_by_rings(session, ring_people):
    north, south, west = ring_people["north"], ring_people["south"], ring_people["west"]
    coordinator = ring_people["coordinator"]
    ring = propose_ring(session, coordinator, ring_of(north, south, west), MESSAGE, RULES, NOW)
    with pytest.raises(InputError) as twice:
        propose_ring(session, coordinator, ring_of(west, north, south), MESSAGE, RULES, NOW)
    assert f"already proposed (exchange #{ring.id})" in twice.value.problems["hubs"]
    # A two-hub swap takes North Hub's only desk for the ring's dates first.
    swap = propose(
        session,
        north,
        south.hub,
        {
            "kind": "hot_desking",
            "message": MESSAGE,
            "starts_on": str(START + timedelta(days=5)),
            "ends_on": str(START + timedelta(days=12)),
        },
        RULES,
        NOW,
    )
    answer(session, south, swap, accept=True, now=NOW)
    assert swap.state is S.SCHEDULED
    with pytest.raises(InputError) as taken:
        answer(session, west, ring, accept=True, now=NOW)
    assert "North Hub's free desks" in taken.value.problems["exchange"]
    assert ring.state is S.PROPOSED and ring.participants[2].response is ParticipantResponse.PENDING
    with pytest.raises(InputError) as refused:
        propose_ring(session, coordinator, ring_of(north, west, days=(3, 8)), MESSAGE, RULES, NOW)
    assert "are all taken" in refused.value.problems["hubs"]


@pytest.mark.parametrize(
    ("ring", "message", "field"),
    [
        (lambda p: ring_of(p["north"], p["south"], members=2), MESSAGE, "members"),
        (lambda p: ring_of(p["north"], p["south"]), "Hi", "message"),
        (lambda p: ring_of(p["north"], p["east"]), MESSAGE, "hubs"),  # East Hub has no desks
        (lambda p: ring_of(p["north"], p["south"], days=(-40, -35)), MESSAGE, "starts_on"),
    ],
)
def test_rings_that_cannot_be_proposed_say_why_and_store_nothing(
    session, ring_people, ring, message, field
):
    with pytest.raises(InputError) as refused:
        propose_ring(session, ring_people["coordinator"], ring(ring_people), message, RULES, NOW)
    assert field in refused.value.problems
    session.rollback()
    assert session.scalar(select(Exchange)) is None


def test_a_ring_reminds_every_hub_still_to_answer_then_expires(session, ring_people):
    north, south, west = ring_people["north"], ring_people["south"], ring_people["west"]
    exchange = propose_ring(
        session, ring_people["coordinator"], ring_of(north, south, west), MESSAGE, RULES, NOW
    )
    answer(session, north, exchange, accept=True, now=NOW)
    assert expire_and_remind(session, RULES, NOW + timedelta(days=11)) == (0, 1)
    assert (
        topics(session, south)
        == topics(session, west)
        == ["proposal_received", "proposal_expiring"]
    )
    assert topics(session, north) == ["proposal_received"]
    assert expire_and_remind(session, RULES, NOW + timedelta(days=14)) == (1, 0)
    assert exchange.state is S.EXPIRED
    assert (
        topics(session, north)[-1]
        == topics(session, ring_people["coordinator"])[-1]
        == ("proposal_expired")
    )
    with pytest.raises(InputError):
        answer(session, south, exchange, accept=True)


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="concurrent transactions are tested on PostgreSQL",
)
def test_two_last_answers_at_once_schedule_the_ring_exactly_once(app):
    """Real transactions on separate connections: without the exchange's row lock, each
    would see the other still pending and the ring would never be scheduled."""
    engine = create_engine(os.environ["TEST_DATABASE_URL"])
    make = sessionmaker(engine)
    tag = f"-ring-{os.getpid()}"
    try:
        with make() as setup:
            managers = []
            for name in ("north", "south", "west"):
                organisation = hub(setup, f"{name}{tag}", desks=1)
                organisation.availability.append(window(AvailabilityKind.DESKS, START, 30, 1))
                managers.append(person(setup, f"{name}{tag}@x.org", hub=organisation))
            setup.commit()
            exchange = propose_ring(setup, managers[0], ring_of(*managers), MESSAGE, RULES, NOW)
            exchange_id, answering = exchange.id, [m.id for m in managers[1:]]
        barrier = threading.Barrier(2)

        def accept_in_own_transaction(user_id: int) -> None:
            # A use case runs in the app's context (its settings, its templates).
            with app.app_context(), make() as session:
                exchange, user = session.get(Exchange, exchange_id), session.get(User, user_id)
                barrier.wait()
                answer(session, user, exchange, accept=True, now=NOW)

        threads = [
            threading.Thread(target=accept_in_own_transaction, args=(user_id,))
            for user_id in answering
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with make() as check:
            assert check.get(Exchange, exchange_id).state is S.SCHEDULED
            confirmations = check.scalars(
                select(Notification).where(
                    Notification.exchange_id == exchange_id,
                    Notification.topic == "exchange_scheduled",
                )
            ).all()
            assert len(confirmations) == 3
    finally:
        with make() as cleanup:
            hubs = select(Organisation.id).where(Organisation.slug.like(f"%{tag}"))
            users = select(User.id).where(User.email.like(f"%{tag}@x.org"))
            cleanup.execute(delete(Notification).where(Notification.user_id.in_(users)))
            cleanup.execute(delete(Exchange).where(Exchange.proposed_by_id.in_(users)))
            cleanup.execute(delete(User).where(User.id.in_(users)))
            cleanup.execute(delete(Organisation).where(Organisation.id.in_(hubs)))
            cleanup.commit()
        engine.dispose()
