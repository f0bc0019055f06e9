"""The engine's index of the network: arrays and sparse matrices built once per version of
the data, so a query is a few row products over them.

Positions (0..n-1) in `organisations` index every array and matrix here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from scipy import sparse

from matchmaker.matching.collaboration import CollaborationGraph
from matchmaker.matching.kept_signals import KeptSignals
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.matching.network import Network, Organisation, Project
from matchmaker.matching.partners import PartnerRecommender
from matchmaker.matching.places import WindowTable, unit_vectors
from matchmaker.matching.text import TextModel
from matchmaker.matching.weights import DEFAULT_WEIGHTS, merge_weights

# Ratings run 1..5; a candidate without ratings scores the neutral middle, and a few
# ratings move it only part of the way (a prior worth this many ratings).
NEUTRAL_FEEDBACK = 0.5
FEEDBACK_PRIOR_RATINGS = 2.0
# An exchange of the pair still under way keeps that pair out of the same kind.
ACTIVE_STATES = frozenset({"proposed", "accepted", "pending_approval", "approved", "scheduled"})


def _binary(rows: Sequence[Sequence[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    """Organisations × labels (disciplines, languages) as a 0/1 matrix, and the labels."""
    labels = sorted({label for row in rows for label in row})
    column = {label: i for i, label in enumerate(labels)}
    pairs = [(r, column[label]) for r, row in enumerate(rows) for label in set(row)]
    matrix = sparse.csr_matrix(
        (np.ones(len(pairs), dtype=np.float32), ([p for p, _ in pairs], [c for _, c in pairs])),
        shape=(len(rows), len(labels)),
    )
    return matrix, labels


def _unchanged(
    organisations: tuple[Organisation, ...], previous: MatchIndex | None
) -> Callable[..., bool]:
    """A test of whether the organisations are the previous index's, in the same order,
    and the edited ones (new objects) have the same values of the given fields."""
    before = previous.organisations if previous is not None else ()
    edited = (
        [(new, old) for new, old in zip(organisations, before, strict=True) if new is not old]
        if len(before) == len(organisations)
        else None
    )
    if edited is not None and any(new.id != old.id for new, old in edited):
        edited = None

    def same(*fields: str) -> bool:
        return edited is not None and all(
            getattr(new, name) == getattr(old, name) for new, old in edited for name in fields
        )

    return same


class MatchIndex:
    """Everything a query needs, precomputed from one `Network`."""

    # Declared here: each may be taken from a previous index (see `__init__`).
    disciplines: sparse.csr_matrix
    discipline_labels: list[str]
    languages: sparse.csr_matrix
    language_labels: list[str]
    text: TextModel
    collaboration: CollaborationGraph
    partners: PartnerRecommender
    windows: dict[AvailabilityKind, WindowTable]

    def __init__(
        self,
        network: Network,
        weights: Mapping[ExchangeKind, Mapping[str, float]] | None = None,
        previous: MatchIndex | None = None,
    ) -> None:
        """`previous`, an index of an earlier version of the same network, lends its text
        vectors (see `TextModel`): applying a few hubs' edits then costs their texts. The
        parts no edit touched (texts, disciplines, languages, windows, projects) are
        taken from it whole."""
        self.network = network
        self.weights = merge_weights(None, weights or DEFAULT_WEIGHTS)
        self.organisations: tuple[Organisation, ...] = network.organisations
        orgs = self.organisations
        same = _unchanged(orgs, previous)
        self.ids = np.array([o.id for o in orgs], dtype=np.int64)
        self.position = {o.id: p for p, o in enumerate(orgs)}
        self.is_hub = np.array([o.is_hub for o in orgs], dtype=bool)
        self.accepts_visits = np.array([o.accepts_visits for o in orgs], dtype=bool)
        self.desks = np.array([o.desks for o in orgs], dtype=np.int64)
        self.residency_places = np.array([o.residency_places for o in orgs], dtype=np.int64)
        self.countries = np.array([o.country for o in orgs], dtype=object)
        self.latitudes = np.array([np.nan if o.latitude is None else o.latitude for o in orgs])
        self.longitudes = np.array([np.nan if o.longitude is None else o.longitude for o in orgs])
        self.places = unit_vectors(self.latitudes, self.longitudes)  # for `distances_km`
        if previous is not None and same("disciplines"):
            self.disciplines = previous.disciplines
            self.discipline_labels = previous.discipline_labels
        else:
            self.disciplines, self.discipline_labels = _binary([o.disciplines for o in orgs])
        self.discipline_counts = np.asarray(self.disciplines.sum(axis=1)).ravel()
        if previous is not None and same("languages"):
            self.languages, self.language_labels = previous.languages, previous.language_labels
        else:
            self.languages, self.language_labels = _binary([o.languages for o in orgs])
        # Few labels: dense, so the shared labels of a block of requesters are one BLAS
        # product (a sparse product with a dense result is several times slower).
        self.disciplines_dense = self.disciplines.toarray()
        self.languages_dense = self.languages.toarray()
        if previous is not None and same("services", "needs"):
            self.text = previous.text
        else:
            categories = sorted({e.category for o in orgs for e in (*o.services, *o.needs)})
            self.text = TextModel(orgs, categories, previous.text if previous else None)
        if previous is not None and same() and network.projects is previous.network.projects:
            self.collaboration = previous.collaboration
        else:
            self.collaboration = CollaborationGraph([o.id for o in orgs], network.projects)
        if (
            previous is not None
            and same("kind", "country")
            and network.projects is previous.network.projects
        ):
            self.partners = previous.partners
        else:
            self.partners = PartnerRecommender(orgs, network.projects)
        # Where each organisation sits in the recommender's arrays (it sorts by id).
        self.partner_position = np.searchsorted(self.partners.ids, self.ids)
        self.projects_of: dict[int, list[Project]] = defaultdict(list)
        for project in network.projects:
            for member in set(project.members):
                if member in self.position:
                    self.projects_of[self.position[member]].append(project)
        if previous is not None and same("windows"):
            self.windows = {kind: previous.windows[kind].over(orgs) for kind in AvailabilityKind}
        else:
            self.windows = {kind: WindowTable(orgs, kind) for kind in AvailabilityKind}
        self._index_exchanges()
        self.kept_signals = KeptSignals()

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        del state["kept_signals"]  # this process's own, never written with the index
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.kept_signals = KeptSignals()

    def __len__(self) -> int:
        return len(self.organisations)

    def completed_any(self, position: int) -> bool:
        return any(self.completed.get((position, kind)) for kind in ExchangeKind)

    def shared_projects(self, a: int, b: int) -> list[Project]:
        """Projects both organisations took part in, newest first."""
        theirs = {p.id for p in self.projects_of.get(b, ())}
        together = [p for p in self.projects_of.get(a, ()) if p.id in theirs]
        return sorted(together, key=lambda p: (-(p.start_year or 0), p.id))

    def _index_exchanges(self) -> None:
        """Ratings per candidate, completed and open exchanges per pair and kind."""
        totals = np.zeros(len(self), dtype=np.float64)
        counts = np.zeros(len(self), dtype=np.float64)
        # (requester position, kind) -> {candidate position: count}
        self.completed: dict[tuple[int, ExchangeKind], Counter[int]] = defaultdict(Counter)
        self.open: dict[tuple[int, ExchangeKind], set[int]] = defaultdict(set)
        for exchange in self.network.exchanges:
            members = [self.position[h] for h in exchange.hubs if h in self.position]
            pairs = [(a, b) for a in members for b in members if a != b]
            if exchange.completed:
                for a, b in pairs:
                    self.completed[a, exchange.kind][b] += 1
                for rating, rater in exchange.rated():
                    rater_position = self.position.get(rater) if rater is not None else None
                    for member in members:
                        if member != rater_position:
                            totals[member] += (rating - 1) / 4
                            counts[member] += 1
            elif exchange.state in ACTIVE_STATES:
                for a, b in pairs:
                    self.open[a, exchange.kind].add(b)
        self.rating_counts = counts
        # On the 1..5 scale, for people; NaN without ratings.
        self.mean_ratings = 1 + 4 * np.divide(
            totals, counts, out=np.full(len(self), np.nan), where=counts > 0
        )
        self.feedback = (totals + NEUTRAL_FEEDBACK * FEEDBACK_PRIOR_RATINGS) / (
            counts + FEEDBACK_PRIOR_RATINGS
        )
