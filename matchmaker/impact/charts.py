"""Bar charts as SVG markup drawn on the server: no script, nothing from a CDN, and the
content security policy stays strict (presentation attributes, no inline styles).

Every label is written whole: a row's name wraps onto more lines (the row grows), the
legend wraps onto more lines when its keys do not fit one, and the label column is as
wide as its longest line. Widths are estimated from the characters (`text_width`, on the
generous side), as the server cannot measure the browser's font.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from html import escape

from markupsafe import Markup

BAR = "#0b6e69"
INK = "#1f2430"
LABEL_SIZE, LEGEND_SIZE = 13, 12
LINE = 16  # a label line's height
LABEL_CHARS = 28  # a row label wraps after this many characters
SPAN = 320  # the longest bar
# Wider and narrower than the average glyph of a sans-serif font, in ems.
WIDE, NARROW = set("mwMWOQGCDHNU@%"), set("ijlrtf.,:;'|!() ")


def text_width(text: str, size: float) -> float:
    """A generous estimate of `text`'s width in px at `size` px in a sans-serif font."""
    ems = sum(0.95 if c in WIDE else 0.34 if c in NARROW else 0.62 for c in text)
    return ems * size


def _opening(width: float, height: float, title: str) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]


def _lines(name: object) -> list[str]:
    return textwrap.wrap(str(name), LABEL_CHARS, break_on_hyphens=False) or [""]


def _label_width(names: list[object]) -> float:
    longest = max(text_width(line, LABEL_SIZE) for name in names for line in _lines(name))
    return max(longest, 40) + 12


def _row_label(label_width: float, y: float, lines: list[str]) -> str:
    spans = "".join(
        f'<tspan x="{label_width - 8:.1f}" y="{y + 16 + LINE * i}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text text-anchor="end" font-size="{LABEL_SIZE}" fill="{INK}">{spans}</text>'


def _row_height(lines: list[str]) -> int:
    return 24 + LINE * (len(lines) - 1)


def bar_chart(values: Mapping[str, float], title: str) -> Markup:
    """Horizontal bars, one row per key, with the value written at the end."""
    if not values:
        return Markup("")
    label_width = _label_width(list(values))
    width = label_width + SPAN + 60
    top = max(values.values()) or 1
    rows = [_lines(key) for key in values]
    height = sum(_row_height(lines) for lines in rows) + 8
    parts = _opening(width, height, title)
    y = 4.0
    for lines, value in zip(rows, values.values(), strict=True):
        length = SPAN * value / top
        parts.append(_row_label(label_width, y, lines))
        parts.append(
            f'<rect x="{label_width:.1f}" y="{y + 3}" width="{length:.1f}" height="16" '
            f'fill="{BAR}" rx="2"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + 16}" font-size="{LABEL_SIZE}" '
            f'fill="{INK}">{value:g}</text>'
        )
        y += _row_height(lines)
    parts.append("</svg>")
    return Markup("".join(parts))


# Distinct on white and for the common colour-vision deficiencies (Okabe–Ito).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000")


def _legend(keys: list[str], colour: dict[str, str], width: float) -> tuple[list[str], float]:
    """The legend's markup, its keys flowing onto as many lines as they need, and its
    height."""
    parts, x, y = [], 0.0, 4.0
    for key in keys:
        label = key.replace("_", " ")
        item = 16 + text_width(label, LEGEND_SIZE) + 14
        if x and x + item > width:
            x, y = 0.0, y + 18
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{colour[key]}"/>')
        parts.append(
            f'<text x="{x + 16:.1f}" y="{y + 11}" font-size="{LEGEND_SIZE}" '
            f'fill="{INK}">{escape(label)}</text>'
        )
        x += item
    return parts, y + 18


def stacked_bar_chart(series: Mapping[str, Mapping[str, float]], title: str) -> Markup:
    """One horizontal bar per row (a month, say), split into coloured parts per key (a kind
    of exchange, say), with a legend above and each row's total at its end."""
    if not series:
        return Markup("")
    keys = sorted({key for parts in series.values() for key in parts})
    colour = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}
    label_width = _label_width(list(series))
    width = label_width + SPAN + 60
    legend, legend_height = _legend(keys, colour, width)
    totals = {name: sum(parts.values()) for name, parts in series.items()}
    top = max(totals.values()) or 1
    rows = [_lines(name) for name in series]
    height = legend_height + sum(_row_height(lines) for lines in rows) + 8
    parts = _opening(width, height, title) + legend
    y = legend_height + 4
    for lines, (name, counts) in zip(rows, series.items(), strict=True):
        parts.append(_row_label(label_width, y, lines))
        start = label_width
        for key in keys:
            if value := counts.get(key, 0):
                length = SPAN * value / top
                parts.append(
                    f'<rect x="{start:.1f}" y="{y + 3}" width="{length:.1f}" height="16" '
                    f'fill="{colour[key]}"><title>{escape(key.replace("_", " "))}: {value:g}'
                    "</title></rect>"
                )
                start += length
        parts.append(
            f'<text x="{start + 6:.1f}" y="{y + 16}" font-size="{LABEL_SIZE}" '
            f'fill="{INK}">{totals[name]:g}</text>'
        )
        y += _row_height(lines)
    parts.append("</svg>")
    return Markup("".join(parts))
