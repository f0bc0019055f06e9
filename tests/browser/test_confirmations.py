"""Irreversible actions ask first, in a real browser: the remove button of a service opens
a dialog (static/confirm.js) that keeps the service on "No" and removes it on "Yes"; and a
coordinator previews a round's allocation without closing it."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Organisation, ResidencyRound, RoundState
from tests.support.browser_fixtures import HUB, OpenVisit, sign_in


@pytest.fixture
def session() -> None:
    """Overrides conftest's autouse `session` (see tests/support/browser_fixtures.py)."""


def test_removing_a_service_asks_in_a_dialog(open_visit: OpenVisit, served_app: Flask) -> None:
    with served_app.app_context():
        hub = db.session.scalar(select(Organisation).where(Organisation.slug == HUB))
        title = hub.services[0].title
    visit = open_visit()
    page = visit.page
    page.goto(f"/hubs/{HUB}")
    services = page.locator("#services")
    remove = services.get_by_role("button", name=f"Remove {title}")
    remove.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Remove this service?")
    expect(dialog).to_contain_text("cannot be undone")
    visit.shot("confirm-dialog")
    dialog.get_by_role("button", name="No, go back").click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(f"{page.url.split('/hubs/')[0]}/hubs/{HUB}")
    expect(services).to_contain_text(title)  # kept

    remove.click()
    dialog.get_by_role("button", name="Yes, remove the service").click()
    expect(page.get_by_role("status")).to_have_text("The service is removed.")
    expect(page.locator("#services")).not_to_contain_text(title)


def test_a_coordinator_previews_the_rounds_allocation(
    open_visit: OpenVisit, served_app: Flask
) -> None:
    visit = open_visit(signed_in=False)
    page = visit.page
    sign_in(page, "coordinator@example.org")
    page.goto("/coordination/")
    with served_app.app_context():
        round_ = db.session.scalar(select(ResidencyRound))
        name, round_id = round_.name, round_.id
    page.get_by_role("link", name=name).click()
    page.get_by_role("link", name="Preview the allocation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Preview of the allocation: {name}")
    expect(page.get_by_role("status").first).to_contain_text("A preview only")
    visit.shot("round-preview", full_page=True)
    with served_app.app_context():
        assert db.session.get(ResidencyRound, round_id).state is RoundState.OPEN
