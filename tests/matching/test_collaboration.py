"""The sparse link signals equal networkx's own functions on random graphs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matchmaker.matching.collaboration import CollaborationGraph
from matchmaker.matching.network import Project

edge_lists = st.integers(min_value=1, max_value=14).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1]),
            max_size=40,
        ),
    )
)


def graph_pair(n: int, edges: list[tuple[int, int]]) -> tuple[nx.Graph, CollaborationGraph]:
    ids = [100 + k for k in range(n)]  # ids differ from positions on purpose
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_edges_from((ids[a], ids[b]) for a, b in edges)
    # Each edge is a two-member project; the projection is the graph itself.
    projects = [Project(id=k, members=(ids[a], ids[b])) for k, (a, b) in enumerate(edges)]
    return graph, CollaborationGraph(ids, projects)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("adamic_adar", nx.adamic_adar_index),
        ("jaccard", nx.jaccard_coefficient),
        ("resource_allocation", nx.resource_allocation_index),
    ],
)
@given(edge_lists)
def test_link_indices_equal_networkx(ours, theirs, instance):
    n, edges = instance
    graph, collaboration = graph_pair(n, edges)
    for i, u in enumerate(collaboration.ids):
        row = getattr(collaboration, ours)(i)
        pairs = [(int(u), int(v)) for v in collaboration.ids if v != u]
        expected = {v: value for _, v, value in theirs(graph, pairs)}
        for j, v in enumerate(collaboration.ids):
            if v != u:
                assert row[j] == pytest.approx(expected[int(v)], abs=1e-12)
        assert row[i] == 0.0


@given(edge_lists)
def test_common_neighbours_and_degree_equal_networkx(instance):
    n, edges = instance
    graph, collaboration = graph_pair(n, edges)
    position = {int(u): k for k, u in enumerate(collaboration.ids)}
    for i, u in enumerate(collaboration.ids):
        assert collaboration.degree[i] == graph.degree(int(u))
        row = collaboration.common_neighbours(i)
        for j, v in enumerate(collaboration.ids):
            if v != u:
                common = list(nx.common_neighbors(graph, int(u), int(v)))
                assert row[j] == len(common)
                positions = sorted(position[w] for w in common)
                assert collaboration.common_neighbour_positions(i, j) == positions


def test_shared_projects_count_every_project_a_pair_was_in_together():
    projects = [
        Project(id=1, members=(1, 2, 3)),
        Project(id=2, members=(1, 2)),
        Project(id=3, members=(3, 4, 99)),  # 99 is not in the network: ignored
    ]
    collaboration = CollaborationGraph([1, 2, 3, 4], projects)
    assert collaboration.shared_with(0).tolist() == [0, 2, 1, 0]
    assert collaboration.shared_with(3).tolist() == [0, 0, 1, 0]
    assert collaboration.common_neighbour_positions(0, 3) == [2]


def test_an_empty_network_has_no_signals():
    collaboration = CollaborationGraph([], [])
    assert len(collaboration) == 0
    lonely = CollaborationGraph([7], [])
    assert lonely.adamic_adar(0).tolist() == [0.0]
    assert np.all(lonely.jaccard(0) == 0)
