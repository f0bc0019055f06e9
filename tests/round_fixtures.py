"""The demo network with its open residency round and its managers, and a helper to
apply with the engine's suggestions: shared by the rounds' tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.demo.seed import seed_demo
from matchmaker.models import Organisation, ResidencyRound, Role, RoundApplication, User
from matchmaker.rounds import apply, suggested_hosts

TODAY = date.today()
NOW = datetime.now(UTC)
MESSAGE = "We would love to learn how you run a residency programme with local industry."


@dataclass
class Demo:
    round: ResidencyRound
    coordinator: User
    managers: list[User]  # the demo's three, each of a hub that also hosts
    hubs: dict[str, Organisation]


@pytest.fixture
def demo(session: Session, fresh_index_cache: None) -> Demo:
    seed_demo(session, hubs=24, seed=5, today=TODAY)
    hubs = {o.slug: o for o in session.scalars(select(Organisation))}
    managers = list(session.scalars(select(User).where(User.role == Role.MANAGER)
                                    .order_by(User.id)))  # fmt: skip
    coordinator = session.scalar(select(User).where(User.role == Role.COORDINATOR))
    round_ = session.scalar(select(ResidencyRound))
    assert round_ is not None and coordinator is not None
    return Demo(round_, coordinator, managers, hubs)


def slugs_of(session: Session, ids) -> list[str]:
    return [session.get(Organisation, i).slug for i in ids]


def apply_with_suggestions(
    session: Session, demo: Demo, manager: User, how_many: int = 3, weeks: int = 4, **data
) -> RoundApplication:
    """The manager applies with the engine's first hosts, for `weeks` from the round's start."""
    hosts = slugs_of(session, suggested_hosts(session, demo.round, manager.hub_id)[:how_many])
    start = demo.round.starts_on
    fields = {"hosts": hosts, "message": MESSAGE, "starts_on": start.isoformat(),
              "ends_on": (start + timedelta(days=7 * weeks - 1)).isoformat(), **data}  # fmt: skip
    application, _ = apply(session, manager, demo.round, fields, NOW)
    return application
