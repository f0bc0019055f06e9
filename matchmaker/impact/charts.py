"""Bar charts as SVG markup drawn on the server: no script, nothing from a CDN, and the
content security policy stays strict (presentation attributes, no inline styles)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from markupsafe import Markup

BAR = "#0b6e69"


def _opening(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]


def _row_label(label_width: int, y: float, name: object) -> str:
    return (
        f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-size="13" '
        f'fill="#1f2430">{escape(_short(str(name)))}</text>'
    )


def _short(label: str, limit: int = 24) -> str:
    """What fits left of the bars (the full label is in the table or the CSV)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(values: Mapping[str, float], title: str, width: int = 560) -> Markup:
    """Horizontal bars, one row per key, with the value written at the end."""
    if not values:
        return Markup("")
    row, label_width = 24, 180
    top = max(values.values()) or 1
    height = row * len(values) + 8
    parts = _opening(width, height, title)
    for i, (key, value) in enumerate(values.items()):
        y = 4 + i * row
        length = (width - label_width - 60) * value / top
        parts.append(_row_label(label_width, y, key))
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{BAR}" rx="2"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + 16}" font-size="13" '
            f'fill="#1f2430">{value:g}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


# Distinct on white and for the common colour-vision deficiencies (Okabe–Ito).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000")


def stacked_bar_chart(
    series: Mapping[str, Mapping[str, float]], title: str, width: int = 560
) -> Markup:
    """One horizontal bar per row (a month, say), split into coloured parts per key (a kind
    of exchange, say), with a legend above and each row's total at its end."""
    if not series:
        return Markup("")
    keys = sorted({key for parts in series.values() for key in parts})
    colour = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(keys)}
    row, label_width, legend = 24, 180, 22
    totals = {name: sum(parts.values()) for name, parts in series.items()}
    top = max(totals.values()) or 1
    height = legend + row * len(series) + 8
    parts = _opening(width, height, title)
    x = 0.0
    for key in keys:
        label = escape(key.replace("_", " "))
        parts.append(f'<rect x="{x:.1f}" y="4" width="12" height="12" fill="{colour[key]}"/>')
        parts.append(f'<text x="{x + 16:.1f}" y="15" font-size="12" fill="#1f2430">{label}</text>')
        x += 16 + 7.2 * len(key) + 14
    span = width - label_width - 60
    for i, (name, counts) in enumerate(series.items()):
        y = legend + 4 + i * row
        parts.append(_row_label(label_width, y, name))
        start = float(label_width)
        for key in keys:
            if value := counts.get(key, 0):
                length = span * value / top
                parts.append(
                    f'<rect x="{start:.1f}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
                    f'fill="{colour[key]}"><title>{escape(key.replace("_", " "))}: {value:g}'
                    "</title></rect>"
                )
                start += length
        parts.append(
            f'<text x="{start + 6:.1f}" y="{y + 16}" font-size="13" '
            f'fill="#1f2430">{totals[name]:g}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
