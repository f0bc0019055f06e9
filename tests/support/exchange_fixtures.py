"""A small network for the exchange tests: three hubs (two with desks and a residency
place from START, one that hosts no visits), their managers and a coordinator, API tokens
for them, and the dates, message, rules and feedback the exchange tests share. Loaded as a
pytest plugin by conftest.py, so every test module can ask for `people`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from matchmaker.accounts.tokens import create_token
from matchmaker.exchanges.proposals import ProposalRules, answer, propose
from matchmaker.models import (
    AvailabilityKind,
    Exchange,
    Role,
    User,
)
from tests.support.builders import hub, person, proposal_data, window

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
START = date(2027, 2, 1)
MESSAGE = "Hello! We run a FabLab in Porto and would love to learn how you run residencies."
RULES = ProposalRules(expiry_days=14, reminder_days=3, max_open=2, min_message=30)
AFTER = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)  # after the first visits ended
REVIEW = {
    "rating": "5",
    "took_place": "true",
    "learned": "How to run a voucher scheme.",
    "collaboration": "true",
    "review": "Generous hosts, a well-run FabLab.",
}


@pytest.fixture
def people(session: Session) -> dict[str, User]:
    north = hub(session, "north-hub", residency_places=1, desks=2)
    south = hub(session, "south-hub", residency_places=1, desks=2)
    east = hub(session, "east-hub", accepts_visits=False)
    for organisation in (north, south):
        organisation.availability.extend(window(kind, START, 60, 1) for kind in AvailabilityKind)
    users = {
        "north": person(session, "north@x.org", hub=north, name="Nora"),
        "south": person(session, "south@x.org", hub=south, name="Sam"),
        "east": person(session, "east@x.org", hub=east),
        "coordinator": person(session, "c@x.org", Role.COORDINATOR),
    }
    session.commit()  # so that a view's rollback after refused input keeps them
    return users


@pytest.fixture
def tokens(session: Session, people: dict[str, User]) -> dict[str, dict[str, str]]:
    """An API token's Authorization header for each of `people`."""
    return {
        name: {"Authorization": f"Bearer {create_token(session, user, 't')[1]}"}
        for name, user in people.items()
    }


def ring_waiting(session: Session, people: dict[str, User]) -> Exchange:
    """A third hub with desks and a manager ("west"), and a swap ring of North, South and
    West that the coordinator proposed: it waits for every hub's answer."""
    from matchmaker.exchanges.swap_rings import propose_ring
    from matchmaker.matching.swaps import Leg, SwapRing

    west = hub(session, "west-hub", desks=2)
    west.availability.append(window(AvailabilityKind.DESKS, START, 60, 1))
    people["west"] = person(session, "west@x.org", hub=west, name="Wes")
    session.commit()
    ids = [people[name].hub_id for name in ("north", "south", "west")]
    ends_on = START + timedelta(days=9)
    legs = tuple(
        Leg(guest, host, 1, START, ends_on, 0.8)
        for guest, host in zip(ids, ids[1:] + ids[:1], strict=True)
    )
    ring = SwapRing(legs, 2.4, "Ring of 3: each hub's member uses the next one's desks.")
    return propose_ring(session, people["coordinator"], ring, MESSAGE, RULES, NOW)


def residency(days: tuple[int, int] = (0, 20)) -> dict[str, str]:
    """A residency proposal's fields from START + days[0] to START + days[1]."""
    return proposal_data("residency", START, days, MESSAGE)


def scheduled(
    session: Session, people: dict[str, User], guest: str, host: str, days: int
) -> Exchange:
    """A two-day shadowing visit of `guest` at `host`, proposed and accepted."""
    data = proposal_data("shadowing", START, (days, days + 1), MESSAGE)
    exchange = propose(session, people[guest], people[host].hub, data, RULES, NOW)
    answer(session, people[host], exchange, accept=True, now=NOW)
    return exchange
