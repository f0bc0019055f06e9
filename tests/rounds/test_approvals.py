"""Coordinators approve residencies within the round's budget and the host's places,
reject them with a reason, and open rounds; two approvals at the same moment never
overspend (PostgreSQL, real concurrent transactions)."""

from __future__ import annotations

import os
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from matchmaker.errors import Forbidden, InputError, NotFound, SignInRequired
from matchmaker.exchanges.proposals import ProposalRules, answer, propose
from matchmaker.models import (
    AvailabilityKind,
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    Notification,
    Organisation,
    OutgoingEmail,
    ResidencyRound,
    Role,
    User,
)
from matchmaker.rounds.approvals import approval_queue, approve, decide_approval, reject
from matchmaker.rounds.funding import residency_cost
from matchmaker.rounds.opening import open_round
from tests.support import builders, exchange_fixtures
from tests.support.builders import person
from tests.support.web import csrf_token

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
START = date(2027, 3, 1)
MESSAGE = "We would love to spend three weeks learning how you run your residencies."
RULES = ProposalRules(max_open=10)


def make_network(session: Session, tag: str = "") -> dict[str, object]:
    """Two hosts with one residency place each, three guest hubs, their managers, and a
    coordinator."""
    hubs = {}
    for name in ("host-a", "host-b", "guest-1", "guest-2", "guest-3"):
        hub = builders.hub(session, f"{name}{tag}", name=name.title(), residency_places=1)
        places = 2 if name == "host-a" else 1
        hub.availability.append(builders.window(AvailabilityKind.RESIDENCY, START, 90, places))
        hubs[name] = hub
    users = {name: person(session, f"{name}{tag}@x.org", hub=hub) for name, hub in hubs.items()}
    for name in ("coordinator", "coordinator2"):
        users[name] = person(session, f"{name}{tag}@x.org", Role.COORDINATOR)
    session.commit()
    return users


def accepted_residency(session, users, guest: str, host: str, days=(0, 20)) -> Exchange:
    data = {
        "kind": "residency",
        "message": MESSAGE,
        "starts_on": (START + timedelta(days=days[0])).isoformat(),
        "ends_on": (START + timedelta(days=days[1])).isoformat(),
    }
    exchange = propose(session, users[guest], users[host].hub, data, RULES, NOW)
    answer(session, users[host], exchange, accept=True, now=NOW)
    assert exchange.state is ExchangeState.PENDING_APPROVAL
    return exchange


def a_round(session, users, budget="1000", per_week="100", name="Spring residencies"):
    return open_round(
        session,
        users["coordinator"],
        {
            "name": name,
            "starts_on": START.isoformat(),
            "ends_on": (START + timedelta(days=90)).isoformat(),
            "budget": budget,
            "cost_per_residency": "50",
            "cost_per_week": per_week,
        },
    )


@pytest.fixture
def users(session):
    return make_network(session)


def test_the_cost_follows_the_rounds_rule(session, users):
    round_ = a_round(session, users)
    assert residency_cost(round_, START, START + timedelta(days=20)) == Decimal("350.00")  # 3 weeks


def test_an_approved_residency_is_funded_scheduled_and_both_hubs_are_told(session, users):
    round_ = a_round(session, users)
    exchange = accepted_residency(session, users, "guest-1", "host-a")
    ((entry, funding),) = approval_queue(session, users["coordinator"])
    assert entry.id == exchange.id and funding.round.id == round_.id
    assert (funding.cost, funding.budget_left, funding.places) == (
        Decimal("350.00"),
        Decimal("1000.00"),
        2,
    )
    approve(session, users["coordinator"], exchange, NOW)
    assert exchange.state is ExchangeState.SCHEDULED
    assert (exchange.round_id, exchange.cost) == (round_.id, Decimal("350.00"))
    told = dict(
        session.execute(
            select(Notification.user_id, Notification.subject).where(
                Notification.topic.in_(["residency_approved", "residency_approved_host"])
            )
        ).all()
    )
    # Each side in its own words: the host is not told "your residency".
    assert told[users["guest-1"].id] == "Your residency is approved"
    assert told[users["host-a"].id].startswith("A residency at your hub is approved: ")
    assert set(told) == {users["guest-1"].id, users["host-a"].id}
    assert approval_queue(session, users["coordinator"]) == []


def test_the_budget_is_never_overspent(session, users):
    a_round(session, users, budget="600")
    first = accepted_residency(session, users, "guest-1", "host-a")
    second = accepted_residency(session, users, "guest-2", "host-a", days=(30, 50))
    approve(session, users["coordinator"], first, NOW)
    with pytest.raises(InputError) as refused:
        approve(session, users["coordinator"], second, NOW)
    assert refused.value.problems["exchange"] == (
        "it costs €350.00 and the round 'Spring residencies' has €250.00 left"
    )
    session.refresh(second)
    assert second.state is ExchangeState.PENDING_APPROVAL


def test_a_host_is_never_overfilled(session, users):
    a_round(session, users, budget="10000")
    first = accepted_residency(session, users, "guest-1", "host-b")
    approve(session, users["coordinator"], first, NOW)
    # host-b's only place is taken in these dates: accepting another is refused already.
    data = {
        "kind": "residency",
        "message": MESSAGE,
        "starts_on": (START + timedelta(days=5)).isoformat(),
        "ends_on": (START + timedelta(days=25)).isoformat(),
    }
    with pytest.raises(InputError):
        propose(session, users["guest-2"], users["host-b"].hub, data, RULES, NOW)


def test_a_hub_away_as_a_guest_keeps_its_own_places(session, users):
    """Places count hosts only: host-b's own people in residence at host-a take none of
    host-b's one place (they used to)."""
    a_round(session, users, budget="10000")
    away = accepted_residency(session, users, "host-b", "host-a")
    approve(session, users["coordinator"], away, NOW)
    hosted = accepted_residency(session, users, "guest-1", "host-b")
    approve(session, users["coordinator"], hosted, NOW)
    assert hosted.state is ExchangeState.SCHEDULED


def test_without_a_round_covering_the_dates_nothing_is_approved(session, users):
    exchange = accepted_residency(session, users, "guest-1", "host-a")
    with pytest.raises(InputError) as refused:
        approve(session, users["coordinator"], exchange, NOW)
    assert "no open residency round funds these dates" in refused.value.problems["exchange"]


def test_a_rejection_needs_a_reason_and_tells_both_hubs(session, users):
    exchange = accepted_residency(session, users, "guest-1", "host-a")
    with pytest.raises(InputError) as refused:
        reject(session, users["coordinator"], exchange, "  ")
    assert "reason" in refused.value.problems
    reject(session, users["coordinator"], exchange, "The programme funds first-time visits only.")
    assert exchange.state is ExchangeState.REJECTED
    body = session.scalar(
        select(Notification.body).where(Notification.topic == "residency_rejected")
    )
    assert "first-time visits only" in body


def test_only_coordinators_approve_reject_or_open_rounds(session, users):
    exchange = accepted_residency(session, users, "guest-1", "host-a")
    for action in (
        lambda u: approve(session, u, exchange),
        lambda u: reject(session, u, exchange, "no"),
        lambda u: approval_queue(session, u),
        lambda u: a_round(session, {"coordinator": u}),
    ):
        with pytest.raises(Forbidden):
            action(users["host-a"])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {
                "name": "",
                "starts_on": "2027-03-01",
                "ends_on": "2027-04-01",
                "budget": "10",
                "cost_per_week": "1",
            },
            "name",
        ),
        (
            {
                "name": "R",
                "starts_on": "2027-03-01",
                "ends_on": "2027-02-01",
                "budget": "10",
                "cost_per_week": "1",
            },
            "ends_on",
        ),
        (
            {"name": "R", "starts_on": "2027-03-01", "ends_on": "2027-04-01", "cost_per_week": "1"},
            "budget",
        ),
        (
            {
                "name": "R",
                "starts_on": "2027-03-01",
                "ends_on": "2027-04-01",
                "budget": "-5",
                "cost_per_week": "1",
            },
            "budget",
        ),
        (
            {"name": "R", "starts_on": "2027-03-01", "ends_on": "2027-04-01", "budget": "10"},
            "cost_per_residency",
        ),
        (
            {
                "name": "R",
                "starts_on": "2027-03-01",
                "ends_on": "2027-04-01",
                "budget": "10",
                "cost_per_week": "1",
                "applications_close_on": "2027-03-15",
            },
            "applications_close_on",
        ),
    ],
)
def test_a_bad_round_is_refused_with_the_field(session, users, data, field):
    with pytest.raises(InputError) as refused:
        open_round(session, users["coordinator"], data)
    assert field in refused.value.problems
    assert session.scalars(select(ResidencyRound)).all() == []


def test_the_console_shows_the_queue_and_approves(client, session, users):
    a_round(session, users)
    exchange = accepted_residency(session, users, "guest-1", "host-a")
    with client.session_transaction() as cookie:
        cookie["_user_id"] = users["coordinator"].get_id()
    page = client.get("/coordination/").get_data(as_text=True)
    assert f"Residency #{exchange.id}" in page and "Budget left" in page and "€1,000.00" in page
    response = client.post(
        f"/coordination/exchanges/{exchange.id}/approve",
        data={"csrf_token": csrf_token(client, "/coordination/")},
    )
    assert response.status_code == 302
    session.refresh(exchange)
    assert exchange.state is ExchangeState.SCHEDULED


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="concurrent transactions are tested on PostgreSQL",
)
def test_two_coordinators_approving_at_once_never_overspend(app):
    """Real transactions on separate connections, committed, and removed afterwards."""
    engine = create_engine(os.environ["TEST_DATABASE_URL"])
    make = sessionmaker(engine)
    tag = f"-race-{os.getpid()}"
    try:
        with make() as setup:
            users = make_network(setup, tag)
            a_round(setup, users, budget="400", name=f"Race round{tag}")  # one residency's worth
            ids = [
                accepted_residency(setup, users, "guest-1", "host-a").id,
                accepted_residency(setup, users, "guest-2", "host-a", days=(30, 50)).id,
            ]
            coordinators = [users["coordinator"].id, users["coordinator2"].id]
        barrier, outcomes = threading.Barrier(2), []

        def approve_in_own_transaction(exchange_id: int, coordinator_id: int) -> None:
            # A use case runs in the app's context (its settings, its templates).
            with app.app_context(), make() as session:
                exchange, user = (
                    session.get(Exchange, exchange_id),
                    session.get(User, coordinator_id),
                )
                barrier.wait()
                try:
                    approve(session, user, exchange, NOW)
                    outcomes.append("approved")
                except InputError as error:
                    session.rollback()
                    outcomes.append(error.problems["exchange"])

        threads = [
            threading.Thread(target=approve_in_own_transaction, args=pair)
            for pair in zip(ids, coordinators, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert outcomes.count("approved") == 1, outcomes
        assert any("has €50.00 left" in outcome for outcome in outcomes), outcomes
        with make() as check:
            spent = sum(
                e.cost or 0 for e in check.scalars(select(Exchange).where(Exchange.id.in_(ids)))
            )
            assert spent == Decimal("350.00")
    finally:
        with make() as cleanup:
            hub_ids = select(Organisation.id).where(Organisation.slug.like(f"%{tag}"))
            exchange_ids = select(ExchangeParticipant.exchange_id).where(
                ExchangeParticipant.organisation_id.in_(hub_ids)
            )
            cleanup.execute(delete(Exchange).where(Exchange.id.in_(exchange_ids)))
            cleanup.execute(delete(ResidencyRound).where(ResidencyRound.name == f"Race round{tag}"))
            cleanup.execute(
                delete(Notification).where(
                    Notification.user_id.in_(
                        select(User.id).where(User.email.like(f"%{tag}@x.org"))
                    )
                )
            )
            cleanup.execute(
                delete(OutgoingEmail).where(OutgoingEmail.recipient.like(f"%{tag}@x.org"))
            )
            cleanup.execute(delete(User).where(User.email.like(f"%{tag}@x.org")))
            cleanup.execute(delete(Organisation).where(Organisation.slug.like(f"%{tag}")))
            cleanup.commit()
        engine.dispose()


def test_only_a_coordinator_decides_on_a_residency_by_its_number(session, people):
    """The hubs' own managers are refused like any other manager (not told whether the
    exchange exists); a coordinator or an admin decides; an unknown number is not found."""
    north, south = people["north"], people["south"]
    data = {
        "kind": "residency",
        "starts_on": exchange_fixtures.START.isoformat(),
        "ends_on": (exchange_fixtures.START + timedelta(days=20)).isoformat(),
        "message": exchange_fixtures.MESSAGE,
    }
    now = exchange_fixtures.NOW
    exchange = propose(session, north, south.hub, data, exchange_fixtures.RULES, now)
    answer(session, south, exchange, accept=True, now=now)
    for manager in (north, south, people["east"]):
        with pytest.raises(Forbidden):
            decide_approval(session, manager, exchange.id, approved=False, reason="No")
    with pytest.raises(SignInRequired):
        decide_approval(session, None, exchange.id, approved=False, reason="No")
    admin = User(email="admin@x.org", role=Role.ADMIN, password_hash="unused")
    session.add(admin)
    with pytest.raises(NotFound):
        decide_approval(session, admin, 10**9, approved=True)
    assert exchange.state is ExchangeState.PENDING_APPROVAL
    decided = decide_approval(session, people["coordinator"], exchange.id, False, "No money")
    assert decided is exchange and exchange.state is ExchangeState.REJECTED


def test_a_hub_is_never_booked_as_a_guest_in_two_places_at_once(session, users):
    """Proposal, answer and approval each refuse a residency whose guests are away then,
    and name the other booking."""
    a_round(session, users, budget="10000")
    first = accepted_residency(session, users, "guest-1", "host-a")
    data = {
        "kind": "residency",
        "message": MESSAGE,
        "starts_on": (START + timedelta(days=10)).isoformat(),
        "ends_on": (START + timedelta(days=30)).isoformat(),
    }
    with pytest.raises(InputError) as refused:
        propose(session, users["guest-1"], users["host-b"].hub, data, RULES, NOW)
    assert f"exchange #{first.id}" in refused.value.problems["starts_on"]
    # Two proposals out at once: the second host's yes comes too late.
    later = {**data, "starts_on": (START + timedelta(days=40)).isoformat()}
    later["ends_on"] = (START + timedelta(days=60)).isoformat()
    to_a = propose(session, users["guest-2"], users["host-a"].hub, later, RULES, NOW)
    to_b = propose(session, users["guest-2"], users["host-b"].hub, later, RULES, NOW)
    answer(session, users["host-a"], to_a, accept=True, now=NOW)
    with pytest.raises(InputError) as too_late:
        answer(session, users["host-b"], to_b, accept=True, now=NOW)
    assert "Guest-2 is away then" in too_late.value.problems["exchange"]
    assert to_b.state is ExchangeState.PROPOSED
