"""What hubs offer and need, as TF-IDF vectors fitted on the network's own texts.

Each service and need is one row; a hub's offer and need profiles are the L2-normalised,
priority-weighted sums of its rows, so "how well do their services answer my needs" for
one hub against all others is one sparse row product. Identical texts (common in
templates and imports) are vectorised once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matchmaker.matching.network import Entry, Organisation


def _vectoriser() -> TfidfVectorizer:
    return TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        ngram_range=(1, 2),
        min_df=1,
        max_features=200_000,
        dtype=np.float32,
    )


def _normalised(matrix: sparse.csr_matrix, norm: str) -> sparse.csr_matrix:
    """Rows scaled to unit norm; empty rows (and empty matrices) stay as they are."""
    if matrix.shape[0] == 0 or matrix.shape[1] == 0:
        return matrix.astype(np.float32).tocsr()
    return normalize(matrix, norm=norm).astype(np.float32).tocsr()


class EntryRows:
    """The TF-IDF rows of one kind of entry (services or needs) and whose they are."""

    def __init__(self, organisations: Sequence[Organisation], attribute: str) -> None:
        self.entries: list[Entry] = []
        owners: list[int] = []
        for position, organisation in enumerate(organisations):
            entries = getattr(organisation, attribute)
            self.entries.extend(entries)
            owners.extend([position] * len(entries))
        self.owner = np.asarray(owners, dtype=np.int64)
        # Rows of each organisation are contiguous: organisation p owns start[p]:start[p+1].
        counts = np.bincount(self.owner, minlength=len(organisations))
        self.start = np.concatenate(([0], np.cumsum(counts)))
        self.matrix: sparse.csr_matrix = sparse.csr_matrix((len(self.entries), 0))

    def of(self, position: int) -> range:
        return range(int(self.start[position]), int(self.start[position + 1]))


class TextModel:
    """TF-IDF rows for every service and need, and per-organisation profiles."""

    def __init__(self, organisations: Sequence[Organisation], categories: Sequence[str]) -> None:
        self.services = EntryRows(organisations, "services")
        self.needs = EntryRows(organisations, "needs")
        # One spare column keeps the matrices well-formed when nobody lists anything.
        self.category_position = {slug: i for i, slug in enumerate(categories or [""])}
        texts = [e.text for e in self.services.entries] + [e.text for e in self.needs.entries]
        size = len(organisations)
        if texts:
            unique, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
            vectoriser = _vectoriser()
            try:
                unique_rows = vectoriser.fit_transform(unique.tolist()).tocsr()
            except ValueError:  # only stop words: no vocabulary at all
                unique_rows = sparse.csr_matrix((len(unique), 1), dtype=np.float32)
            rows = unique_rows[inverse.ravel()]
            split = len(self.services.entries)
            self.services.matrix = rows[:split].tocsr()
            self.needs.matrix = rows[split:].tocsr()
            self.vocabulary_size = rows.shape[1]
        else:
            self.vocabulary_size = 1
            self.services.matrix = sparse.csr_matrix((0, 1), dtype=np.float32)
            self.needs.matrix = sparse.csr_matrix((0, 1), dtype=np.float32)
        need_weights = np.array([e.priority.weight for e in self.needs.entries], dtype=np.float32)
        self.offer_profile = self._profile(self.services, np.ones(len(self.services.entries)), size)
        self.need_profile = self._profile(self.needs, need_weights, size)
        self.offer_categories = self._categories(self.services, None, size, binary=True)
        need_categories = self._categories(self.needs, need_weights, size, binary=False)
        # Each hub's need weight spread over categories, summing to 1 per hub.
        self.need_categories = _normalised(need_categories, "l1")
        # Transposed once here, so a query is a row times a ready CSR matrix.
        self.offer_profile_t = self.offer_profile.T.tocsr()
        # Few categories: dense, so the category half of a block is one BLAS product.
        self.offer_categories_dense = self.offer_categories.toarray()
        self.need_categories_dense = self.need_categories.toarray()
        self.need_profile_t = self.need_profile.T.tocsr()

    @staticmethod
    def _membership(rows: EntryRows, weights: np.ndarray, size: int) -> sparse.csr_matrix:
        return sparse.csr_matrix(
            (weights.astype(np.float32), (rows.owner, np.arange(len(rows.entries)))),
            shape=(size, len(rows.entries)),
        )

    def _profile(self, rows: EntryRows, weights: np.ndarray, size: int) -> sparse.csr_matrix:
        summed = (self._membership(rows, weights, size) @ rows.matrix).tocsr()
        return _normalised(summed, "l2")

    def _categories(
        self, rows: EntryRows, weights: np.ndarray | None, size: int, *, binary: bool
    ) -> sparse.csr_matrix:
        columns = [self.category_position.get(e.category, -1) for e in rows.entries]
        keep = np.asarray(columns) >= 0
        values = np.ones(len(columns)) if weights is None else weights
        matrix = sparse.csr_matrix(
            (values[keep], (rows.owner[keep], np.asarray(columns, dtype=np.int64)[keep])),
            shape=(size, len(self.category_position)),
            dtype=np.float32,
        )
        if binary:
            matrix.data[:] = 1.0
            matrix.sum_duplicates()
            matrix.data[:] = 1.0
        return matrix

    def answered_by_all(self, needers: np.ndarray) -> np.ndarray:
        """How well every organisation's services answer the needs of each of `needers`
        (rows), in [0, 1]: half text similarity, half the share of need weight in
        categories they offer."""
        text = (self.need_profile[needers] @ self.offer_profile_t).toarray()
        categories = self.need_categories_dense[needers] @ self.offer_categories_dense.T
        return np.clip(0.5 * text + 0.5 * categories, 0.0, 1.0)

    def answering_all(self, offerers: np.ndarray) -> np.ndarray:
        """How well the services of each of `offerers` (rows) answer every organisation's
        needs."""
        text = (self.offer_profile[offerers] @ self.need_profile_t).toarray()
        categories = self.offer_categories_dense[offerers] @ self.need_categories_dense.T
        return np.clip(0.5 * text + 0.5 * categories, 0.0, 1.0)

    def needs_against_services(self, needer: int, offerers: Sequence[int]) -> list[np.ndarray]:
        """Cosine similarity of one organisation's needs (rows) to each offerer's services
        (columns), in one gathered product for all offerers."""
        return self._block(self.needs, [needer], self.services, offerers, rows_first=True)

    def services_against_needs(self, offerer: int, needers: Sequence[int]) -> list[np.ndarray]:
        """Each needer's needs (rows) against one organisation's services (columns)."""
        return self._block(self.services, [offerer], self.needs, needers, rows_first=False)

    @staticmethod
    def _block(one: EntryRows, owner: list[int], many: EntryRows, owners: Sequence[int], *,
               rows_first: bool) -> list[np.ndarray]:  # fmt: skip
        mine = one.of(owner[0])
        spans = [many.of(p) for p in owners]
        gathered = np.concatenate([np.arange(s.start, s.stop) for s in spans] or [np.zeros(0, int)])
        product = (one.matrix[mine.start : mine.stop] @ many.matrix[gathered].T).toarray()
        blocks, at = [], 0
        for span in spans:
            block = product[:, at : at + len(span)]
            blocks.append(block if rows_first else block.T)
            at += len(span)
        return blocks
