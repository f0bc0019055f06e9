"""The whole life of a residency in a real browser (issue 6): manager A proposes it,
manager B accepts, the coordinator opens a round and approves it within its budget, the
residency takes place, both hubs give feedback and the impact dashboard counts it.

Three people, three browser contexts, each signed in through the form with a demo
account. The only step the browser cannot take is waiting for the residency's dates:
the test moves them into the past in the served app's database, as weeks passing would.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    AvailabilityKind,
    AvailabilityWindow,
    Exchange,
    ExchangeFeedback,
    ExchangeState,
    Organisation,
)
from tests.support.accessibility import accessibility_problems
from tests.support.browser_fixtures import MANAGER, OpenVisit, Visit, sign_in

GUEST = MANAGER  # manager1, of Yeast House (Riga)
HOST_MANAGER = "manager3@example.org"
HOST = "kharkiv-design-depot"
COORDINATOR = "coordinator@example.org"
MESSAGE = (
    "Our new programme manager would like to spend two weeks with your incubation team "
    "to learn how you run the voucher scheme with local industry."
)


@pytest.fixture
def session() -> None:
    """Overrides conftest's autouse `session` (see tests/support/browser_fixtures.py)."""


def person(open_visit: OpenVisit, email: str) -> Visit:
    visit = open_visit(signed_in=False)
    sign_in(visit.page, email)
    expect(visit.page.get_by_role("status")).to_contain_text("Welcome")
    return visit


def residency_dates(served_app: Flask) -> tuple[date, date]:
    """Two weeks at the start of the host's first residency window in the demo."""
    with served_app.app_context():
        window = db.session.scalars(
            select(AvailabilityWindow)
            .join(Organisation)
            .where(Organisation.slug == HOST, AvailabilityWindow.kind == AvailabilityKind.RESIDENCY)
            .order_by(AvailabilityWindow.starts_on)
        ).first()
        assert window is not None, "the demo host lists no residency window"
        db.session.remove()
    starts_on = max(window.starts_on, date.today() + timedelta(days=1))
    return starts_on, starts_on + timedelta(days=13)


def completed_residencies(page: Page) -> int:
    """The impact dashboard's count of completed residencies (0 when it lists none)."""
    page.goto("/coordination/impact")
    expect(page.get_by_role("heading", level=1)).to_have_text("The network's impact")
    row = page.locator(
        "tr", has=page.locator("td", has_text=re.compile(r"^Manager residency$"))
    ).filter(has=page.locator("td", has_text=re.compile(r"^completed$")))
    return int(row.locator("td").nth(2).inner_text()) if row.count() else 0


def test_a_residency_from_proposal_to_the_impact_dashboard(
    open_visit: OpenVisit, served_app: Flask
) -> None:
    starts_on, ends_on = residency_dates(served_app)
    coordinator = person(open_visit, COORDINATOR)
    completed_before = completed_residencies(coordinator.page)

    # Manager A proposes a residency from the host's page.
    guest = person(open_visit, GUEST)
    page = guest.page
    page.goto(f"/hubs/{HOST}")
    page.get_by_role("link", name="Propose an exchange").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Propose an exchange to Kharkiv Design Depot"
    )
    page.locator("#kind-residency").check()
    page.get_by_label("From", exact=True).fill(starts_on.isoformat())
    page.get_by_label("To", exact=True).fill(ends_on.isoformat())
    page.get_by_label("Your message to their manager").fill(MESSAGE)
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_role("status")).to_have_text(
        "Your proposal is sent to Kharkiv Design Depot."
    )
    expect(page.locator(".state")).to_have_text("proposed")
    exchange_url = page.url
    exchange_id = int(exchange_url.rsplit("/", 1)[1])
    guest.shot("journey-1-proposed", full_page=True)

    # Manager B reads it in the inbox and accepts.
    host = person(open_visit, HOST_MANAGER)
    page = host.page
    page.goto("/inbox")
    page.locator("ul.entries").get_by_role("link", name=re.compile("residency", re.I)).first.click()
    expect(page).to_have_url(exchange_url)
    expect(page.locator("blockquote.message")).to_have_text(MESSAGE)
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_have_text("You accepted.")
    expect(page.locator(".state")).to_have_text("pending approval")
    # Contact details show once accepted.
    expect(page.get_by_role("link", name=GUEST)).to_be_visible()

    # The coordinator opens a round that funds those dates, then approves.
    page = coordinator.page
    page.goto("/coordination/")
    queue = page.locator("section", has=page.locator("#queue-title"))
    expect(queue).to_contain_text("Yeast House")
    page.get_by_label("Name", exact=True).fill("Winter residencies")
    page.get_by_label("Residencies from").fill((starts_on - timedelta(days=1)).isoformat())
    page.get_by_label("Residencies until").fill((ends_on + timedelta(days=30)).isoformat())
    page.get_by_label("Budget", exact=True).fill("6000")
    page.get_by_label("Cost per residency").fill("300")
    page.get_by_label("Cost per week").fill("450")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("status")).to_have_text("The round 'Winter residencies' is open.")
    coordinator.shot("journey-2-approval-queue", full_page=True)
    assert accessibility_problems(page) == [], "the coordinators' console"
    page.locator(f"form[action$='/coordination/exchanges/{exchange_id}/approve'] button").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, approve").click()  # asks first
    expect(page.get_by_role("status")).to_have_text(f"Residency #{exchange_id} is approved.")

    page = guest.page
    page.goto(exchange_url)
    expect(page.locator(".state")).to_have_text("scheduled")
    expect(page.get_by_role("link", name="Add to your calendar (.ics)")).to_be_visible()

    # Weeks pass: the residency's dates are now behind us.
    with served_app.app_context():
        exchange = db.session.get(Exchange, exchange_id)
        assert exchange is not None and exchange.state is ExchangeState.SCHEDULED
        assert exchange.cost is not None and exchange.cost > 0
        exchange.starts_on = date.today() - timedelta(days=20)
        exchange.ends_on = date.today() - timedelta(days=7)
        db.session.commit()
        db.session.remove()

    # Both sides: the guest marks it done, then each gives feedback.
    page.reload()
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("status")).to_have_text(
        "Marked as done. Please give your feedback below."
    )
    expect(page.locator(".state")).to_have_text("completed")
    for visit, rating, review in (
        (guest, "5", "A generous host: we came back with a voucher scheme of our own."),
        (host, "4", "Curious guests who taught us about their residency programme."),
    ):
        page = visit.page
        page.goto(exchange_url)
        page.get_by_label("How useful was it? (1 to 5)").select_option(rating)
        page.get_by_label("What did you learn?").fill("How the other hub works with industry.")
        page.get_by_label("A collaboration came of it").check()
        page.get_by_label("A short review for the other hub").fill(review)
        page.get_by_role("button", name="Send the feedback").click()
        expect(page.get_by_role("status")).to_have_text("Thank you: your feedback is saved.")
    # Both have written, so each now reads the other's review.
    expect(host.page.locator("#feedback")).to_contain_text("A generous host")
    guest.page.reload()
    expect(guest.page.locator("#feedback")).to_contain_text("Curious guests")
    guest.shot("journey-3-feedback", full_page=True)

    # The dashboard counts it.
    assert completed_residencies(coordinator.page) == completed_before + 1
    expect(coordinator.page.locator(".kpis")).to_contain_text("led to a collaboration")
    coordinator.shot("journey-4-impact", full_page=True)
    assert accessibility_problems(coordinator.page) == [], "the impact dashboard"

    with served_app.app_context():
        ratings = db.session.scalars(
            select(ExchangeFeedback.rating).where(ExchangeFeedback.exchange_id == exchange_id)
        ).all()
        db.session.remove()
    assert sorted(ratings) == [4, 5]
