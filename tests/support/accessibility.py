"""Basic accessibility checks run in the browser: labels on fields, unique ids, headings
in order and WCAG text contrast; shared by the browser tests."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from playwright.sync_api import Page

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
