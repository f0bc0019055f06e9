"""Each role's home page in a real browser: the demo manager signs in through the form,
lands on their home and finds the proposal waiting for their answer (with its deadline),
what is coming up and fresh suggestions; the coordinator finds the approvals, the open
round with its deadline and the network's month; the manager's calendar feed is made on
the account page and read without signing in."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.exchanges.proposals import ProposalRules, propose
from matchmaker.extensions import db
from matchmaker.models import Organisation, User
from tests.support.browser_fixtures import HUB, OpenVisit, main_nav, sign_in

PROPOSER = "manager2@example.org"
COORDINATOR = "coordinator@example.org"
MESSAGE = "We are writing a Creative Europe cooperation project and would love you on board."


@pytest.fixture
def session() -> None:
    """Overrides conftest's autouse `session` (see tests/support/browser_fixtures.py)."""


@pytest.fixture(scope="module")
def waiting_proposal(served_app: Flask) -> tuple[int, str]:
    """A project-partners proposal from the second demo manager's hub to the first's, made
    through the use case in the served app's database, as a manager would in the browser."""
    with served_app.app_context():
        session = db.session()
        proposer = session.scalar(select(User).where(User.email == PROPOSER))
        to = session.scalar(select(Organisation).where(Organisation.slug == HUB))
        assert proposer is not None and proposer.hub is not None and to is not None
        exchange = propose(
            session,
            proposer,
            to,
            {"kind": "project_partners", "message": MESSAGE},
            ProposalRules.from_config(served_app.config),
        )
        found = (exchange.id, proposer.hub.name)
        db.session.remove()
    return found


def test_a_manager_lands_on_their_home_and_sees_what_waits(
    open_visit: OpenVisit, waiting_proposal: tuple[int, str]
) -> None:
    exchange_id, proposer_hub = waiting_proposal
    visit = open_visit(signed_in=False)
    page = visit.page
    sign_in(page, "manager1@example.org")
    expect(page).to_have_url(re.compile(r"/home$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Yeast House")
    waiting = page.get_by_role("region", name=re.compile(r"^Waiting for you"))
    item = waiting.get_by_role(
        "link", name=f"Project partnership proposed by {proposer_hub}: answer it"
    )
    expect(item).to_have_attribute("href", f"/exchanges/{exchange_id}")
    expect(waiting.get_by_text(re.compile(r"answer by \w+ \d+, \d{4}")).first).to_be_visible()
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()
    suggestions = page.get_by_role("region", name="Fresh suggestions")
    for kind in ("Shadowing visit", "Hot-desking swap", "Manager residency", "Project partnership"):
        expect(suggestions.get_by_role("heading", name=kind, exact=True)).to_be_visible()
    expect(suggestions.locator(".suggestion-item").first).to_be_visible()
    visit.shot("home-manager", full_page=True)
    # Opening the item reads its message: the inbox badge drops by it.
    badge = main_nav(page).get_by_role("link", name=re.compile(r"^Inbox"))
    before = badge.inner_text()
    item.click()
    expect(page).to_have_url(re.compile(rf"/exchanges/{exchange_id}$"))
    assert badge.inner_text() != before, (before, badge.inner_text())


def test_a_coordinator_lands_on_the_coordination_home(open_visit: OpenVisit) -> None:
    visit = open_visit(signed_in=False)
    page = visit.page
    sign_in(page, COORDINATOR)
    expect(page).to_have_url(re.compile(r"/home$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Coordination at a glance")
    expect(
        page.get_by_role("heading", name=re.compile(r"^Approvals waiting \(\d+\)"))
    ).to_be_visible()
    rounds = page.get_by_role("region", name="Residency rounds running")
    row = rounds.get_by_role("row").nth(1)  # the demo's open round
    expect(row).to_contain_text(re.compile(r"open.*\w+ \d+, \d{4}.*€[\d.,]+ of €[\d.,]+", re.S))
    month = page.get_by_role("region", name=re.compile(r"^The network in \w+ \d{4}$"))
    expect(month.get_by_text("New hubs")).to_be_visible()
    visit.shot("home-coordinator", full_page=True)


def test_a_manager_subscribes_to_their_calendar_feed(open_visit: OpenVisit) -> None:
    visit = open_visit()
    page = visit.page
    page.goto("/account")
    page.get_by_role("button", name="Make my feed's address").click()
    address = page.locator("#feed-address").inner_text()
    assert re.fullmatch(r"https?://[^/]+/calendar/cal_[\w-]+\.ics", address), address
    path = "/" + address.split("://", 1)[1].split("/", 1)[1]
    feed = visit.context.request.get(path)  # the cookies do not matter: the address does
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in feed.text()
    visit.shot("calendar-feed")
    page.goto("/account")
    page.get_by_role("button", name="End the feed").click()
    expect(page.get_by_role("status")).to_contain_text("calendar feed is ended")
    assert visit.context.request.get(path).status == 404
