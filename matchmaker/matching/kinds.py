"""The engine's vocabulary: kinds of exchange, of availability and need priorities.

They live here, in the innermost layer, so the engine needs nothing from the database;
the models store these same enums.
"""

from __future__ import annotations

import enum


class ExchangeKind(enum.StrEnum):
    SHADOWING = "shadowing"
    HOT_DESKING = "hot_desking"
    RESIDENCY = "residency"
    PROJECT_PARTNERS = "project_partners"

    @property
    def label(self) -> str:
        """One exchange of this kind, as a sentence names it: "a {label}"."""
        return KIND_LABELS[self]

    @property
    def plural_label(self) -> str:
        return KIND_PLURALS[self]


KIND_LABELS = {
    ExchangeKind.SHADOWING: "shadowing visit",
    ExchangeKind.HOT_DESKING: "hot-desking swap",
    ExchangeKind.RESIDENCY: "manager residency",
    ExchangeKind.PROJECT_PARTNERS: "project partnership",
}
KIND_PLURALS = {
    ExchangeKind.SHADOWING: "shadowing visits",
    ExchangeKind.HOT_DESKING: "hot-desking swaps",
    ExchangeKind.RESIDENCY: "manager residencies",
    ExchangeKind.PROJECT_PARTNERS: "project partnerships",
}


class AvailabilityKind(enum.StrEnum):
    DESKS = "desks"
    RESIDENCY = "residency"


class NeedPriority(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def weight(self) -> float:
        """How much a need counts in a hub's overall need profile."""
        return PRIORITY_WEIGHTS[self]


PRIORITY_WEIGHTS = {NeedPriority.HIGH: 1.0, NeedPriority.MEDIUM: 0.6, NeedPriority.LOW: 0.3}
