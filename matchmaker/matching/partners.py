"""Project partner recommendation: who should a coordinator invite to a consortium?

Every organisation is scored for one requester and one programme part from the
collaboration history, as named signals in [0, 1] the engine can show as reasons, and a
combined score (a weighted mean of the signals). Most signals are random walks on the
organisation–project graph: a project passes weight to its members, recent and small
projects weigh more (a 3-member project says more about a pair than a 40-member one), so
one step reaches the requester's own partners, two steps their partners' partners.
A walk is a few products of a dense vector with the sparse incidence matrix (never a loop
over pairs): a query over 36,000 organisations takes milliseconds.

`DEFAULT_WEIGHTS` were fitted on history alone (`evaluation.fit_weights`);
`scripts/evaluate_partners.py` measures the recommender on Horizon 2020 consortia.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from scipy import sparse

from matchmaker.matching.collaboration import CollaborationGraph
from matchmaker.matching.network import Organisation, Project

DECAY = 0.85  # weight of a project per year of age: last year's counts 1, five years ago 0.44

SIGNALS = (
    "collaboration",  # one walk step: how much of the requester's recent work was with them
    "collaboration_in_part",  # the same, in projects of the programme part only
    "coordinated",  # projects the requester coordinated and they joined (recency-weighted)
    "partners_of_partners",  # two steps: partners of the requester's partners
    "partners_of_partners_in_part",  # second step through projects of the part
    "wider_network",  # three steps
    "wider_network_in_part",  # third step through projects of the part
    "part_reach",  # distinct partners they had in the part (log scale, 1 = the most)
    "part_activity",  # projects they took part in, in the part (recency-weighted, log scale)
    "kind_fit",  # how common their kind (university, company...) is in the part
    "country_fit",  # how often the requester's country partners with theirs
    "same_country",
    "cross_border",  # from another country than the requester's
)

# Fitted by `matchmaker.matching.offline.evaluation.fit_weights` on the CORDIS H2020 history before
# 2019 (signals from projects before 2017, labels from those of 2017-2018; nothing later),
# rounded. A signal with weight 0 still serves as a reason or a constraint; the
# configuration may move weight to it. Given all the rest, a partner from the requester's
# own country is likelier than one from abroad in real consortia, hence `same_country`.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "collaboration": 0.009,
        "collaboration_in_part": 0.141,
        "coordinated": 0.122,
        "partners_of_partners": 0.070,
        "partners_of_partners_in_part": 0.063,
        "wider_network": 0.143,
        "wider_network_in_part": 0.134,
        "part_reach": 0.170,
        "part_activity": 0.068,
        "kind_fit": 0.0,
        "country_fit": 0.0,
        "same_country": 0.080,
        "cross_border": 0.0,
    }
)


@dataclass(frozen=True)
class PartnerFacts:
    """Plain facts behind the signals, for reasons such as "worked with you on 3 projects,
    last in 2018" or "active in SC6: 12 projects"."""

    shared_projects: int
    last_shared_year: int | None
    coordinated_by_requester: int
    projects_in_part: int
    partners_in_part: int


class PartnerRecommender:
    """Scores organisations as project partners of a requester, from projects' membership."""

    def __init__(
        self,
        organisations: Sequence[Organisation],
        projects: Sequence[Project],
        *,
        before_year: int | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> None:
        self.weights = checked_weights(DEFAULT_WEIGHTS if weights is None else weights)
        by_id = {o.id: o for o in organisations}
        ids = sorted(by_id)
        self.ids = np.array(ids, dtype=np.int64)
        self.projects = [
            p
            for p in projects
            if any(m in by_id for m in p.members)
            and (before_year is None or (p.start_year is not None and p.start_year < before_year))
        ]
        self.graph = CollaborationGraph(ids, self.projects)
        self.position = self.graph.position
        self._b = self.graph.incidence
        self._bt = self._b.T.tocsr()
        years = [p.start_year for p in self.projects if p.start_year is not None]
        newest = before_year - 1 if before_year is not None else max(years, default=0)
        oldest = min(years, default=newest)  # a project without a year counts as the oldest
        self.years = np.array(
            [oldest if p.start_year is None else p.start_year for p in self.projects],
            dtype=np.int64,
        )
        self._recency = DECAY ** np.maximum(newest - self.years, 0).astype(np.float64)
        self._size = np.asarray(self._b.sum(axis=0)).ravel()
        self._coordinator = np.array(
            [
                -1 if p.coordinator is None else self.position.get(p.coordinator, -1)
                for p in self.projects
            ],
            dtype=np.int64,
        )
        self.parts = sorted({part for p in self.projects for part in p.parts})
        in_part: dict[str | None, np.ndarray] = {
            part: np.array([part in p.parts for p in self.projects], dtype=np.float64)
            for part in self.parts
        }
        in_part[None] = np.ones(len(self.projects))
        self._in_part = in_part
        # A walk step: a project passes to each member (recent and small ones more); what an
        # organisation's projects would pass back to itself is taken out again.
        self._steps = {
            part: self._recency * mask / np.maximum(self._size, 1) for part, mask in in_part.items()
        }
        self._to_self = {part: self._b @ step for part, step in self._steps.items()}
        self._out = self._b @ (self._steps[None] * self._size) - self._to_self[None]
        together = self._recency * (self._size >= 2)  # alone on a project is no partnership
        activity = {part: self._b @ (together * mask) for part, mask in in_part.items()}
        self._activity = {part: _log_scaled(values) for part, values in activity.items()}
        self._partners = {part: self._partners_in(mask) for part, mask in in_part.items()}
        self._reach = {part: _log_scaled(values) for part, values in self._partners.items()}
        _, self._kind = np.unique([by_id[int(i)].kind for i in self.ids], return_inverse=True)
        _, self._country = np.unique([by_id[int(i)].country for i in self.ids], return_inverse=True)
        # Kind shares per part, 1 for the part's most active kind.
        kinds = _indicator(self._kind)
        self._kind_fit = {part: _scaled(kinds.T @ values) for part, values in activity.items()}
        # How often each country worked with each other, 1 for its most frequent partner country.
        countries = _indicator(self._country)
        pairs = (countries.T @ self.graph.shared_projects @ countries).toarray()
        self._country_fit = np.sqrt(pairs / np.maximum(pairs.max(axis=1, keepdims=True), 1e-12))

    def _partners_in(self, mask: np.ndarray) -> np.ndarray:
        """Distinct partners of each organisation in the projects of `mask`."""
        columns = self._b[:, np.flatnonzero(mask)]
        together = (columns @ columns.T).tocsr()
        together.setdiag(0)
        together.eliminate_zeros()
        return np.diff(together.indptr).astype(np.float64)

    def _walk(self, start: int, part: str | None) -> dict[str, np.ndarray]:
        """Three steps from `start`, each going on over the whole history; the part's
        variant of each step only passes through the part's projects."""
        z = np.zeros(len(self.ids))
        z[start] = 1.0 / self._out[start] if self._out[start] > 0 else 0.0
        through = np.zeros(len(self.projects))
        through[self._projects_of(start)] = z[start]
        walks: dict[str, np.ndarray] = {}
        for name in ("collaboration", "partners_of_partners", "wider_network"):
            walks[name] = self._step(through, z, None)
            if part is not None:
                walks[f"{name}_in_part"] = self._step(through, z, part)
            z = np.divide(walks[name], self._out, out=np.zeros_like(z), where=self._out > 0)
            through = self._bt @ z
        return walks

    def _step(self, through: np.ndarray, z: np.ndarray, part: str | None) -> np.ndarray:
        """What reaches each organisation from the projects, less what came back from its
        own mass; a difference within rounding of that subtracted part is 0."""
        back = self._to_self[part] * z
        reached = self._b @ (self._steps[part] * through) - back
        return np.where(reached > 1e-9 * back, reached, 0.0)

    def signals(self, requester_id: int, part: str | None) -> dict[str, np.ndarray]:
        """Each signal for every organisation (aligned with `ids`), the requester's own 0.
        `part=None` takes the whole history as the part; a part nobody worked in scores 0."""
        n = len(self.ids)
        i = self.position.get(requester_id)
        if i is None or not self.projects:
            return {name: np.zeros(n) for name in SIGNALS}
        result = self._walk(i, part if part in self._steps else None)
        if part is None:
            for name in ("collaboration", "partners_of_partners", "wider_network"):
                result[f"{name}_in_part"] = result[name]
        for name in WALKS & set(result):
            result[name] = _relative(result[name], i)
        coordinated = self._b @ (self._recency * (self._coordinator == i))
        result |= {
            "coordinated": 1 - np.exp(-coordinated),
            "country_fit": self._country_fit[self._country[i]][self._country],
            "same_country": (self._country == self._country[i]).astype(np.float64),
            "cross_border": (self._country != self._country[i]).astype(np.float64),
        }
        if part in self._steps:
            result |= {
                "part_reach": self._reach[part].copy(),
                "part_activity": self._activity[part].copy(),
                "kind_fit": self._kind_fit[part][self._kind],
            }
        for name in SIGNALS:
            result.setdefault(name, np.zeros(n))[i] = 0.0
        return {name: result[name] for name in SIGNALS}

    def scores(self, requester_id: int, part: str | None) -> np.ndarray:
        """The weighted mean of the signals, in [0, 1]; the requester itself scores 0."""
        signals = self.signals(requester_id, part)
        total = np.zeros(len(self.ids))
        for name, weight in self.weights.items():
            if weight:
                total += weight * signals[name]
        return np.clip(total, 0.0, 1.0)

    def top(
        self, requester_id: int, part: str | None, k: int, exclude: Collection[int] = ()
    ) -> list[tuple[int, float]]:
        """The k best (id, score), best first, ties by the smaller id; only scores above 0."""
        values = self.scores(requester_id, part)
        values[[self.position[e] for e in exclude if e in self.position]] = 0.0
        return [(int(self.ids[j]), float(values[j])) for j in best_positions(values, self.ids, k)]

    def _projects_of(self, position: int) -> np.ndarray:
        """Its projects: the incidence row's columns, read from the CSR arrays directly."""
        return self._b.indices[self._b.indptr[position] : self._b.indptr[position + 1]]

    def facts(self, requester_id: int, candidate_id: int, part: str | None) -> PartnerFacts:
        """What the pair did together, and what the candidate did in the part."""
        i, j = self.position.get(requester_id), self.position.get(candidate_id)
        if j is None:
            return PartnerFacts(0, None, 0, 0, 0)
        theirs = self._projects_of(j)
        shared = np.intersect1d(self._projects_of(i), theirs) if i is not None else theirs[:0]
        in_part = self._in_part.get(part, np.zeros(len(self.projects)))
        return PartnerFacts(
            shared_projects=len(shared),
            last_shared_year=int(self.years[shared].max()) if len(shared) else None,
            coordinated_by_requester=int(np.sum(self._coordinator[shared] == i)),
            projects_in_part=int(in_part[theirs].sum()),
            partners_in_part=int(self._partners[part][j]) if part in self._partners else 0,
        )


WALKS = {
    f"{name}{suffix}"
    for name in ("collaboration", "partners_of_partners", "wider_network")
    for suffix in ("", "_in_part")
}


def _indicator(groups: np.ndarray) -> sparse.csr_matrix:
    """One row per organisation, a 1 in its group's column."""
    n = len(groups)
    return sparse.csr_matrix((np.ones(n), (np.arange(n), groups)), (n, groups.max(initial=0) + 1))


def _scaled(values: np.ndarray) -> np.ndarray:
    top = values.max(initial=0.0)
    return values / top if top > 0 else np.zeros_like(values)


def _relative(values: np.ndarray, requester: int) -> np.ndarray:
    """A walk's mass relative to the requester's strongest other organisation, square-rooted
    so the long tail stays visible: 1 for the closest, 0 for the unreachable."""
    values = values.copy()
    values[requester] = 0.0
    top = values.max(initial=0.0)
    return np.sqrt(values / top) if top > 0 else values


def _log_scaled(values: np.ndarray) -> np.ndarray:
    top = values.max(initial=0.0)
    return np.log1p(values) / np.log1p(top) if top > 0 else np.zeros_like(values)


def best_positions(values: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest positive values, ties broken by the smaller id; only the
    candidates at or above the k-th value are sorted."""
    positive = np.flatnonzero(values > 0)
    if k <= 0 or not len(positive):
        return positive[:0]
    if len(positive) > k:
        threshold = np.partition(values[positive], len(positive) - k)[len(positive) - k]
        positive = positive[values[positive] >= threshold]
    order = np.lexsort((ids[positive], -values[positive]))
    return positive[order[:k]]


def checked_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Known signal names, finite and non-negative weights (so the mean stays in [0, 1]),
    rescaled to sum to 1."""
    unknown = set(weights) - set(SIGNALS)
    if unknown:
        raise ValueError(f"unknown partner signals: {', '.join(sorted(unknown))}")
    values = {name: float(weights.get(name, 0.0)) for name in SIGNALS}
    if any(not np.isfinite(v) or v < 0 for v in values.values()):
        raise ValueError("partner weights must be finite and non-negative")
    total = sum(values.values())
    if total <= 0:
        raise ValueError("at least one partner weight must be positive")
    return {name: value / total for name, value in values.items()}
