"""A coordinator's home: approvals with the round's budget and the host's places left,
the rounds running with their deadlines, and the network's month; managers are refused."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from matchmaker.errors import Forbidden
from matchmaker.exchanges.outcomes import complete
from matchmaker.home.coordinator import coordinator_home
from matchmaker.rounds.approvals import approve
from tests.rounds.test_approvals import START, a_round, accepted_residency, make_network


@pytest.fixture
def users(session: Session):
    return make_network(session)


def test_approvals_wait_with_budget_and_places_left(session: Session, users) -> None:
    round_ = a_round(session, users)
    waiting = accepted_residency(session, users, "guest-1", "host-a")
    home = coordinator_home(session, users["coordinator"])
    ((exchange, funding),) = home.approvals
    assert exchange.id == waiting.id and funding.round.id == round_.id
    assert (funding.cost, funding.budget_left, funding.places, funding.places_taken) == (
        Decimal("350.00"),
        Decimal("1000.00"),
        2,
        0,
    )
    (running,) = home.rounds
    assert running.round.id == round_.id and running.budget_left == Decimal("1000.00")
    assert running.closes_on < round_.starts_on and running.applications == 0
    approve(session, users["coordinator"], waiting)
    home = coordinator_home(session, users["coordinator"])
    assert home.approvals == []
    assert home.rounds[0].budget_left == Decimal("650.00")


def test_the_month_at_a_glance_counts_the_exchanges_of_the_month(session: Session, users) -> None:
    a_round(session, users)
    exchange = accepted_residency(session, users, "guest-1", "host-a")
    approve(session, users["coordinator"], exchange)
    in_the_month = datetime(START.year, START.month, 20, tzinfo=UTC)
    home = coordinator_home(session, users["coordinator"], in_the_month)
    assert home.month == START.strftime("%Y-%m")
    assert home.by_state == {"scheduled": 1}
    complete(session, users["guest-1"], exchange, in_the_month)
    home = coordinator_home(session, users["coordinator"], in_the_month)
    assert home.by_state == {"completed": 1} and home.moves.completed == 1
    earlier = datetime(START.year - 1, START.month, 1, tzinfo=UTC)
    assert coordinator_home(session, users["coordinator"], earlier).by_state == {}


def test_a_manager_has_no_coordinators_home(session: Session, users) -> None:
    with pytest.raises(Forbidden):
        coordinator_home(session, users["guest-1"])
