"""The sparse index scores exactly as the slow pair-by-pair reference that walks the
networkx graph and calls networkx's own Adamic–Adar: same eligible candidates, same
scores, for every kind, with and without filters."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.matching.graph import build_graph, collaboration_graph
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.offline.reference import reference_scores
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.signals import score_candidates

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from synthetic_network import synthetic_network

QUERIES = [
    MatchQuery(ExchangeKind.SHADOWING),
    MatchQuery(ExchangeKind.HOT_DESKING),
    MatchQuery(ExchangeKind.RESIDENCY, starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 31)),
    MatchQuery(ExchangeKind.PROJECT_PARTNERS),
    MatchQuery(ExchangeKind.SHADOWING, languages=frozenset({"en"}), max_distance_km=1500),
    MatchQuery(ExchangeKind.PROJECT_PARTNERS, countries=frozenset({"DE", "FR", "IT"})),
    MatchQuery(ExchangeKind.RESIDENCY, disciplines=frozenset({"design", "crafts"})),
]


@settings(max_examples=12)
@given(hubs=st.integers(2, 60), seed=st.integers(0, 10_000), data=st.data())
def test_index_scores_equal_the_pair_by_pair_reference(hubs, seed, data):
    network = synthetic_network(hubs, seed=seed)
    index = MatchIndex(network)
    graph = build_graph(network)
    collaboration = collaboration_graph(graph)
    requester = data.draw(st.sampled_from([o.id for o in network.organisations]))
    shown = data.draw(
        st.dictionaries(
            st.sampled_from([o.id for o in network.organisations]), st.integers(1, 5), max_size=3
        )
    )
    for query in QUERIES:
        expected = reference_scores(index, graph, collaboration, requester, query, shown)
        scored = score_candidates(index, index.position[requester], query, shown)
        ours = {int(index.ids[p]): float(scored.score[p]) for p in np.flatnonzero(scored.eligible)}
        assert ours.keys() == expected.keys(), query
        for candidate, score in ours.items():
            assert score == pytest.approx(expected[candidate], abs=1e-6)
