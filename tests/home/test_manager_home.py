"""A manager's home: what waits for them (with deadlines, rings among them), and for no
one else; what is coming up; stale profiles; rounds closing; a few suggestions a kind."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from matchmaker.exchanges.outcomes import complete, give_feedback
from matchmaker.exchanges.proposals import propose
from matchmaker.home.manager import manager_home
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import Organisation, SuggestionImpression, User
from matchmaker.rounds.opening import open_round
from tests.support.builders import proposal_data
from tests.support.exchange_fixtures import (
    AFTER,
    MESSAGE,
    NOW,
    REVIEW,
    RULES,
    START,
    ring_waiting,
    scheduled,
)


def test_a_proposal_waits_for_the_invited_manager_only_with_its_deadline(
    session: Session, people: dict[str, User]
) -> None:
    data = proposal_data("shadowing", START, (2, 3), MESSAGE)
    exchange = propose(session, people["north"], people["south"].hub, data, RULES, NOW)
    south = manager_home(session, people["south"], NOW)
    assert [item.exchange.id for item in south.to_answer] == [exchange.id]
    (item,) = south.to_answer
    assert item.deadline == NOW + timedelta(days=RULES.expiry_days) and not item.ring
    assert south.waiting >= 1
    # The proposer waits for nobody's answer but the other hub's; a third hub sees nothing.
    assert manager_home(session, people["north"], NOW).to_answer == []
    assert manager_home(session, people["east"], NOW).to_answer == []


def test_a_ring_waits_for_each_hub_until_it_answers(
    session: Session, people: dict[str, User]
) -> None:
    ring = ring_waiting(session, people)
    for name in ("north", "south", "west"):
        (item,) = manager_home(session, people[name], NOW).to_answer
        assert item.exchange.id == ring.id and item.ring


def test_scheduled_exchanges_come_up_and_completed_ones_ask_for_feedback(
    session: Session, people: dict[str, User]
) -> None:
    visit = scheduled(session, people, "north", "south", 0)
    later = scheduled(session, people, "north", "south", 10)
    north = manager_home(session, people["north"], NOW)
    assert [e.id for e in north.upcoming] == [visit.id, later.id]  # soonest first
    assert [e.id for e in manager_home(session, people["east"], NOW).upcoming] == []
    complete(session, people["north"], visit, AFTER)
    north = manager_home(session, people["north"], AFTER)
    assert [e.id for e in north.feedback_due] == [visit.id]
    assert [e.id for e in north.upcoming] == [later.id]
    give_feedback(session, people["north"], visit, REVIEW)
    assert manager_home(session, people["north"], AFTER).feedback_due == []
    assert [e.id for e in manager_home(session, people["south"], AFTER).feedback_due] == [visit.id]


def test_a_profile_not_confirmed_for_six_months_asks_to_be_checked(
    session: Session, people: dict[str, User]
) -> None:
    assert manager_home(session, people["north"], NOW).stale_since is None
    old = NOW - timedelta(days=200)
    session.execute(
        update(Organisation)
        .where(Organisation.slug == "north-hub")
        .values(profile_confirmed_at=old)
    )
    session.expire_all()
    home = manager_home(session, people["north"], NOW)
    assert home.stale_since == old
    assert manager_home(session, people["south"], NOW).stale_since is None


def test_a_round_closing_soon_waits_until_its_deadline(
    session: Session, people: dict[str, User]
) -> None:
    today = NOW.date()
    open_round(
        session,
        people["coordinator"],
        {
            "name": "Spring residencies",
            "starts_on": (today + timedelta(days=40)).isoformat(),
            "ends_on": (today + timedelta(days=120)).isoformat(),
            "applications_close_on": (today + timedelta(days=10)).isoformat(),
            "budget": "3000",
            "cost_per_residency": "300",
        },
    )
    (item,) = manager_home(session, people["north"], NOW).rounds_closing
    assert item.round.name == "Spring residencies" and item.application is None
    assert item.closes_on == today + timedelta(days=10)
    assert manager_home(session, people["north"], NOW + timedelta(days=11)).rounds_closing == []


def test_fresh_suggestions_of_each_kind_are_few_and_not_recorded(
    session: Session, people: dict[str, User], fresh_index_cache: None
) -> None:
    home = manager_home(session, people["north"], NOW)
    assert set(home.suggestions) == set(ExchangeKind)
    assert all(len(items) <= 3 for items in home.suggestions.values())
    assert all(
        s.organisation.id != people["north"].hub_id
        for items in home.suggestions.values()
        for s in items
    )
    assert session.query(SuggestionImpression).count() == 0
