"""What hubs offer and need, as TF-IDF vectors fitted on the network's own texts.

Each service and need is one row; a hub's offer and need profiles are the L2-normalised,
priority-weighted sums of its rows, so "how well do their services answer my needs" for
one hub against all others is one sparse row product. Identical texts (common in
templates and imports) are vectorised once. Blocks of many rows (a refresh of everyone)
take the terms most rows meet through a dense BLAS product instead (`BlockProduct`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from matchmaker.matching.network import Entry, Organisation

if TYPE_CHECKING:  # scikit-learn is imported where an index is built, not where one is read
    from sklearn.feature_extraction.text import TfidfVectorizer

# In a block product a term goes dense when, on average, a row meets more than this share
# of all organisations through it: then one BLAS product beats the sparse product's
# scattered additions (measured: 1.0 → 0.22 ms a row at 10,000 hubs).
DENSE_TERM_SHARE = 0.004
# At most this many float32 cells of dense terms (200 MB), whatever the network's size.
DENSE_CELLS = 50_000_000


def _vectoriser() -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

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
    from sklearn.preprocessing import normalize

    if matrix.shape[0] == 0 or matrix.shape[1] == 0:
        return matrix.astype(np.float32).tocsr()
    return normalize(matrix, norm=norm).astype(np.float32).tocsr()


class BlockProduct:
    """`left[rows] @ right_t` for a block of rows as a dense array, exactly as the sparse
    product (up to float32 rounding): the heavy terms are one BLAS product against their
    dense rows of `right_t`, the others stay sparse. Built for refreshes; costs
    `len(terms) × organisations` floats."""

    def __init__(self, left: sparse.csr_matrix, right_t: sparse.csr_matrix) -> None:
        size = right_t.shape[1]
        reach = np.diff(right_t.indptr)  # organisations per term
        share = np.bincount(left.indices, minlength=right_t.shape[0]) / max(1, left.shape[0])
        cost = share * reach  # multiply-adds a row costs through each term, sparse
        heaviest = np.argsort(-cost, kind="stable")[: DENSE_CELLS // max(1, size)]
        self.terms = np.sort(heaviest[cost[heaviest] > DENSE_TERM_SHARE * size])
        self.left = left
        self.dense = right_t[self.terms].toarray()
        light = np.ones(right_t.shape[0], dtype=np.float32)
        light[self.terms] = 0.0
        self.sparse = (sparse.diags(light) @ right_t).tocsr()
        self.sparse.eliminate_zeros()

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        block = self.left[rows]
        product = (block @ self.sparse).toarray()
        if len(self.terms):
            product += block[:, self.terms].toarray() @ self.dense
        return product


class EntryRows:
    """One kind of entry (services or needs): whose they are, and which of the distinct
    texts' TF-IDF rows each has (identical texts share one row)."""

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
        self.text_row = np.zeros(len(self.entries), dtype=np.int64)  # into `texts`
        self.texts: sparse.csr_matrix = sparse.csr_matrix((0, 1), dtype=np.float32)

    def of(self, position: int) -> range:
        return range(int(self.start[position]), int(self.start[position + 1]))

    def __getstate__(self) -> dict[str, object]:
        """Without `entries`: only building reads them (queries go by position), and in
        an index file they would be tens of thousands of references to write and read."""
        return {name: value for name, value in self.__dict__.items() if name != "entries"}

    def summed(self, weights: np.ndarray, size: int) -> sparse.csr_matrix:
        """Organisations × terms: the weighted sum of each organisation's rows. Built on
        the shared rows directly (an entry a column, duplicates kept), so no per-entry
        copy of the matrix is ever made."""
        membership = sparse.csr_matrix(
            (weights.astype(np.float32), self.text_row, self.start),
            shape=(size, self.texts.shape[0]),
        )
        return (membership @ self.texts).tocsr()


def _distinct_texts(*kinds: EntryRows) -> list[str]:
    """Every distinct text once, sorted; sets each entry's `text_row`. Streams the entries
    through a dict, so the full list of texts (millions at scale) never exists."""
    first_seen: dict[str, int] = {}
    for rows in kinds:
        rows.text_row = np.fromiter(
            (first_seen.setdefault(e.text, len(first_seen)) for e in rows.entries),
            dtype=np.int64,
            count=len(rows.entries),
        )
    texts = sorted(first_seen)
    rank = np.fromiter((first_seen[t] for t in texts), dtype=np.int64, count=len(texts))
    sorted_row = np.empty(len(texts), dtype=np.int64)
    sorted_row[rank] = np.arange(len(texts))
    for rows in kinds:
        rows.text_row = sorted_row[rows.text_row]
    return texts


def _rows_after(previous: TextModel, *kinds: EntryRows) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """The previous model's TF-IDF rows, and rows for texts it has not seen, vectorised
    with its vocabulary and weights; sets each entry's `text_row`. Rows of texts nobody
    uses any more stay until the next fit (`aged_share` counts them). Also returns the
    row of each text in use."""
    known = previous.row_of_text or {}
    fresh: dict[str, int] = {}
    used: dict[str, int] = {}
    base = previous.services.texts.shape[0]

    def row_of(text: str) -> int:
        row = known.get(text)
        if row is None:
            row = fresh.setdefault(text, base + len(fresh))
        used[text] = row
        return row

    for rows in kinds:
        rows.text_row = np.fromiter(
            (row_of(e.text) for e in rows.entries), dtype=np.int64, count=len(rows.entries)
        )
    if not fresh:
        return previous.services.texts, used
    assert previous.vectoriser is not None
    added = previous.vectoriser.transform(list(fresh)).astype(np.float32)
    matrix = sparse.vstack([previous.services.texts, added], format="csr", dtype=np.float32)
    return matrix, used


class TextModel:
    """TF-IDF rows for every distinct service and need text, and per-organisation
    profiles.

    Given the `previous` model, texts it has seen keep their rows and new ones are
    vectorised with its fitted vocabulary: a hub's edit costs its own texts, not a refit
    of everyone's. The vocabulary then ages (terms first seen since are not weighed), so
    the index builder fits anew from time to time. The fitted vectoriser and the text →
    row map are kept for that only and never pickled (the web workers do not need them)."""

    def __init__(
        self,
        organisations: Sequence[Organisation],
        categories: Sequence[str],
        previous: TextModel | None = None,
    ) -> None:
        self.services = EntryRows(organisations, "services")
        self.needs = EntryRows(organisations, "needs")
        # One spare column keeps the matrices well-formed when nobody lists anything.
        self.category_position = {slug: i for i, slug in enumerate(categories or [""])}
        size = len(organisations)
        self.vectoriser: TfidfVectorizer | None = None
        self.fitted_rows: int = 0
        self.row_of_text: dict[str, int] | None = None
        if previous is not None and previous.vectoriser is not None and previous.row_of_text:
            matrix, self.row_of_text = _rows_after(previous, self.services, self.needs)
            self.vectoriser = previous.vectoriser
            self.fitted_rows = previous.fitted_rows
        else:
            texts = _distinct_texts(self.services, self.needs)
            matrix = sparse.csr_matrix((len(texts), 1), dtype=np.float32)
            if texts:
                # Only stop words means no vocabulary at all: keep the one empty column.
                with contextlib.suppress(ValueError):
                    vectoriser = _vectoriser()
                    matrix = vectoriser.fit_transform(texts).tocsr()
                    self.vectoriser = vectoriser
            self.fitted_rows = len(texts)
            self.row_of_text = {text: row for row, text in enumerate(texts)}
            del texts
        self.services.texts = self.needs.texts = matrix
        self.vocabulary_size: int = matrix.shape[1]
        need_weights = np.array([e.priority.weight for e in self.needs.entries], dtype=np.float32)
        self.offer_profile = _normalised(
            self.services.summed(np.ones(len(self.services.entries)), size), "l2"
        )
        self.need_profile = _normalised(self.needs.summed(need_weights, size), "l2")
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
        self._blocks: dict[bool, BlockProduct] = {}

    @property
    def aged_share(self) -> float:
        """The share of TF-IDF rows that no entry uses any more or that were vectorised
        after the fit: when it grows, a fit anew is due."""
        total = int(self.services.texts.shape[0])
        used = len(self.row_of_text) if self.row_of_text is not None else total
        return ((total - used) + (total - self.fitted_rows)) / max(1, total)

    def __getstate__(self) -> dict[str, object]:
        """Pickled for the web workers: what queries read, not what the builder keeps for
        the next update, nor block products (built where a refresh needs them)."""
        state = dict(self.__dict__)
        state.update(vectoriser=None, row_of_text=None, _blocks={})
        return state

    def prepare_blocks(self, *, both: bool) -> None:
        """Build the block products (one direction, or `both`) before a refresh forks its
        workers, so they share them instead of building one each."""
        for offers_first in (False, True) if both else (False,):
            self._block_product(offers_first)

    def _block_product(self, offers_first: bool) -> BlockProduct:
        if offers_first not in self._blocks:
            self._blocks[offers_first] = (
                BlockProduct(self.offer_profile, self.need_profile_t)
                if offers_first
                else BlockProduct(self.need_profile, self.offer_profile_t)
            )
        return self._blocks[offers_first]

    def _text(self, rows: np.ndarray, *, offers_first: bool) -> np.ndarray:
        """Profile similarity of each of `rows` to every organisation: one sparse row
        product for a query, a `BlockProduct` for a block."""
        if len(rows) > 1:
            return self._block_product(offers_first)(rows)
        left, right_t = (
            (self.offer_profile, self.need_profile_t)
            if offers_first
            else (self.need_profile, self.offer_profile_t)
        )
        return (left[rows] @ right_t).toarray()

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
        return self._answers(needers, offers_first=False)

    def answering_all(self, offerers: np.ndarray) -> np.ndarray:
        """How well the services of each of `offerers` (rows) answer every organisation's
        needs."""
        return self._answers(offerers, offers_first=True)

    def _answers(self, rows: np.ndarray, *, offers_first: bool) -> np.ndarray:
        text = self._text(rows, offers_first=offers_first)
        mine, theirs = (
            (self.offer_categories_dense, self.need_categories_dense)
            if offers_first
            else (self.need_categories_dense, self.offer_categories_dense)
        )
        categories = mine[rows] @ theirs.T
        # 0.5 × text + 0.5 × categories, clipped, in place: blocks are millions of cells.
        text *= 0.5
        categories *= 0.5
        text += categories
        return np.clip(text, 0.0, 1.0, out=text)

    def needs_against_services(self, needer: int, offerers: Sequence[int]) -> list[np.ndarray]:
        """Cosine similarity of one organisation's needs (rows) to each offerer's services
        (columns), in one gathered product for all offerers."""
        return self._block(self.needs, [needer], self.services, offerers, rows_first=True)

    def services_against_needs(self, offerer: int, needers: Sequence[int]) -> list[np.ndarray]:
        """Each needer's needs (rows) against one organisation's services (columns)."""
        return self._block(self.services, [offerer], self.needs, needers, rows_first=False)

    @staticmethod
    def _block(
        one: EntryRows,
        owner: list[int],
        many: EntryRows,
        owners: Sequence[int],
        *,
        rows_first: bool,
    ) -> list[np.ndarray]:
        mine = one.of(owner[0])
        spans = [many.of(p) for p in owners]
        gathered = np.concatenate([np.arange(s.start, s.stop) for s in spans] or [np.zeros(0, int)])
        product = _row_products(
            one.texts, one.text_row[mine.start : mine.stop], many.texts, many.text_row[gathered]
        )
        blocks, at = [], 0
        for span in spans:
            block = product[:, at : at + len(span)]
            blocks.append(block if rows_first else block.T)
            at += len(span)
        return blocks


def _row_products(
    left: sparse.csr_matrix, left_rows: np.ndarray, right: sparse.csr_matrix, right_rows: np.ndarray
) -> np.ndarray:
    """`left[left_rows] @ right[right_rows].T` as a dense array, for a few rows a side (a
    hub's needs against its candidates' services): gathered from the CSR arrays with a
    dozen array operations, where scipy's row indexing and product cost ten times more
    in their own checks at this size."""
    product = np.zeros((len(left_rows), len(right_rows)))
    left_columns, left_values, left_owner = _entries(left, left_rows)
    terms, at = np.unique(left_columns, return_inverse=True)
    if not len(terms) or not len(right_rows):
        return product  # no terms on the left (or nobody on the right): nothing in common
    right_columns, right_values, right_owner = _entries(right, right_rows)
    mine = np.zeros((len(left_rows), len(terms)))
    np.add.at(mine, (left_owner, at), left_values)
    where = np.minimum(np.searchsorted(terms, right_columns), len(terms) - 1)
    shared = terms[where] == right_columns
    weighted = mine[:, where[shared]] * right_values[shared]  # rows × shared entries
    for row in range(len(left_rows)):
        product[row] = np.bincount(
            right_owner[shared], weights=weighted[row], minlength=len(right_rows)
        )
    return product


def _entries(matrix: sparse.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """The columns, values and row number (0.. in `rows`) of every stored entry of `rows`."""
    starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    first = np.cumsum(lengths) - lengths
    take = np.repeat(starts - first, lengths) + np.arange(total)
    owner = np.repeat(np.arange(len(rows)), lengths)
    return matrix.indices[take], matrix.data[take].astype(np.float64), owner
