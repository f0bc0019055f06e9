"""Held-out evaluation of partner recommendation, and the fitting of its weights.

The protocol (used by `scripts/evaluate_partners.py`): history is every project that
started before a split year; each later project whose coordinator has history is a query
"who should this coordinator invite, for this programme part?", answered from history
only, and its truth is its other members that have history. Fitting the weights replays
the same protocol inside the history (an earlier split), so nothing after the history
is ever seen.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from matchmaker.matching.network import Organisation, Project
from matchmaker.matching.partners import SIGNALS, PartnerRecommender, checked_weights

K = 10
# The candidates a fit learns from: for each query, the best `POOL` by each of these.
POOL_SIGNALS = (
    "collaboration",
    "partners_of_partners",
    "partners_of_partners_in_part",
    "part_reach",
)
POOL = 100


@dataclass(frozen=True)
class HeldOut:
    """One later project as a question: its coordinator, its part, who really joined."""

    project: int
    requester: int
    part: str | None
    truth: frozenset[int]


def query_part(project: Project) -> str | None:
    """The rule for projects in several parts (about one in six): the first in sorted
    order, the same for every recommender and baseline."""
    return min(project.parts, default=None)


def held_out(
    projects: Iterable[Project], *, split_year: int, end_year: int | None = None
) -> list[HeldOut]:
    """Queries from projects starting in [split_year, end_year) whose coordinator has
    history (a project started before split_year) and with at least one other member
    with history; in project id order."""
    projects = list(projects)
    history = {
        m
        for p in projects
        if p.start_year is not None and p.start_year < split_year
        for m in p.members
    }
    queries = []
    for p in sorted(projects, key=lambda p: p.id):
        year = p.start_year
        if year is None or year < split_year or (end_year is not None and year >= end_year):
            continue
        if p.coordinator is None or p.coordinator not in history:
            continue
        truth = frozenset(m for m in p.members if m in history and m != p.coordinator)
        if truth:
            queries.append(HeldOut(p.id, p.coordinator, query_part(p), truth))
    return queries


def recall_at_k(ranked: Sequence[int], truth: Collection[int], k: int = K) -> float:
    return len(set(ranked[:k]) & set(truth)) / len(truth) if truth else 0.0


def ndcg_at_k(ranked: Sequence[int], truth: Collection[int], k: int = K) -> float:
    """Binary relevance; the ideal ranking puts min(|truth|, k) relevant ones first."""
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    gains = sum(discounts[r] for r, c in enumerate(ranked[:k]) if c in truth)
    ideal = discounts[: min(len(truth), k)].sum()
    return float(gains / ideal) if ideal else 0.0


Ranker = Callable[[HeldOut], Sequence[int]]


def evaluate(ranker: Ranker, queries: Sequence[HeldOut], k: int = K) -> dict[str, float]:
    recalls, gains = [], []
    for query in queries:
        ranked = ranker(query)
        recalls.append(recall_at_k(ranked, query.truth, k))
        gains.append(ndcg_at_k(ranked, query.truth, k))
    return {
        f"recall_at_{k}": round(float(np.mean(recalls)), 4) if recalls else 0.0,
        f"ndcg_at_{k}": round(float(np.mean(gains)), 4) if gains else 0.0,
    }


def top_lexicographic(
    keys: Sequence[np.ndarray], ids: np.ndarray, k: int, candidates: np.ndarray
) -> list[int]:
    """Ids of the k candidates (positions) that are best by keys[0], then keys[1]...,
    higher first, then the smaller id; sorts only what the earlier keys leave tied."""
    if k <= 0:
        return []
    if len(candidates) <= k or not keys:
        order = np.lexsort((ids[candidates], *(-key[candidates] for key in reversed(keys))))
        return [int(ids[j]) for j in candidates[order[:k]]]
    primary = keys[0][candidates]
    threshold = np.partition(primary, len(primary) - k)[len(primary) - k]
    above = candidates[primary > threshold]
    tied = candidates[primary == threshold]
    return top_lexicographic(keys, ids, k, above) + top_lexicographic(
        keys[1:], ids, k - len(above), tied
    )


class Baselines:
    """The plain rankings a recommender must beat, on the recommender's own history (so
    the same projects before the same year), each tie-broken by popularity, then id."""

    def __init__(self, recommender: PartnerRecommender) -> None:
        self.graph = recommender.graph
        self.ids = recommender.ids
        self.years = recommender.years.astype(np.float64)
        incidence = self.graph.incidence
        self._incidence = incidence.tocsc()
        self.overall = np.asarray(incidence.sum(axis=1)).ravel()
        self.in_part = {
            part: incidence @ np.array([part in p.parts for p in recommender.projects], float)
            for part in recommender.parts
        }

    def _candidates(self, query: HeldOut) -> tuple[int, np.ndarray]:
        i = self.graph.position[query.requester]
        everyone = np.arange(len(self.ids))
        return i, everyone[everyone != i]

    def _part_popularity(self, part: str | None) -> np.ndarray:
        if part is None:
            return self.overall
        return self.in_part.get(part, np.zeros(len(self.ids)))

    def popularity(self, query: HeldOut) -> list[int]:
        """The most frequent participants of the query's part (projects in it)."""
        _i, candidates = self._candidates(query)
        keys = (self._part_popularity(query.part), self.overall)
        return top_lexicographic(keys, self.ids, K, candidates)

    def past_partners(self, query: HeldOut) -> list[int]:
        """The requester's most frequent past partners, then the most recent, then the
        most popular in the part."""
        i, candidates = self._candidates(query)
        own = self.graph.incidence[[i]].indices
        together = self._incidence[:, own].multiply(self.years[own] - self.years.min() + 1)
        last = np.asarray(together.max(axis=1).todense()).ravel() if len(own) else self.overall * 0
        keys = (self.graph.shared_with(i), last, self._part_popularity(query.part), self.overall)
        return top_lexicographic(keys, self.ids, K, candidates)

    def adamic_adar(self, query: HeldOut) -> list[int]:
        """Adamic–Adar on the unweighted co-participation graph, then part popularity."""
        i, candidates = self._candidates(query)
        keys = (self.graph.adamic_adar(i), self._part_popularity(query.part), self.overall)
        return top_lexicographic(keys, self.ids, K, candidates)


def fit_weights(
    organisations: Sequence[Organisation],
    projects: Sequence[Project],
    *,
    before_year: int,
    label_years: int = 2,
    max_queries: int = 1500,
) -> dict[str, float]:
    """Weights learnt from history alone: signals from projects before
    `before_year - label_years`, labels from the projects of the last `label_years`
    before `before_year` (nothing later is looked at). A logistic regression with
    non-negative coefficients (so the score stays a weighted mean of signals) on each
    query's strongest candidates; deterministic."""
    split = before_year - label_years
    history = [p for p in projects if p.start_year is not None and p.start_year < before_year]
    model = PartnerRecommender(organisations, history, before_year=split)
    queries = held_out(history, split_year=split)
    if len(queries) > max_queries:
        queries = [queries[k] for k in np.linspace(0, len(queries) - 1, max_queries).astype(int)]
    rows, labels = [], []
    for query in queries:
        signals = model.signals(query.requester, query.part)
        pool = np.unique(np.concatenate([_strongest(signals[s], POOL) for s in POOL_SIGNALS]))
        pool = pool[model.ids[pool] != query.requester]
        rows.append(np.column_stack([signals[name][pool] for name in SIGNALS]))
        labels.append(np.isin(model.ids[pool], list(query.truth)))
    if not rows or not np.concatenate(labels).any():
        raise ValueError("no history to fit partner weights on")
    coefficients = _non_negative_logistic(np.vstack(rows), np.concatenate(labels))
    return checked_weights(dict(zip(SIGNALS, coefficients, strict=True)))


def _strongest(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest positive values (in no particular order)."""
    positive = np.flatnonzero(values > 0)
    if len(positive) <= k:
        return positive
    return positive[np.argpartition(-values[positive], k)[:k]]


def _non_negative_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-4) -> np.ndarray:
    features = x.shape[1]

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:features], params[features]
        z = x @ w + b
        error = 1.0 / (1.0 + np.exp(-z)) - y
        value = float(np.mean(np.logaddexp(0.0, z) - y * z) + l2 * w @ w)
        gradient = np.append(x.T @ error / len(y) + 2 * l2 * w, error.mean())
        return value, gradient

    bounds = [(0.0, None)] * features + [(None, None)]
    result = minimize(loss, np.zeros(features + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    return np.asarray(result.x[:features])
