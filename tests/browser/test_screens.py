"""Every main page in a real browser at phone and desktop size (issue 16): no page scrolls
sideways at 390 px, and each is saved as a screenshot under
`test-artifacts/screenshots/<database>/main-pages/`
(`<page>-phone.png`, `<page>-desktop.png`), signed in as the role that uses it.

The demo network has no exchange yet: one proposal (project partners, no dates) is made
through the use case, as the manager would from a hub's page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from matchmaker.exchanges.proposals import ProposalRules, propose
from matchmaker.extensions import db
from matchmaker.models import Organisation, ResidencyRound, User
from tests.support.browser_fixtures import (
    HUB,
    MANAGER,
    PHONE,
    TIMEOUT_MS,
    Problems,
    sign_in,
)

COORDINATOR = "coordinator@example.org"
PARTNER = "kharkiv-design-depot"
DESKTOP = {"width": 1280, "height": 900}
MESSAGE = "We are writing a Creative Europe cooperation project and would like you on board."


@pytest.fixture
def session() -> None:
    """Overrides conftest's autouse `session` (see tests/support/browser_fixtures.py)."""


@pytest.fixture(scope="module")
def ids(served_app: Flask) -> dict[str, int]:
    """An exchange (a proposal from the manager's hub) and the demo round."""
    with served_app.app_context():
        session = db.session()
        user = session.scalar(select(User).where(User.email == MANAGER))
        partner = session.scalar(select(Organisation).where(Organisation.slug == PARTNER))
        assert user is not None and partner is not None
        rules = ProposalRules(expiry_days=14, reminder_days=3, max_open=5, min_message=30)
        exchange = propose(
            session, user, partner, {"kind": "project_partners", "message": MESSAGE}, rules
        )
        round_id = session.scalar(select(ResidencyRound.id).limit(1))
        found = {"exchange": exchange.id, "round": int(round_id or 0)}
        db.session.remove()
    return found


def main_pages(ids: dict[str, int]) -> dict[str, tuple[str, str | None]]:
    """Each main page: its path and who signs in to read it (None: nobody)."""
    return {
        "directory": ("/", None),
        "home-manager": ("/home", MANAGER),
        "home-coordinator": ("/home", COORDINATOR),
        "search": ("/?q=laser", None),
        "hub": (f"/hubs/{HUB}", MANAGER),
        "hub-edit": (f"/hubs/{HUB}/edit", MANAGER),
        "matches": (f"/hubs/{HUB}/matches?kind=shadowing", MANAGER),
        "exchanges": ("/exchanges", MANAGER),
        "exchange": (f"/exchanges/{ids['exchange']}", MANAGER),
        "inbox": ("/inbox", MANAGER),
        "rounds": ("/rounds", MANAGER),
        "round": (f"/coordination/rounds/{ids['round']}", COORDINATOR),
        "round-apply": (f"/rounds/{ids['round']}/apply", MANAGER),
        "round-preview": (f"/coordination/rounds/{ids['round']}/preview", COORDINATOR),
        "coordination": ("/coordination/", COORDINATOR),
        "people": ("/people/", COORDINATOR),
        "impact": ("/coordination/impact", COORDINATOR),
        "network": ("/network/graph", None),
        "map": ("/network/map", None),
        "account": ("/account", MANAGER),
        "digest": ("/digest/preview", MANAGER),
    }


PAGE_NAMES = list(main_pages({"exchange": 0, "round": 0}))


@pytest.fixture(scope="module")
def states(browser: Browser, live_server: str) -> dict[str, dict[str, Any]]:
    """The cookies of each role, signed in once through the form."""
    found: dict[str, dict[str, Any]] = {}
    for email in (MANAGER, COORDINATOR):
        context = browser.new_context(base_url=live_server)
        page = context.new_page()
        sign_in(page, email)
        expect(page.get_by_role("status")).to_contain_text("Welcome")
        found[email] = dict(context.storage_state())
        context.close()
    return found


@pytest.fixture(scope="module")
def artifacts(shots: Path) -> Path:
    folder = shots / "main-pages"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll("body *"))
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .filter(e => !e.closest(".leaflet-container, #network-graph"))
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.split(" ").join(".") : "") + " right=" + Math.round(e.getBoundingClientRect().right));
}"""


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_each_main_page_fits_and_is_pictured(
    browser: Browser,
    live_server: str,
    states: dict[str, dict[str, Any]],
    ids: dict[str, int],
    artifacts: Path,
    name: str,
    size: str,
) -> None:
    path, who = main_pages(ids)[name]
    options: dict[str, Any] = {"base_url": live_server}
    if size == "phone":
        options.update(viewport=PHONE, is_mobile=True, has_touch=True)
    else:
        options.update(viewport=DESKTOP)
    if who:
        options["storage_state"] = states[who]
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    problems = Problems()
    try:
        page = context.new_page()
        problems.watch(page)
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response}"
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if name in ("network", "map"):
            expect(page.locator(".picture[data-rendered]")).to_have_count(1)
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        if size == "phone":
            assert scroll <= PHONE["width"], (
                f"{path} is {scroll} px wide: {page.evaluate(SIDEWAYS)}"
            )
        page.screenshot(path=str(artifacts / f"{name}-{size}.png"), full_page=True)
    finally:
        context.close()
    problems.check(f"on {path}")


def test_the_phone_menu_opens_without_scripts(
    browser: Browser, live_server: str, states: dict[str, dict[str, Any]]
) -> None:
    """The menu is a checkbox and its label: it works where scripts are blocked."""
    context = browser.new_context(
        base_url=live_server,
        viewport=PHONE,
        is_mobile=True,
        java_script_enabled=False,
        storage_state=states[MANAGER],
    )
    try:
        page = context.new_page()
        page.goto("/")
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Exchanges")).to_be_hidden()
        page.get_by_text("Menu", exact=True).click()
        expect(nav.get_by_role("link", name="Exchanges")).to_be_visible()
        nav.get_by_role("link", name="Exchanges").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.url.endswith("/exchanges")
    finally:
        context.close()
