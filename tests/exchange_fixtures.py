"""A small network for the exchange tests: three hubs (two with desks and a residency
place from START, one that hosts no visits), their managers and a coordinator. Loaded as a
pytest plugin by conftest.py, so every test module can ask for `people`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from matchmaker.accounts.tokens import create_token
from matchmaker.exchanges.proposals import ProposalRules
from matchmaker.models import (
    AvailabilityKind,
    AvailabilityWindow,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
START = date(2027, 2, 1)
MESSAGE = "Hello! We run a FabLab in Porto and would love to learn how you run residencies."
RULES = ProposalRules(expiry_days=14, reminder_days=3, max_open=2, min_message=30)


def hub(session: Session, slug: str, **fields) -> Organisation:
    organisation = Organisation(
        slug=slug,
        name=slug.replace("-", " ").title(),
        country="PT",
        kind=OrganisationKind.HUB,
        **fields,
    )
    session.add(organisation)
    return organisation


@pytest.fixture
def people(session: Session) -> dict[str, User]:
    north = hub(session, "north-hub", residency_places=1, desks=2)
    south = hub(session, "south-hub", residency_places=1, desks=2)
    east = hub(session, "east-hub", accepts_visits=False)
    for organisation in (north, south):
        for kind in AvailabilityKind:
            organisation.availability.append(
                AvailabilityWindow(
                    kind=kind, starts_on=START, ends_on=START + timedelta(days=60), places=1
                )
            )
    users = {
        "north": User(email="north@x.org", role=Role.MANAGER, hub=north, name="Nora"),
        "south": User(email="south@x.org", role=Role.MANAGER, hub=south, name="Sam"),
        "east": User(email="east@x.org", role=Role.MANAGER, hub=east),
        "coordinator": User(email="c@x.org", role=Role.COORDINATOR),
    }
    for user in users.values():
        user.password_hash = "unused"
        session.add(user)
    session.commit()  # so that a view's rollback after refused input keeps them
    return users


@pytest.fixture
def tokens(session: Session, people: dict[str, User]) -> dict[str, dict[str, str]]:
    """An API token's Authorization header for each of `people`."""
    return {
        name: {"Authorization": f"Bearer {create_token(session, user, 't')[1]}"}
        for name, user in people.items()
    }
