"""Reading CSV rows with the numbers a spreadsheet shows: header row 1, blank rows counted."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from flask_babel import gettext as _

from matchmaker.spreadsheet import read_cell
from matchmaker.validation import RowError


def read_rows(
    stream: TextIO, required: tuple[str, ...]
) -> tuple[list[str], Iterator[tuple[int, dict[str, str | None]]], list[RowError]]:
    """The header, the rows as (row number, {column: cell or None when the row ends early}),
    and the header's problems (missing or repeated columns); rows are empty if any."""
    reader = csv.reader(stream)
    header = [name.strip() for name in next(reader, [])]
    errors = [
        RowError(1, name, _("required column is missing"))
        for name in required
        if name not in header
    ]
    errors += [
        RowError(1, name, _("the column appears more than once"))
        for name in sorted({name for name in header if header.count(name) > 1})
    ]
    if errors:
        return header, iter(()), errors

    def rows() -> Iterator[tuple[int, dict[str, str | None]]]:
        for row_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            cells = [read_cell(cell) for cell in cells]
            padded: list[str | None] = [*cells, *[None] * (len(header) - len(cells))]
            row = dict(zip(header, padded, strict=False))
            if len(cells) > len(header):
                row[""] = "extra"
            yield row_number, row

    return header, rows(), []
