"""Availability overlaps against every organisation at once, checked against a plain loop
over each organisation's windows (an independent oracle), on random windows and periods;
distances against the haversine formula, pair by pair."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from matchmaker.matching.kinds import AvailabilityKind
from matchmaker.matching.network import Window
from matchmaker.matching.places import EARTH_RADIUS_KM, WindowTable, distances_km, unit_vectors
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


def haversine_km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float:
    if a is None or b is None:
        return math.nan
    (lat1, lon1), (lat2, lon2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


places = st.one_of(
    st.none(),
    st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
    st.sampled_from([(0.0, 0.0), (0.0, 180.0), (90.0, 0.0), (-90.0, 0.0), (48.85, 2.35)]),
)


@given(points=st.lists(places, min_size=1, max_size=12), data=st.data())
def test_distances_equal_the_haversine_of_each_pair(points, data):
    """From one place (a vector) and from several (a row each), antipodes and poles too."""
    latitudes = np.array([math.nan if p is None else p[0] for p in points])
    longitudes = np.array([math.nan if p is None else p[1] for p in points])
    vectors = unit_vectors(latitudes, longitudes)
    rows = data.draw(st.lists(st.integers(0, len(points) - 1), min_size=1, max_size=4))
    block = distances_km(vectors, np.array(rows))
    for n, row in enumerate(rows):
        expected = np.array([haversine_km(points[row], other) for other in points])
        np.testing.assert_allclose(distances_km(vectors, row), expected, rtol=1e-9, atol=1e-3)
        np.testing.assert_allclose(block[n], expected, rtol=1e-9, atol=1e-3)
