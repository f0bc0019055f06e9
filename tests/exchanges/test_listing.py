"""The exchanges a person lists, filtered (waiting for them, upcoming, past, by kind,
combined), each saying what it waits for from that person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from matchmaker.errors import InputError
from matchmaker.exchanges.listing import ExchangeFilters, Waiting, When, listed_exchanges
from matchmaker.exchanges.outcomes import cancel, complete
from matchmaker.exchanges.proposals import answer, propose
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import User
from tests.support.exchange_fixtures import AFTER, NOW, RULES, START, residency, scheduled


@pytest.fixture
def four(session: Session, people: dict[str, User]) -> dict[str, int]:
    """A proposal waiting for South, a visit coming up, one done, one cancelled."""
    asked = propose(session, people["north"], people["south"].hub, residency((30, 50)), RULES, NOW)
    coming = scheduled(session, people, "north", "south", 10)
    done = scheduled(session, people, "south", "north", 0)
    complete(session, people["north"], done, AFTER)
    called_off = scheduled(session, people, "north", "south", 20)
    cancel(session, people["south"], called_off, "Our space floods in spring.")
    return {"asked": asked.id, "coming": coming.id, "done": done.id, "off": called_off.id}


def ids(session: Session, user: User, **filters) -> list[int]:
    return [e.id for e, _ in listed_exchanges(session, user, ExchangeFilters(**filters), START)]


def test_waiting_for_me_is_the_answer_or_the_feedback_my_hub_owes(
    session: Session, people: dict[str, User], four: dict[str, int]
) -> None:
    waits = dict((e.id, w) for e, w in listed_exchanges(session, people["south"], today=START))
    assert waits[four["asked"]] is Waiting.ANSWER
    assert waits[four["done"]] is Waiting.FEEDBACK
    assert waits[four["coming"]] is None and waits[four["off"]] is None
    assert sorted(ids(session, people["south"], waiting=True)) == sorted(
        [four["asked"], four["done"]]
    )
    # North proposed: nothing to answer, only its own feedback.
    assert ids(session, people["north"], waiting=True) == [four["done"]]
    assert ids(session, people["east"], waiting=True) == []
    assert ids(session, people["coordinator"], waiting=True) == []


def test_upcoming_past_and_kind_combine(
    session: Session, people: dict[str, User], four: dict[str, int]
) -> None:
    north = people["north"]
    assert ids(session, north, when=When.UPCOMING) == [four["coming"]]
    assert sorted(ids(session, north, when=When.PAST)) == sorted([four["done"], four["off"]])
    assert ids(session, north, kind=ExchangeKind.RESIDENCY) == [four["asked"]]
    assert ids(session, north, kind=ExchangeKind.RESIDENCY, when=When.UPCOMING) == []
    assert ids(session, north, kind=ExchangeKind.SHADOWING, when=When.UPCOMING) == [four["coming"]]
    assert ids(session, people["south"], waiting=True, kind=ExchangeKind.SHADOWING) == [
        four["done"]
    ]
    # Once its last day has passed, an exchange is no longer upcoming but past.
    later = START + timedelta(days=40)
    got = [
        e.id for e, _ in listed_exchanges(session, north, ExchangeFilters(when=When.PAST), later)
    ]
    assert four["coming"] in got


def test_a_coordinator_waits_for_residencies_to_approve(
    session: Session, people: dict[str, User]
) -> None:
    exchange = propose(session, people["north"], people["south"].hub, residency(), RULES, NOW)
    answer(session, people["south"], exchange, accept=True, now=NOW)
    ((found, waits),) = listed_exchanges(
        session, people["coordinator"], ExchangeFilters(waiting=True)
    )
    assert found.id == exchange.id and waits is Waiting.APPROVAL


@pytest.mark.parametrize(
    ("args", "field"), [({"kind": "lunch"}, "kind"), ({"when": "tomorrow"}, "when")]
)
def test_unknown_filters_are_refused_with_the_field(args, field) -> None:
    with pytest.raises(InputError) as refused:
        ExchangeFilters.read({"waiting": "maybe", **args})
    assert set(refused.value.problems) == {"waiting", field}


def test_the_filter_links_keep_the_other_filters() -> None:
    filters = ExchangeFilters.read({"waiting": "1", "kind": "residency"})
    assert filters.args(when="upcoming") == {
        "waiting": "1",
        "when": "upcoming",
        "kind": "residency",
    }
    assert filters.args(kind=None) == {"waiting": "1"}
