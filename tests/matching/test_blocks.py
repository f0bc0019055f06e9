"""A refresh scores blocks of requesters at once (dense BLAS for the common terms, 2-D
scoring, a vectorised top-k, forked workers): it must give what one query at a time gives."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.matching import ranking as suggest_module
from matchmaker.matching import text as text_module
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.ranking import suggest, top_for_all
from matchmaker.matching.signals import score_candidates

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from synthetic_network import synthetic_network

K = ExchangeKind
QUERIES = [
    MatchQuery(K.SHADOWING, limit=5),
    MatchQuery(K.HOT_DESKING, limit=5),
    MatchQuery(K.RESIDENCY, starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 31), limit=5),
    MatchQuery(K.PROJECT_PARTNERS, limit=5),
    MatchQuery(K.SHADOWING, languages=frozenset({"en"}), max_distance_km=1500, limit=4),
    MatchQuery(K.PROJECT_PARTNERS, countries=frozenset({"DE", "FR", "IT"}), limit=3),
]


@pytest.mark.parametrize("share", [0.0, 0.004, 1e9], ids=["all dense", "default", "all sparse"])
def test_block_product_equals_the_sparse_product(monkeypatch, share):
    monkeypatch.setattr(text_module, "DENSE_TERM_SHARE", share)
    text = MatchIndex(synthetic_network(120, seed=5)).text
    rows = np.arange(0, 120, 3)
    for left, right_t in (
        (text.need_profile, text.offer_profile_t),
        (text.offer_profile, text.need_profile_t),
    ):
        product = text_module.BlockProduct(left, right_t)
        assert (len(product.terms) == 0) == (share > 1)
        expected = (left[rows] @ right_t).toarray()
        np.testing.assert_allclose(product(rows), expected, rtol=0, atol=1e-6)


def test_the_dense_terms_stay_within_their_memory_budget(monkeypatch):
    monkeypatch.setattr(text_module, "DENSE_TERM_SHARE", 0.0)
    monkeypatch.setattr(text_module, "DENSE_CELLS", 120 * 7)
    text = MatchIndex(synthetic_network(120, seed=5)).text
    text.prepare_blocks(both=True)
    assert all(product.dense.shape == (7, 120) for product in text._blocks.values())


def assert_same_top(block: list[tuple[int, float]], one: list[tuple[int, float]]) -> None:
    """Equal ids and scores; where scores tie within float32 noise, either order."""
    assert [s for _, s in block] == pytest.approx([s for _, s in one], abs=1e-6)
    for (a, x), (b, y) in zip(block, one, strict=True):
        assert a == b or abs(x - y) < 1e-6


@settings(max_examples=6, deadline=None)
@given(hubs=st.integers(2, 70), seed=st.integers(0, 10_000))
def test_top_for_all_equals_one_query_at_a_time(hubs, seed):
    index = MatchIndex(synthetic_network(hubs, seed=seed))
    for query in QUERIES:
        top = top_for_all(index, query, workers=1)
        assert set(top) == {int(i) for i in index.ids}
        for hub, block in top.items():
            scored = score_candidates(index, index.position[hub], query).score
            one = [s.organisation.id for s in suggest(index, hub, query).items]
            assert_same_top(block, [(i, float(scored[index.position[i]])) for i in one])


def test_forked_workers_give_what_one_process_gives(monkeypatch):
    monkeypatch.setattr(suggest_module, "PARALLEL_FROM", 0)
    monkeypatch.setattr(suggest_module, "BLOCK_CELLS", 90 * 7)  # several blocks of 7 rows
    index = MatchIndex(synthetic_network(90, seed=11))
    for query in QUERIES[:4]:
        assert top_for_all(index, query, workers=2) == top_for_all(index, query, workers=1)


def test_some_requesters_get_exactly_their_part_of_everyones_tops(monkeypatch):
    monkeypatch.setattr(suggest_module, "PARALLEL_FROM", 0)
    monkeypatch.setattr(suggest_module, "BLOCK_CELLS", 90 * 7)
    index = MatchIndex(synthetic_network(90, seed=4))
    some = [int(i) for i in index.ids[::9]] + [10**9]  # an unknown id is passed over
    for query in QUERIES[:4]:
        everyone = top_for_all(index, query, workers=1)
        for workers in (1, 2):
            part = top_for_all(index, query, workers=workers, requesters=some)
            assert part == {hub: everyone[hub] for hub in some[:-1]}


def test_adamic_adar_rows_equal_one_row_at_a_time():
    collaboration = MatchIndex(synthetic_network(80, seed=2)).collaboration
    rows = np.array([0, 5, 17, 42, 79])
    block = collaboration.adamic_adar_rows(rows).toarray()
    for i, row in enumerate(rows):
        np.testing.assert_allclose(block[i], collaboration.adamic_adar(int(row)), atol=1e-12)
        assert block[i, row] == 0.0


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 30),
    st.integers(1, 40),
    st.integers(0, 2**32 - 1),
    st.lists(st.integers(0, 29), max_size=6),
    st.lists(st.integers(0, 29), max_size=12),
)
def test_row_products_equal_scipys_product(rows, columns, seed, left, right):
    """`_row_products` (explanations' needs against services) against scipy itself, on
    random matrices with empty rows, unsorted columns and rows asked for twice."""
    from scipy import sparse

    generator = np.random.default_rng(seed)
    dense = generator.random((rows, columns)) * (generator.random((rows, columns)) < 0.3)
    matrix = sparse.csr_matrix(dense.astype(np.float32))
    order = generator.permutation(matrix.nnz)  # columns need not be sorted within a row
    for row in range(rows):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        part = order[(order >= start) & (order < end)]
        matrix.indices[start:end], matrix.data[start:end] = (
            matrix.indices[part].copy(),
            matrix.data[part].copy(),
        )
    left_rows = np.array([r % rows for r in left], dtype=np.int64)
    right_rows = np.array([r % rows for r in right], dtype=np.int64)
    expected = (matrix[left_rows] @ matrix[right_rows].T).toarray()
    found = text_module._row_products(matrix, left_rows, matrix, right_rows)
    assert found.shape == (len(left_rows), len(right_rows))
    assert np.allclose(found, expected, atol=1e-6)


def test_row_products_of_rows_without_terms_are_zero():
    from scipy import sparse

    matrix = sparse.csr_matrix(np.array([[0, 0, 0], [1.0, 0, 2.0]], dtype=np.float32))
    for left, right in (([0], [1]), ([0, 0], [1, 0]), ([1], []), ([], [1])):
        found = text_module._row_products(matrix, np.array(left, int), matrix, np.array(right, int))
        assert found.shape == (len(left), len(right)) and not found.any()
    both = text_module._row_products(matrix, np.array([1, 0]), matrix, np.array([1]))
    assert both.tolist() == [[5.0], [0.0]]
