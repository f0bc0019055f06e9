"""The kept signal rows of single requesters: computed once, read-only, and bounded in
bytes with the least recently asked going first. (That they change no answer, and go on
only to an index of the same arrays: tests/engine/test_index_files.py.)"""

from __future__ import annotations

import numpy as np
import pytest

from matchmaker.matching.kept_signals import KeptSignals


def row(value: float) -> np.ndarray:
    return np.full(100, value)  # 800 bytes


def test_a_row_is_computed_once_and_cannot_be_written() -> None:
    kept = KeptSignals(budget_bytes=10_000)
    computed: list[int] = []

    def compute() -> np.ndarray:
        computed.append(1)
        return row(0.5)

    first = kept.get(7, "network", compute)
    again = kept.get(7, "network", compute)
    assert again is first and computed == [1]
    assert kept.get(7, "answers_my_needs", lambda: row(0.1))[0] == 0.1  # another signal
    with pytest.raises(ValueError, match="read-only"):
        first[0] = 1.0


def test_the_least_recently_asked_go_first_once_the_budget_is_full() -> None:
    kept = KeptSignals(budget_bytes=2_500)  # three rows of 800 bytes
    for requester in (1, 2, 3):
        kept.get(requester, "network", lambda requester=requester: row(requester))
    kept.get(1, "network", lambda: row(-1))  # asked again: now the most recent
    kept.get(4, "network", lambda: row(4))  # over the budget: 2 goes
    assert len(kept) == 3 and kept.held_bytes == 2_400
    assert kept.get(1, "network", lambda: row(-1))[0] == 1  # still the kept row
    assert kept.get(2, "network", lambda: row(-2))[0] == -2  # computed again
