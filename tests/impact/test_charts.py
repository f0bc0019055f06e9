"""The impact charts write every label whole: the legend wraps inside the chart, a long
round name wraps onto more lines, and the label column is wide enough for each line
(issue 16: "withdrawn" and round names were clipped). The estimate of text widths is
checked against a real browser in tests/browser/test_pictures.py."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from matchmaker.impact.charts import bar_chart, stacked_bar_chart, text_width
from matchmaker.models import ExchangeState

SVG = "{http://www.w3.org/2000/svg}"
ROUND = "Manager residencies, spring call for the Western Balkans and the Baltics"


def parse(markup: str) -> tuple[ElementTree.Element, float]:
    svg = ElementTree.fromstring(markup)
    width = float(svg.attrib["viewBox"].split()[2])
    return svg, width


def test_every_state_in_the_legend_is_whole_and_inside_the_chart() -> None:
    states = [state.value for state in ExchangeState]
    series = {"2026-11": dict.fromkeys(states, 1.0), "2026-12": {"withdrawn": 3.0}}
    svg, width = parse(stacked_bar_chart(series, "By state"))
    legend = [t for t in svg.iter(f"{SVG}text") if t.attrib.get("font-size") == "12"]
    assert [t.text for t in legend] == [s.replace("_", " ") for s in sorted(states)]
    for text in legend:
        right = float(text.attrib["x"]) + text_width(text.text or "", 12)
        assert right <= width, f"{text.text!r} ends at {right} in a chart {width} wide"
    rows = {float(t.attrib["y"]) for t in legend}
    assert len(rows) > 1, "nine states do not fit one line: the legend wraps"


def test_a_long_round_name_wraps_and_is_never_cut() -> None:
    svg, width = parse(bar_chart({ROUND: 2400.0, "Autumn": 600.0}, "Budget used"))
    labels = [t for t in svg.iter(f"{SVG}text") if t.attrib.get("text-anchor") == "end"]
    lines = [[span.text or "" for span in label.iter(f"{SVG}tspan")] for label in labels]
    assert " ".join(lines[0]) == ROUND and len(lines[0]) > 1
    assert lines[1] == ["Autumn"]
    assert "…" not in ElementTree.tostring(svg, encoding="unicode")
    bar = next(svg.iter(f"{SVG}rect"))
    for label in labels:
        for span in label.iter(f"{SVG}tspan"):
            right = float(span.attrib["x"])
            assert text_width(span.text or "", 13) <= right, "the label column is too narrow"
            assert right < float(bar.attrib["x"])
    # The second row starts below every line of the first.
    first_bottom = max(float(s.attrib["y"]) for s in labels[0].iter(f"{SVG}tspan"))
    second_top = float(next(labels[1].iter(f"{SVG}tspan")).attrib["y"])
    assert second_top - first_bottom >= 16
    assert re.fullmatch(r"\d+", svg.attrib["width"]) and float(svg.attrib["width"]) == width


def test_an_empty_chart_is_no_markup() -> None:
    assert bar_chart({}, "Nothing") == "" and stacked_bar_chart({}, "Nothing") == ""
