"""Cells of the CSV files people open in a spreadsheet: text that would start a formula
(`=`, `+`, `-`, `@`, a tab or a carriage return) is written behind a `'`, so Excel and
LibreOffice show it as text instead of running it (CSV injection), and read back as it was.

Numbers are written as they are: a number never runs as a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Leading quotes count too, so that a text that itself starts with `'=` reads back whole.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def safe_cell(text: str) -> str:
    """The cell as it is written: text that could start a formula gets a leading `'`."""
    return "'" + text if _FORMULA_START.match(text) else text


def safe_row(values: Iterable[object]) -> list[object]:
    """A row of text and numbers with its text made safe."""
    return [safe_cell(value) if isinstance(value, str) else value for value in values]


def read_cell(text: str) -> str:
    """The text a `safe_cell` was written from."""
    if text.startswith("'") and _FORMULA_START.match(text, 1):
        return text[1:]
    return text
