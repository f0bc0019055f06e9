"""CSV cells are written so a spreadsheet never runs them as formulas, and read back whole."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from matchmaker.spreadsheet import read_cell, safe_cell, safe_row

RISKY = "=+-@\t\r"


@given(st.text(st.sampled_from("=+-@'\t\rab1 ") | st.characters(), max_size=12))
def test_no_cell_starts_a_formula_and_every_cell_reads_back(text: str) -> None:
    written = safe_cell(text)
    assert not written or written[0] not in RISKY
    assert read_cell(written) == text


def test_numbers_stay_numbers_and_text_is_quoted() -> None:
    assert safe_row(["=1+1", -3, 2.5, "plain", "@me"]) == ["'=1+1", -3, 2.5, "plain", "'@me"]
