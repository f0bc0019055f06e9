"""A hub manager's day in a real browser: Debian's chromium, driven by Playwright, against
the app served on loopback with the demo network (the fixtures are in
tests/support/browser_fixtures.py).

Every test fails on a console error or a content-security-policy violation, and saves
screenshots of what it saw under `test-artifacts/screenshots/<database>/`.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from matchmaker.demo.generator import DEMO_PASSWORD
from tests.support.accessibility import (
    accessibility_problems,
    contrast_ratio,
    over,
    parse_colour,
)
from tests.support.browser_fixtures import (
    HUB,
    KINDS,
    MANAGER,
    PHONE,
    OpenVisit,
    main_nav,
    overlapping,
)


@pytest.fixture
def session() -> None:
    """Overrides conftest's autouse `session`: these tests never use the shared
    connection, and the server thread must not be handed it through `db.session`."""


def test_a_manager_signs_in_through_the_form(open_visit: OpenVisit) -> None:
    visit = open_visit(signed_in=False)
    page = visit.page
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The network's hubs")
    visit.shot("home")
    main_nav(page).get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    visit.shot("sign-in")
    page.get_by_label("Email").fill(MANAGER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Keep me signed in on this device").check()
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome, Manager of Yeast House")
    remember = [c for c in visit.context.cookies() if c["name"] == "remember_token"]
    assert remember and remember[0]["httpOnly"], "“Keep me signed in” set no remember cookie"
    expect(main_nav(page).get_by_role("link", name="My hub")).to_be_visible()
    main_nav(page).get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_text(MANAGER, exact=False).first).to_be_visible()
    visit.shot("account")


def test_a_wrong_password_is_refused_with_a_message(open_visit: OpenVisit) -> None:
    visit = open_visit(signed_in=False)
    page = visit.page
    page.goto("/sign-in")
    page.get_by_label("Email").fill("manager3@example.org")
    page.get_by_label("Password").fill("not the password")
    with visit.refused("/sign-in"):
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "That email and password do not match an account."
    )
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()


def test_the_manager_edits_the_hub_profile(open_visit: OpenVisit) -> None:
    visit = open_visit()
    page = visit.page
    page.goto("/")
    main_nav(page).get_by_role("link", name="My hub").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Yeast House")
    visit.shot("hub", full_page=True)
    page.get_by_role("link", name="Edit the profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Yeast House")
    visit.shot("hub-edit", full_page=True)
    description = "A brewery turned into studios; we host makers and print people."
    page.get_by_label("Description").fill(description)
    page.get_by_role("button", name="Save the profile").click()
    expect(page).to_have_url(re.compile(rf"/hubs/{HUB}$"))
    expect(page.get_by_role("status")).to_have_text("Your profile is saved.")
    expect(page.locator(".description")).to_have_text(description)
    assert accessibility_problems(page) == [], "the hub page with its flash message"


def test_a_service_without_a_title_is_refused_next_to_the_field(open_visit: OpenVisit) -> None:
    visit = open_visit()
    page = visit.page
    page.goto(f"/hubs/{HUB}")
    page.locator("#services").get_by_role("link", name="Add a service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a service")
    page.get_by_label("Category").select_option(index=1)
    title = page.get_by_label("Title")
    title.fill("   ")  # passes the browser's `required`, not the server's check
    with visit.refused(f"/hubs/{HUB}/services/new"):
        page.get_by_role("button", name="Save the service").click()
    error = page.locator("#title-error")
    expect(error).to_have_text("this is required")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_attribute("aria-describedby", "title-error")
    # Next to the field: in the same field block, right under the input.
    assert error.evaluate("e => e.closest('.field').querySelector('input').id") == "title"
    expect(page.get_by_role("alert")).to_contain_text("Title: this is required")
    assert accessibility_problems(page) == [], "the form showing its errors"
    visit.shot("service-error")
    title.fill("Risograph printing for zines")
    page.get_by_label("Description").fill("Two-colour risograph, paper included.")
    page.get_by_role("button", name="Save the service").click()
    expect(page).to_have_url(re.compile(rf"/hubs/{HUB}#services$"))
    expect(page.get_by_role("status")).to_have_text("The service is saved.")
    expect(page.locator("#services h3", has_text="Risograph printing for zines")).to_be_visible()


def test_each_kind_of_match_comes_with_its_reasons(open_visit: OpenVisit) -> None:
    visit = open_visit()
    page = visit.page
    page.goto(f"/hubs/{HUB}")
    main_nav(page).get_by_role("link", name="Find matches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find matches for Yeast House")
    for kind in KINDS:
        page.locator(f"#kind-{kind}").check()
        page.get_by_role("button", name="Show matches").click()
        expect(page).to_have_url(re.compile(rf"[?&]kind={kind}(&|$)"))
        expect(page.locator(f"#kind-{kind}")).to_be_checked()
        expect(page.locator("#results-title")).to_contain_text("suggestions")
        suggestions = page.locator("li.suggestion")
        expect(suggestions.first).to_be_visible()
        first_reason = suggestions.first.locator("li.reason").first
        expect(first_reason).to_have_text(re.compile(r"\w+ \w+"))
        assert suggestions.count() >= 1
        visit.shot(f"matches-{kind}", full_page=kind == "shadowing")


def test_a_suggestion_opens_the_other_hubs_page(open_visit: OpenVisit) -> None:
    visit = open_visit()
    page = visit.page
    page.goto(f"/hubs/{HUB}/matches?kind=shadowing")
    first = page.locator("li.suggestion").first
    name = first.locator("h3 a").inner_text()
    assert name and name != "Yeast House"
    first.get_by_role("link", name="Open their page").click()
    expect(page).to_have_url(re.compile(r"/hubs/[a-z0-9-]+$"))
    assert not page.url.endswith(f"/hubs/{HUB}")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    # Another hub's page: no editing for this manager.
    expect(page.get_by_role("link", name="Edit the profile")).to_have_count(0)
    visit.shot("suggested-hub")


def test_the_network_graph_is_drawn(open_visit: OpenVisit) -> None:
    visit = open_visit(signed_in=False)
    page = visit.page
    page.goto("/")
    main_nav(page).get_by_role("link", name="Network").click()
    graph = page.locator("#network-graph[data-rendered]")
    expect(graph).to_have_count(1)
    expect(graph.locator("canvas").first).to_be_attached()
    drawn = int(graph.get_attribute("data-rendered") or 0)
    listed = page.get_by_role("heading", level=2, name=re.compile(r"\d+ hubs and their ties"))
    assert drawn > 0 and listed.inner_text().startswith(f"{drawn} hubs")
    expect(page.locator("#legend .legend-item").first).to_be_visible()
    assert accessibility_problems(page) == []
    visit.shot("network-graph")


# The hubs drawn alone plus those counted in numbered circles, as the map shows them now.
SETTLED_MAP = """drawn => {
  const box = document.getElementById("hub-map");
  const groups = Array.from(box.querySelectorAll(".marker-cluster")).map(e => Number(e.textContent));
  return box.querySelectorAll("path.hub-marker").length + groups.reduce((a, b) => a + b, 0) === drawn;
}"""


def test_the_map_shows_the_hubs(open_visit: OpenVisit) -> None:
    visit = open_visit(signed_in=False)
    page = visit.page
    page.goto("/network/map")
    box = page.locator("#hub-map[data-rendered]")
    expect(box).to_have_count(1)
    drawn = int(box.get_attribute("data-rendered") or 0)
    markers = box.locator("path.hub-marker")
    # Hubs close together are one numbered circle at this zoom; every hub is counted once
    # (once the clusters are drawn).
    page.wait_for_function(SETTLED_MAP, arg=drawn)
    groups = [int(n) for n in box.locator(".marker-cluster").all_inner_texts()]
    assert drawn > 0 and groups and max(groups) > 1
    assert markers.count() + sum(groups) == drawn
    assert accessibility_problems(page) == []
    visit.shot("network-map")
    # Opening the largest group zooms in on its hubs.
    singles = markers.count()
    box.locator(".marker-cluster", has_text=re.compile(rf"^{max(groups)}$")).first.click()
    expect(markers).not_to_have_count(singles)
    expect(markers.first).to_be_visible()
    markers.first.dispatch_event("click")
    expect(box.locator(".leaflet-popup-content a")).to_have_attribute(
        "href", re.compile(r"^/hubs/[a-z0-9-]+$")
    )


def test_the_network_pages_still_list_the_hubs_without_scripts(open_visit: OpenVisit) -> None:
    """Where a browser blocks scripts, the pictures' pages fall back to plain lists."""
    page = open_visit(signed_in=False, java_script_enabled=False).page
    page.goto("/network/graph")
    expect(page.locator("#network-graph[data-rendered]")).to_have_count(0)  # no drawing
    page.get_by_text("The ties as a list").click()
    expect(page.locator("ul.ties li a").first).to_be_visible()
    page.goto("/network/map")
    page.get_by_text("As a list").click()
    first_hub = page.locator("details ul li a").first
    expect(first_hub).to_have_attribute("href", re.compile(r"^/hubs/[a-z0-9-]+$"))
    first_hub.click()
    expect(page.get_by_role("heading", level=2, name="Profile")).to_be_visible()


def test_the_directory_filters_by_the_exchange_a_hub_hosts(open_visit: OpenVisit) -> None:
    page = open_visit(signed_in=False).page
    page.goto("/")
    page.get_by_label("Hosts").select_option("residency")
    page.get_by_role("button", name="Find").click()
    expect(page).to_have_url(re.compile(r"[?&]hosts=residency"))
    cards = page.locator(".hub-card")
    expect(cards.first).to_be_visible()
    for text in cards.locator(".counts").all_inner_texts():
        assert "residency place" in text
    expect(page.locator(".result-count")).to_contain_text("match these filters")


# --- a phone ------------------------------------------------------------------------------

NAV_TARGETS = """
() => Array.from(document.querySelectorAll("nav.site-nav a, nav.site-nav button")).map(e => {
  const r = e.getBoundingClientRect();
  return {name: e.textContent.trim(), x: r.x, y: r.y, width: r.width, height: r.height};
})
"""


def distance_to_box(x: float, y: float, box: dict[str, float]) -> float:
    dx = max(box["x"] - x, 0.0, x - box["x"] - box["width"])
    dy = max(box["y"] - y, 0.0, y - box["y"] - box["height"])
    return float((dx * dx + dy * dy) ** 0.5)


def nav_problems(targets: list[dict[str, Any]], width: int) -> list[str]:
    """Every nav target inside the screen, apart from the others, and at least 24 px or
    spaced as WCAG 2.5.8 asks (a 24 px circle on its centre touches no other target)."""
    problems = []
    for index, target in enumerate(targets):
        name = target["name"]
        if target["width"] <= 0 or target["x"] < 0 or target["x"] + target["width"] > width:
            problems.append(f"{name!r} is not fully on the screen: {target}")
        others = targets[:index] + targets[index + 1 :]
        if any(overlapping(target, other) for other in others):
            problems.append(f"{name!r} overlaps another nav target")
        if target["width"] < 24 or target["height"] < 24:
            cx, cy = target["x"] + target["width"] / 2, target["y"] + target["height"] / 2
            if any(distance_to_box(cx, cy, other) < 12 for other in others):
                problems.append(f"{name!r} is small and too close to another target")
    return problems


PHONE_PAGES = {
    "directory": "/",
    "matches": f"/hubs/{HUB}/matches?kind=shadowing",
    "hub": f"/hubs/{HUB}",
}


@pytest.mark.parametrize("page_name", list(PHONE_PAGES))
def test_pages_fit_a_phone_and_the_nav_is_usable(open_visit: OpenVisit, page_name: str) -> None:
    path = PHONE_PAGES[page_name]
    visit = open_visit(viewport=PHONE, is_mobile=True, has_touch=True)
    page = visit.page
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{path} scrolls sideways on a phone: {width}"
    # The navigation folds behind one button, so the header is one line.
    expect(main_nav(page).get_by_role("link", name="Hubs")).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 80, f"the header is {header} tall"
    page.get_by_text("Menu", exact=True).tap()
    targets = page.evaluate(NAV_TARGETS)
    assert {t["name"] for t in targets} >= {"Hubs", "Network", "Map", "My hub", "Find matches"}
    assert nav_problems(targets, PHONE["width"]) == []
    visit.shot(f"phone-{page_name}")
    main_nav(page).get_by_role("link", name="Find matches").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find matches for Yeast House")


def test_the_contrast_formula_matches_wcag() -> None:
    white, black = (255.0, 255.0, 255.0, 1.0), (0.0, 0.0, 0.0, 1.0)
    assert contrast_ratio(white, black) == pytest.approx(21)
    assert contrast_ratio(white, white) == pytest.approx(1)
    assert contrast_ratio(parse_colour("rgb(118, 118, 118)"), white) == pytest.approx(
        4.54, abs=0.01
    )
    assert contrast_ratio(parse_colour("rgb(119, 119, 119)"), white) < 4.5
    half_black = parse_colour("rgba(0, 0, 0, 0.5)")
    assert over(half_black, white)[:3] == (127.5, 127.5, 127.5)


ACCESSIBLE_PAGES = {
    "directory": ("/", True),
    "sign-in": ("/sign-in", False),
    "hub": (f"/hubs/{HUB}", True),
    "hub-edit": (f"/hubs/{HUB}/edit", True),
    "service-form": (f"/hubs/{HUB}/services/new", True),
    "match-results": (f"/hubs/{HUB}/matches?kind=residency", True),
    "account": ("/account", True),
    "consortia": (f"/hubs/{HUB}/consortia?min_partners=3&min_countries=3&competence=fablab", True),
    "exchanges": ("/exchanges", True),
    "rounds": ("/rounds", True),
    "inbox": ("/inbox", True),
}


@pytest.mark.parametrize("page_name", list(ACCESSIBLE_PAGES))
def test_main_pages_pass_basic_accessibility_checks(open_visit: OpenVisit, page_name: str) -> None:
    path, signed_in = ACCESSIBLE_PAGES[page_name]
    page = open_visit(signed_in=signed_in).page
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert accessibility_problems(page) == []
