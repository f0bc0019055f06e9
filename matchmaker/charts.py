"""Bar charts as SVG markup drawn on the server: no script, nothing from a CDN, and the
content security policy stays strict (presentation attributes, no inline styles)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from markupsafe import Markup

BAR = "#0b6e69"


def bar_chart(values: Mapping[str, float], title: str, width: int = 560) -> Markup:
    """Horizontal bars, one row per key, with the value written at the end."""
    if not values:
        return Markup("")
    row, label_width = 24, 180
    top = max(values.values()) or 1
    height = row * len(values) + 8
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]  # fmt: skip
    for i, (key, value) in enumerate(values.items()):
        y = 4 + i * row
        length = (width - label_width - 60) * value / top
        parts.append(f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" '
                     f'font-size="13" fill="#1f2430">{escape(str(key))[:28]}</text>')  # fmt: skip
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
                     f'fill="{BAR}" rx="2"/>')  # fmt: skip
        parts.append(f'<text x="{label_width + length + 6:.1f}" y="{y + 16}" font-size="13" '
                     f'fill="#1f2430">{value:g}</text>')  # fmt: skip
    parts.append("</svg>")
    return Markup("".join(parts))
