"""A person's calendar feed: its secret address serves their hub's agreed exchanges (not
others'), a new address ends the old one, an ended feed is not found, and a change or a
cancellation reaches subscribed calendars by a higher SEQUENCE and STATUS:CANCELLED."""

from __future__ import annotations

import os
import threading

import pytest
from icalendar import Calendar
from sqlalchemy import create_engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from matchmaker.errors import NotFound
from matchmaker.exchanges.feed import end_feed, feed_calendar, feed_of, new_feed
from matchmaker.exchanges.outcomes import cancel
from matchmaker.exchanges.proposals import propose
from matchmaker.models import CalendarFeed, Role, User
from tests.support.builders import person
from tests.support.exchange_fixtures import NOW, RULES, START, residency, scheduled

BASE = "https://hubs.example.org"


def events(text: str) -> dict[str, dict[str, object]]:
    return {
        str(event["uid"]): {
            "sequence": int(event["sequence"]),
            "status": str(event["status"]),
            "starts": event.decoded("dtstart"),
            "summary": str(event["summary"]),
        }
        for event in Calendar.from_ical(text).walk("VEVENT")
    }


def test_the_feed_serves_the_hubs_agreed_exchanges_only(
    session: Session, people: dict[str, User]
) -> None:
    visit = scheduled(session, people, "north", "south", 0)
    propose(session, people["north"], people["south"].hub, residency((30, 50)), RULES, NOW)
    secret = new_feed(session, people["north"])
    stored = feed_of(session, people["north"])
    assert stored is not None and secret not in stored.token_hash  # only its hash is kept
    found = events(feed_calendar(session, secret, BASE, START))
    assert list(found) == [f"exchange-{visit.id}@matchmaker"]  # the proposal is not agreed
    assert found[f"exchange-{visit.id}@matchmaker"]["status"] == "CONFIRMED"
    assert found[f"exchange-{visit.id}@matchmaker"]["starts"] == START
    east = new_feed(session, people["east"])
    assert events(feed_calendar(session, east, BASE, START)) == {}
    everyone = events(feed_calendar(session, new_feed(session, people["coordinator"]), BASE))
    assert f"exchange-{visit.id}@matchmaker" in everyone


def test_a_cancelled_exchange_stays_in_the_feed_as_cancelled_with_a_higher_sequence(
    session: Session, people: dict[str, User]
) -> None:
    visit = scheduled(session, people, "north", "south", 0)
    secret = new_feed(session, people["south"])
    uid = f"exchange-{visit.id}@matchmaker"
    before = events(feed_calendar(session, secret, BASE, START))[uid]
    cancel(session, people["north"], visit, "Our manager is ill.")
    after = events(feed_calendar(session, secret, BASE, START))[uid]
    assert before["status"] == "CONFIRMED" and after["status"] == "CANCELLED"
    assert after["sequence"] > before["sequence"]
    assert str(after["summary"]).startswith("Cancelled:")


def test_a_new_address_ends_the_old_one_and_an_ended_feed_is_not_found(
    session: Session, people: dict[str, User]
) -> None:
    north = people["north"]
    first = new_feed(session, north)
    second = new_feed(session, north)
    assert first != second
    assert session.scalars(select(CalendarFeed).where(CalendarFeed.user_id == north.id)).all()
    with pytest.raises(NotFound):
        feed_calendar(session, first, BASE)
    assert "BEGIN:VCALENDAR" in feed_calendar(session, second, BASE)
    assert end_feed(session, north) and not end_feed(session, north)
    for secret in (first, second, "cal_guess", "mm_not-a-feed", ""):
        with pytest.raises(NotFound):
            feed_calendar(session, secret, BASE)


def test_a_switched_off_account_has_no_feed(session: Session, people: dict[str, User]) -> None:
    secret = new_feed(session, people["north"])
    people["north"].is_active = False
    session.commit()
    with pytest.raises(NotFound):
        feed_calendar(session, secret, BASE)


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="concurrent transactions are tested on PostgreSQL",
)
def test_two_new_addresses_at_once_leave_one_feed_that_works(app) -> None:
    """Real transactions on separate connections: both asks succeed, one feed remains (the
    unique person makes the slower one replace the faster one's), and its address works."""
    engine = create_engine(os.environ["TEST_DATABASE_URL"])
    make = sessionmaker(engine)
    email = f"feed-{os.getpid()}@x.org"
    try:
        with make() as setup:
            owner = person(setup, email, Role.COORDINATOR)
            setup.commit()
            user_id = owner.id
        barrier = threading.Barrier(2)
        secrets: list[str] = []

        def ask() -> None:
            with app.app_context(), make() as session:
                user = session.get(User, user_id)
                barrier.wait()
                secrets.append(new_feed(session, user))

        threads = [threading.Thread(target=ask) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(secrets) == 2
        with make() as check:
            feeds = check.scalars(select(CalendarFeed).where(CalendarFeed.user_id == user_id))
            assert len(feeds.all()) == 1
            working = []
            for secret in secrets:
                try:
                    feed_calendar(check, secret, BASE)
                    working.append(secret)
                except NotFound:
                    pass
            assert len(working) == 1
    finally:
        with make() as cleanup:
            cleanup.execute(delete(User).where(User.email == email))
            cleanup.commit()
        engine.dispose()
