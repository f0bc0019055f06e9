"""Availability overlaps against every organisation at once, checked against a plain loop
over each organisation's windows (an independent oracle), on random windows and periods."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from matchmaker.matching.kinds import AvailabilityKind
from matchmaker.matching.network import Window
from matchmaker.matching.places import WindowTable
from tests.support.engine_builders import org

DESKS = AvailabilityKind.DESKS
DAY0 = date(2027, 1, 1)


def span(first: int, length: int) -> tuple[date, date]:
    return DAY0 + timedelta(days=first), DAY0 + timedelta(days=first + length)


spans = st.tuples(st.integers(0, 120), st.integers(0, 40)).map(lambda s: span(*s))
kinds = st.sampled_from([DESKS, AvailabilityKind.RESIDENCY])


@given(
    windows=st.lists(st.lists(st.tuples(spans, kinds), max_size=5), max_size=12),
    periods=st.lists(spans, max_size=4),
)
def test_best_overlap_equals_a_loop_over_each_organisations_windows(windows, periods):
    organisations = [
        org(n + 1, windows=tuple(Window(kind, a, b, 1) for (a, b), kind in own))
        for n, own in enumerate(windows)
    ]
    table = WindowTable(organisations, DESKS)
    best, which = table.best_overlap(periods)
    for position, organisation in enumerate(organisations):
        overlaps = [
            w.overlap_days(a, b) for w in organisation.windows_of(DESKS) for a, b in periods
        ]
        expected = max(overlaps, default=0)
        assert best[position] == expected
        if expected == 0:
            assert which[position] == -1
        else:
            window = table.window(which[position])
            assert table.owner[which[position]] == position
            assert max(window.overlap_days(a, b) for a, b in periods) == expected
