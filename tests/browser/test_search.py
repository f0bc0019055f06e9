"""The directory's search in a real browser (Chromium, on the demo network): typing
`laser` shows the hubs whose services mention lasers, best match first."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from matchmaker.demo.generator import build_demo_network
from matchmaker.demo.seed import DEFAULT_HUBS, DEFAULT_SEED
from matchmaker.models import OrganisationKind
from tests.support.browser_fixtures import OpenVisit
from tests.support.search_data import mentioning


@pytest.fixture
def session() -> None:
    """Overrides conftest's autouse `session`: the served app has its own database."""


def test_typing_laser_finds_the_hubs_whose_services_mention_lasers(open_visit: OpenVisit) -> None:
    network = build_demo_network(DEFAULT_HUBS, DEFAULT_SEED, date.today())
    hubs = [r for r in network.organisations if r.kind is OrganisationKind.HUB]
    with_lasers = {
        r.name
        for r in hubs
        if any("laser" in f"{s.title} {s.description}".lower() for s in r.services)
    }
    expected = {r.name for r in hubs if r.slug in mentioning(hubs, "laser")}
    assert with_lasers and with_lasers <= expected

    visit = open_visit(signed_in=False)
    page = visit.page
    page.goto("/")
    expect(page.get_by_label("Sort by")).not_to_contain_text("Nearest to my hub")
    search = page.get_by_role("searchbox", name="Search")
    search.fill("laser")
    search.press("Enter")
    expect(page.locator(".result-count")).to_contain_text(f"{len(expected)} hubs match")
    names = page.locator(".hub-card h2").all_inner_texts()
    assert set(names) == expected
    expect(page.get_by_label("Sort by")).to_have_value("")  # best match
    visit.shot("search-laser")

    page.get_by_label("Sort by").select_option("name")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_label("Sort by")).to_have_value("name")
    assert page.locator(".hub-card h2").all_inner_texts() == sorted(expected)


def test_a_manager_may_sort_by_distance_from_their_hub(open_visit: OpenVisit) -> None:
    visit = open_visit()
    page = visit.page
    page.goto("/?q=design")
    page.get_by_label("Sort by").select_option("distance")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_label("Sort by")).to_have_value("distance")
    expect(page.locator(".hub-card").first).to_be_visible()
