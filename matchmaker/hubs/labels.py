"""The hubs' words stored in English, in the reader's language: the taxonomies a network
starts with (`taxonomy.py`; a name a network added itself is shown as stored), the kinds
of membership, need priorities and availability windows. Pages print these, never the
stored value."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matchmaker.hubs.taxonomy import DEFAULT_DISCIPLINES, DEFAULT_SERVICE_CATEGORIES
from matchmaker.matching.kinds import AvailabilityKind, NeedPriority
from matchmaker.models import MembershipKind

# Keyed by slug, the same slugs as `DEFAULT_DISCIPLINES` and `DEFAULT_SERVICE_CATEGORIES`
# (tests/hubs/test_labels.py checks that every default has its label).
TAXONOMY_NAMES = {
    "architecture": _l("Architecture"),
    "crafts": _l("Crafts"),
    "design": _l("Design"),
    "digital-media": _l("Digital media"),
    "fashion": _l("Fashion"),
    "film": _l("Film"),
    "games": _l("Games"),
    "heritage": _l("Heritage"),
    "music": _l("Music"),
    "performing-arts": _l("Performing arts"),
    "photography": _l("Photography"),
    "publishing": _l("Publishing"),
    "visual-arts": _l("Visual arts"),
    "coworking": _l("Co-working"),
    "fablab": _l("FabLab / makerspace"),
    "incubation": _l("Incubation"),
    "mentoring": _l("Coaching / mentoring"),
    "funding": _l("Funding access / vouchers"),
    "event-space": _l("Exhibition / event space"),
    "residency": _l("Residency hosting"),
    "training": _l("Training"),
    "business-support": _l("Business support"),
    "audience": _l("Audience development"),
    "impact": _l("Impact measurement"),
    "internationalisation": _l("Internationalisation"),
}

MEMBERSHIP_NAMES = {
    MembershipKind.REGULAR: _l("regular member"),
    MembershipKind.ASSOCIATE: _l("associate member"),
}

PRIORITY_NAMES = {
    NeedPriority.HIGH: _l("high priority"),
    NeedPriority.MEDIUM: _l("medium priority"),
    NeedPriority.LOW: _l("low priority"),
}

AVAILABILITY_NAMES = {
    AvailabilityKind.DESKS: _l("desks for hot-desking swaps"),
    AvailabilityKind.RESIDENCY: _l("residency places"),
}


def taxonomy_name(slug: str, stored: str) -> str:
    """A discipline's or service category's name: translated when it is one of the
    defaults, else as the network stored it."""
    label = TAXONOMY_NAMES.get(slug)
    return str(label) if label is not None else stored


def taxonomy_label(row: Any) -> str:
    """The name of a `Discipline` or `ServiceCategory` row (a template filter)."""
    return taxonomy_name(row.slug, row.name)


def membership_name(kind: MembershipKind | str) -> str:
    return str(MEMBERSHIP_NAMES[MembershipKind(kind)])


def priority_name(priority: NeedPriority | str) -> str:
    return str(PRIORITY_NAMES[NeedPriority(priority)])


def availability_name(kind: AvailabilityKind | str) -> str:
    return str(AVAILABILITY_NAMES[AvailabilityKind(kind)])


def stored_taxonomy_name(name: str) -> str:
    """The reader's name for a default discipline or category known by its stored English
    name (the figures and the network picture carry names, not slugs)."""
    return taxonomy_name(_SLUG_OF_NAME.get(name, ""), name)


_SLUG_OF_NAME = {name: slug for slug, name in (*DEFAULT_DISCIPLINES, *DEFAULT_SERVICE_CATEGORIES)}


def discipline_names(names: Iterable[str]) -> dict[str, str]:
    """The reader's names of these disciplines (by stored name), and of "none" (a hub
    without one), as the network picture's legend shows them."""
    return {"none": _("no discipline"), **{name: stored_taxonomy_name(name) for name in names}}
