"""A hub manager's day in a real browser: Debian's chromium, driven by Playwright, against
the app served on loopback with the demo network (the fixtures are in
tests/browser_fixtures.py).

Every test fails on a console error or a content-security-policy violation, and saves
screenshots of what it saw under `test-artifacts/screenshots/<database>/`.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from matchmaker.demo.generator import DEMO_PASSWORD
from tests.browser_fixtures import HUB, KINDS, MANAGER, PHONE, OpenVisit, main_nav


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
    expect(page.get_by_role("alert")).to_contain_text("title: this is required")
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


def test_the_map_shows_the_hubs(open_visit: OpenVisit) -> None:
    visit = open_visit(signed_in=False)
    page = visit.page
    page.goto("/network/map")
    box = page.locator("#hub-map[data-rendered]")
    expect(box).to_have_count(1)
    drawn = int(box.get_attribute("data-rendered") or 0)
    markers = box.locator("path.hub-marker")
    expect(markers).to_have_count(drawn)
    assert drawn > 0
    assert accessibility_problems(page) == []
    visit.shot("network-map")
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


def overlapping(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


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
    targets = page.evaluate(NAV_TARGETS)
    assert {t["name"] for t in targets} >= {"Hubs", "Network", "Map", "My hub", "Find matches"}
    assert nav_problems(targets, PHONE["width"]) == []
    visit.shot(f"phone-{page_name}")
    main_nav(page).get_by_role("link", name="Find matches").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find matches for Yeast House")


# --- accessibility ------------------------------------------------------------------------

UNLABELLED_FIELDS = """
() => {
  const text = (node) => (node ? node.textContent.trim() : "");
  return Array.from(document.querySelectorAll("input, select, textarea"))
    .filter((e) => e.type !== "hidden" && !e.closest("[hidden]"))
    .filter((e) => {
      const label = (e.id && document.querySelector(`label[for="${CSS.escape(e.id)}"]`)) || e.closest("label");
      if (text(label)) return false;
      if ((e.getAttribute("aria-label") || "").trim()) return false;
      const ids = (e.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
      return !(ids.length && ids.every((id) => text(document.getElementById(id))));
    })
    .map((e) => e.outerHTML.slice(0, 120));
}
"""

DUPLICATE_IDS = """
() => {
  const seen = new Set(), twice = new Set();
  document.querySelectorAll("[id]").forEach((e) => (seen.has(e.id) ? twice : seen).add(e.id));
  return Array.from(twice);
}
"""

HEADINGS = """
() => Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
  .map((e) => [Number(e.tagName[1]), e.textContent.trim().replace(/\\s+/g, " ")])
"""

# Every visible element that holds text of its own (or is a form control or button, or a
# placeholder), with its colour, the background colours from itself up to <html>, and its
# font size and weight.
TEXT_COLOURS = """
() => {
  const skip = "#network-graph, #hub-map, option";
  const out = [];
  for (const e of document.body.querySelectorAll("*")) {
    if (e.closest(skip)) continue;
    const ownText = Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    const control = e.matches("input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea, button");
    if (!ownText && !control) continue;
    const style = getComputedStyle(e);
    const box = e.getBoundingClientRect();
    if (style.visibility !== "visible" || box.width <= 1 || box.height <= 1) continue;
    const backgrounds = [];
    for (let a = e; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      backgrounds.push(s.backgroundImage !== "none" ? "image" : s.backgroundColor);
    }
    const classes = e.getAttribute("class");
    const what = e.tagName.toLowerCase() + (classes ? "." + classes.split(/\\s+/).join(".") : "");
    const sample = (text, s) => out.push({
      what: what + " " + JSON.stringify(text.trim().slice(0, 40)), color: s.color, backgrounds,
      size: parseFloat(s.fontSize), bold: Number(s.fontWeight) >= 700,
    });
    sample(e.textContent || e.value || "", style);
    if (e.placeholder && !e.value) sample("placeholder: " + e.placeholder, getComputedStyle(e, "::placeholder"));
  }
  return out;
}
"""

RGB = re.compile(r"rgba?\(([\d.]+)[, ]+([\d.]+)[, ]+([\d.]+)(?:[, /]+([\d.]+))?\)")
Colour = tuple[float, float, float, float]


def parse_colour(css: str) -> Colour:
    match = RGB.fullmatch(css.strip())
    assert match, f"cannot read the CSS colour {css!r}"
    red, green, blue, alpha = match.groups()
    return float(red), float(green), float(blue), float(alpha) if alpha is not None else 1.0


def over(top: Colour, bottom: Colour) -> Colour:
    """`top` painted over an opaque `bottom` (alpha compositing)."""
    alpha = top[3]
    mix = [top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3)]
    return mix[0], mix[1], mix[2], 1.0


def relative_luminance(colour: Colour) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: Colour, second: Colour) -> float:
    """WCAG 2 contrast ratio, (L1 + 0.05) / (L2 + 0.05) with L1 the lighter, 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def contrast_problems(samples: list[dict[str, Any]]) -> list[str]:
    """Text below 4.5:1 against what is behind it (3:1 for large text: 24 px, or 18.66 px
    bold). The background is the element's and its ancestors' colours over a white canvas."""
    problems = []
    for sample in samples:
        if "image" in sample["backgrounds"]:
            problems.append(f"{sample['what']}: text over an image, check it by eye")
            continue
        background: Colour = (255.0, 255.0, 255.0, 1.0)
        for css in reversed(sample["backgrounds"]):
            background = over(parse_colour(css), background)
        text = over(parse_colour(sample["color"]), background)
        large = sample["size"] >= 24 or (sample["bold"] and sample["size"] >= 18.66)
        needed = 3.0 if large else 4.5
        ratio = contrast_ratio(text, background)
        if ratio < needed:
            problems.append(
                f"{sample['what']}: {sample['color']} on {background[:3]} is {ratio:.2f}:1, "
                f"needs {needed}:1"
            )
    return problems


def heading_problems(headings: list[list[Any]]) -> list[str]:
    """Exactly one h1, first; then no level skipped on the way down."""
    problems = []
    levels = [level for level, _ in headings]
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 headings, want exactly one")
    if levels and levels[0] != 1:
        problems.append(f"the first heading is h{levels[0]} {headings[0][1]!r}, not h1")
    for (before, _), (level, text) in pairwise(headings):
        if level > before + 1:
            problems.append(f"h{level} {text!r} follows h{before}: a level is skipped")
    return problems


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


def accessibility_problems(page: Page) -> list[str]:
    """Labels on fields, unique ids, headings in order and text contrast of the page."""
    return [
        *(f"field without a label: {field}" for field in page.evaluate(UNLABELLED_FIELDS)),
        *(
            f"id used twice (label[for] is ambiguous): {id_}"
            for id_ in page.evaluate(DUPLICATE_IDS)
        ),
        *heading_problems(page.evaluate(HEADINGS)),
        *contrast_problems(page.evaluate(TEXT_COLOURS)),
    ]


@pytest.mark.parametrize("page_name", list(ACCESSIBLE_PAGES))
def test_main_pages_pass_basic_accessibility_checks(open_visit: OpenVisit, page_name: str) -> None:
    path, signed_in = ACCESSIBLE_PAGES[page_name]
    page = open_visit(signed_in=signed_in).page
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert accessibility_problems(page) == []
