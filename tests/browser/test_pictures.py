"""The network graph is readable (issue 16): the names it shows do not overlap, zooming
in shows more of them, the legend names every country, and a hub's page opens the graph
on that hub and its ties."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.impact.charts import bar_chart, stacked_bar_chart
from matchmaker.models import ExchangeState, Organisation, OrganisationKind
from tests.support.browser_fixtures import HUB, OpenVisit, overlapping


@pytest.fixture
def session() -> None:
    """Overrides conftest's autouse `session` (see tests/support/browser_fixtures.py)."""


# The boxes of the names Cytoscape draws, on screen, and whether each one's node is drawn.
LABEL_BOXES = """() => window.matchmakerGraph.nodes(".labelled").map(n => {
  const b = n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
  return {name: n.data("label"), x: b.x1, y: b.y1, width: b.w, height: b.h,
          opacity: Number(n.style("text-opacity"))};
})"""


def label_boxes(page: Page) -> list[dict[str, Any]]:
    boxes: list[dict[str, Any]] = page.evaluate(LABEL_BOXES)
    return boxes


def overlaps(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (a["name"], b["name"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if overlapping(a, b)
    ]


def drawn(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("#network-graph[data-rendered]")).to_have_count(1)


def test_the_graphs_names_never_overlap_and_zooming_shows_more(open_visit: OpenVisit) -> None:
    visit = open_visit(signed_in=False, viewport={"width": 1280, "height": 900})
    page = visit.page
    drawn(page, "/network/graph")
    first = label_boxes(page)
    assert len(first) >= 10, f"only {len(first)} names shown"
    assert all(box["opacity"] == 1 and box["width"] > 20 for box in first), first[:3]
    assert overlaps(first) == []
    page.evaluate(
        """() => { const g = window.matchmakerGraph;
        g.zoom({level: g.zoom() * 3, renderedPosition: {x: g.width() / 2, y: g.height() / 2}}); }"""
    )
    expect(page.locator("#network-graph")).not_to_have_attribute("data-labels", str(len(first)))
    zoomed = label_boxes(page)
    assert overlaps(zoomed) == []
    # A third of the picture at three times the size: names of hubs that were hidden.
    assert {b["name"] for b in zoomed} - {b["name"] for b in first}
    visit.shot("network-graph-zoomed")


def test_the_legend_names_every_group(open_visit: OpenVisit, served_app: Any) -> None:
    with served_app.app_context():
        countries = db.session.scalar(
            select(func.count(func.distinct(Organisation.country))).where(
                Organisation.kind == OrganisationKind.HUB
            )
        )
        db.session.remove()
    page = open_visit(signed_in=False).page
    drawn(page, "/network/graph")
    items = page.locator("#legend .legend-item")
    expect(items).to_have_count(countries)
    expect(items.filter(has_text=re.compile(r"^Latvia$"))).to_have_count(1)  # names, not codes
    legend = page.locator("#legend").bounding_box()
    last = items.last.bounding_box()
    assert legend and last and last["x"] + last["width"] <= legend["x"] + legend["width"] + 1


def test_a_hub_page_opens_the_graph_on_its_ties(open_visit: OpenVisit) -> None:
    visit = open_visit(signed_in=False)
    page = visit.page
    page.goto(f"/hubs/{HUB}")
    page.get_by_role("link", name="Yeast House in the network picture").click()
    expect(page).to_have_url(re.compile(rf"/network/graph\?hub={HUB}$"))
    expect(page.locator("#network-graph[data-rendered]")).to_have_count(1)
    expect(page.locator("#focus-notice")).to_contain_text("Showing Yeast House")
    ties = page.get_by_role("heading", level=2, name=re.compile(r"^Yeast House: \d+ ties?$"))
    count = int(re.findall(r"\d+", ties.inner_text())[0])
    listed = page.locator("section", has=ties).locator("li a")
    expect(listed).to_have_count(count)
    neighbours = set(listed.all_inner_texts())
    highlighted = page.evaluate(
        """() => window.matchmakerGraph.nodes(".near").not(".focus").map(n => n.data("label"))"""
    )
    assert set(highlighted) == neighbours
    shown = {box["name"] for box in label_boxes(page)}
    assert "Yeast House" in shown and overlaps(label_boxes(page)) == []
    visit.shot("network-graph-hub")


def test_an_unknown_hub_in_the_graph_is_not_found(open_visit: OpenVisit) -> None:
    visit = open_visit(signed_in=False)
    with visit.refused("/network/graph?hub=no-such-hub", status=404):
        visit.page.goto("/network/graph?hub=no-such-hub")


# Each text of a chart as Chromium draws it, in the chart's own units.
CHART_TEXTS = """() => {
  const svg = document.querySelector("svg.chart");
  const scale = svg.viewBox.baseVal.width / svg.getBoundingClientRect().width;
  const left = svg.getBoundingClientRect().left;
  return Array.from(svg.querySelectorAll("text, rect")).map(e => {
    const r = e.getBoundingClientRect();
    return {tag: e.tagName, name: e.textContent, x: (r.left - left) * scale, y: r.top * scale,
            width: r.width * scale, height: r.height * scale};
  });
}"""


def test_chart_labels_fit_as_chromium_draws_them(open_visit: OpenVisit, live_server: str) -> None:
    """The server estimates text widths; the real font must fit in what it reserved."""
    round_name = "Manager residencies, spring call for the Western Balkans and the Baltics"
    states = {state.value: 1.0 for state in ExchangeState}
    charts = [
        stacked_bar_chart({"2026-11": states, "2026-12": {"withdrawn": 2.0}}, "By state"),
        bar_chart({round_name: 2400.0, "Autumn": 600.0}, "Budget"),
    ]
    page = open_visit(signed_in=False, viewport={"width": 1280, "height": 900}).page
    for chart in charts:
        page.set_content(
            f'<link rel="stylesheet" href="{live_server}/static/style.css"><main>{chart}</main>'
        )
        page.wait_for_load_state("load")
        width = float(
            page.evaluate("() => document.querySelector('svg.chart').viewBox.baseVal.width")
        )
        drawn = page.evaluate(CHART_TEXTS)
        texts = [d for d in drawn if d["tag"] == "text"]
        for text in texts:
            assert text["x"] >= 0 and text["x"] + text["width"] <= width + 0.5, text
        assert overlaps([dict(t, name=t["name"]) for t in texts]) == []
        # No text runs into a coloured box (a legend swatch or a bar).
        boxes = [d for d in drawn if d["tag"] == "rect"]
        assert [(t["name"], b) for t in texts for b in boxes if overlapping(t, b)] == []
