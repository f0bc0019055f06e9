"""The demo network with its open residency round and its managers, and a helper to
apply with the engine's suggestions: shared by the rounds' tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.exchanges.bookings import room_problem
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.models import Organisation, ResidencyRound, Role, RoundApplication, User
from matchmaker.rounds.applications import applications_of, apply, suggested_hosts
from matchmaker.rounds.hosting import answer_placement
from tests.support.english_demo import seed_demo_in_english

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
    seed_demo_in_english(session, hubs=24, seed=5, today=TODAY)
    hubs = {o.slug: o for o in session.scalars(select(Organisation))}
    managers = list(
        session.scalars(select(User).where(User.role == Role.MANAGER).order_by(User.id))
    )
    coordinator = session.scalar(select(User).where(User.role == Role.COORDINATOR))
    round_ = session.scalar(select(ResidencyRound))
    assert round_ is not None and coordinator is not None
    return Demo(round_, coordinator, managers, hubs)


def slugs_of(session: Session, ids) -> list[str]:
    return [session.get(Organisation, i).slug for i in ids]


def dates_and_hosts(
    session: Session, demo: Demo, manager: User, how_many: int = 3, weeks: int = 4
) -> tuple[date, date, list[str]]:
    """`weeks` from the start of the best suggested host's first residency window in the
    round (or the round's start), and the engine's first hosts with a place on them."""
    suggested = [
        session.get(Organisation, i) for i in suggested_hosts(session, demo.round, manager.hub_id)
    ]
    start = demo.round.starts_on
    windows = (
        sorted(
            (
                w
                for w in suggested[0].availability
                if w.kind is AvailabilityKind.RESIDENCY
                and w.ends_on >= start
                and w.starts_on <= demo.round.ends_on
            ),
            key=lambda w: w.starts_on,
        )
        if suggested
        else []
    )
    if windows:
        start = max(start, windows[0].starts_on)
    end = min(start + timedelta(days=7 * weeks - 1), demo.round.ends_on)
    hosts = [
        h.slug
        for h in suggested
        if not room_problem(session, h, ExchangeKind.RESIDENCY, start, end)
    ][:how_many]
    return start, end, hosts


def apply_with_suggestions(
    session: Session, demo: Demo, manager: User, how_many: int = 3, weeks: int = 4, **data
) -> RoundApplication:
    """The manager applies with `dates_and_hosts`."""
    start, end, hosts = dates_and_hosts(session, demo, manager, how_many, weeks)
    fields = {
        "hosts": hosts,
        "message": MESSAGE,
        "starts_on": start.isoformat(),
        "ends_on": end.isoformat(),
        **data,
    }
    application, _ = apply(session, manager, demo.round, fields, NOW)
    return application


def confirm_placements(session: Session, demo: Demo) -> int:
    """Every placed host says yes (recorded by the coordinator); how many were asked."""
    waiting = [
        a
        for a in applications_of(session, demo.round)
        if a.placed_host_id is not None and a.host_answer is None and a.exchange_id is None
    ]
    for application in waiting:
        answer_placement(session, demo.coordinator, application.id, True, now=NOW)
    return len(waiting)
