"""The pages of issue 16's "home for each role": each role's home, the exchanges' filters,
an inbox whose messages are read by opening them (and which shows what waits for a
manager invited after a proposal), and the calendar feed from the account page."""

from __future__ import annotations

import re
from datetime import timedelta

from babel.dates import format_date
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy.orm import Session

from matchmaker.demo.generator import DEMO_PASSWORD
from matchmaker.exchanges.proposals import answer, propose
from matchmaker.models import Notification, User
from matchmaker.rounds.opening import open_round
from tests.support.builders import person, proposal_data
from tests.support.exchange_fixtures import (
    MESSAGE,
    NOW,
    RULES,
    START,
    residency,
    ring_waiting,
    scheduled,
)
from tests.support.web import csrf_token, sign_in


def as_(client: FlaskClient, user: User) -> None:
    with client.session_transaction() as cookie:
        cookie["_user_id"] = user.get_id()
        cookie["_fresh"] = True


def text(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def badge(page: str) -> int:
    found = re.search(r'Inbox <span class="badge">(\d+)</span>', page)
    return int(found.group(1)) if found else 0


def test_signing_in_lands_on_the_home_page(client: FlaskClient, people: dict[str, User]) -> None:
    people["north"].set_password(DEMO_PASSWORD)
    assert sign_in(client, "north@x.org").headers["Location"] == "/home"


def test_a_manager_sees_what_waits_for_them_and_another_manager_does_not(
    client: FlaskClient, session: Session, people: dict[str, User]
) -> None:
    data = proposal_data("shadowing", START, (2, 3), MESSAGE)
    exchange = propose(session, people["north"], people["south"].hub, data, RULES, NOW)
    visit = scheduled(session, people, "north", "south", 10)
    as_(client, people["south"])
    page = text(client, "/home")
    assert "Waiting for you (1)" in page
    assert f'href="/exchanges/{exchange.id}">Shadowing visit proposed by North Hub' in page
    assert f"answer by {format_date(exchange.expires_at, 'long', locale='en')}" in page
    assert f'href="/exchanges/{visit.id}.ics"' in page  # coming up, with its calendar file
    for name in ("north", "east"):
        as_(client, people[name])
        page = text(client, "/home")
        assert f'/exchanges/{exchange.id}"' not in page.split("Coming up")[0]
    assert "Waiting for you (0)" in text(client, "/home")


def test_the_coordinators_home_shows_approvals_rounds_and_the_month(
    client: FlaskClient, session: Session, people: dict[str, User]
) -> None:
    open_round(
        session,
        people["coordinator"],
        {
            "name": "Winter residencies",
            "starts_on": START.isoformat(),
            "ends_on": (START + timedelta(days=90)).isoformat(),
            "budget": "5000",
            "cost_per_week": "100",
        },
    )
    exchange = propose(session, people["north"], people["south"].hub, residency(), RULES, NOW)
    answer(session, people["south"], exchange, accept=True, now=NOW)
    as_(client, people["coordinator"])
    page = text(client, "/home")
    assert "Approvals waiting (1)" in page
    assert f'/exchanges/{exchange.id}">Residency of North Hub at South Hub' in page
    assert "Budget left</dt><dd>€5,000.00" in page and "1 of 1</dd>" in page
    assert "Winter residencies" in page and "€5,000.00 of €5,000.00" in page
    assert "The network in" in page
    as_(client, people["south"])
    assert "Approvals waiting" not in text(client, "/home")


def test_the_exchanges_page_filters_and_marks_what_waits(
    client: FlaskClient, session: Session, people: dict[str, User]
) -> None:
    asked = propose(session, people["north"], people["south"].hub, residency(), RULES, NOW)
    visit = scheduled(session, people, "north", "south", 30)
    as_(client, people["south"])
    page = text(client, "/exchanges?waiting=1")
    assert f'#{asked.id}</a> <span class="badge badge-waiting">waits for your answer' in page
    assert f"#{visit.id}<" not in page
    page = text(client, "/exchanges?when=upcoming&kind=shadowing")
    assert f"#{visit.id}<" in page and f"#{asked.id}<" not in page
    # Each tab keeps the other filters: "Waiting for me" stays on shadowing visits.
    assert 'href="/exchanges?waiting=1&amp;kind=shadowing">Waiting for me' in page
    assert 'aria-current="page"' in page
    assert "No exchange matches" in text(client, "/exchanges?when=past")
    refused = text(client, "/exchanges?kind=lunch", 400)
    assert "kind:" in refused
    as_(client, people["north"])
    assert "waits for your answer" not in text(client, "/exchanges")


def test_opening_a_message_or_its_exchange_reads_it(
    client: FlaskClient, session: Session, people: dict[str, User]
) -> None:
    first = propose(session, people["north"], people["south"].hub, residency(), RULES, NOW)
    data = proposal_data("shadowing", START, (40, 41), MESSAGE)
    second = propose(session, people["north"], people["south"].hub, data, RULES, NOW)
    as_(client, people["south"])
    assert badge(text(client, "/inbox")) == 2
    message = session.query(Notification).filter_by(exchange_id=first.id).one()
    as_(client, people["north"])
    assert client.get(f"/inbox/{message.id}").status_code == 404  # not North's
    as_(client, people["south"])
    opened = client.get(f"/inbox/{message.id}")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/exchanges/{first.id}"
    session.expire_all()
    assert message.read_at is not None
    assert badge(text(client, "/inbox")) == 1
    # Opening the exchange itself reads its messages; that very page's badge drops.
    assert badge(text(client, f"/exchanges/{second.id}")) == 0
    session.expire_all()
    assert session.query(Notification).filter_by(read_at=None).count() == 0


def test_a_manager_invited_after_a_ring_was_proposed_sees_it_waiting(
    client: FlaskClient, session: Session, people: dict[str, User]
) -> None:
    ring = ring_waiting(session, people)
    newcomer = person(session, "new@x.org", hub=people["south"].hub)
    session.commit()
    as_(client, newcomer)
    page = text(client, "/inbox")
    assert "Nothing here yet" not in page and "Waiting for you (1)" in page
    assert f'href="/exchanges/{ring.id}">Hot-desking swap #{ring.id}' in page
    assert "waits for your answer" in page
    assert "A swap ring with North Hub and West Hub waits for your hub" in text(client, "/home")


def test_the_calendar_feed_from_the_account_page(
    client: FlaskClient, session: Session, people: dict[str, User]
) -> None:
    visit = scheduled(session, people, "north", "south", 0)
    as_(client, people["north"])
    made = client.post(
        "/account/calendar-feed", data={"csrf_token": csrf_token(client, "/account")}
    )
    page = made.get_data(as_text=True)
    assert made.status_code == 200 and "Copy it now" in page
    address = re.search(r'<code id="feed-address">([^<]+)</code>', page).group(1)
    path = address.split("://", 1)[1].split("/", 1)[1]
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})
    feed = client.get("/" + path)  # no sign-in: calendar apps cannot sign in
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert "private" in feed.headers["Cache-Control"]
    (event,) = Calendar.from_ical(feed.data).walk("VEVENT")
    assert str(event["uid"]) == f"exchange-{visit.id}@matchmaker"
    as_(client, people["north"])
    assert "Your feed is on since" in text(client, "/account")
    ended = client.post(
        "/account/calendar-feed/end", data={"csrf_token": csrf_token(client, "/account")}
    )
    assert ended.status_code == 302
    assert client.get("/" + path).status_code == 404
    assert client.post("/account/calendar-feed").status_code == 400  # no CSRF token
