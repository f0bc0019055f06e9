"""Demo-like hubs for the search tests, and an oracle that says which of them a word should
find, written from the records with a plain regular expression (not the search's code)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from sqlalchemy.orm import Session

from matchmaker.demo.generator import DISCIPLINE_NAMES, build_demo_network
from matchmaker.hubs.records import HubRecord, Taxonomy, save_hubs
from matchmaker.hubs.taxonomy import DEFAULT_SERVICE_CATEGORIES
from matchmaker.matching.names import country_name
from matchmaker.models import OrganisationKind

CATEGORY_NAMES = dict(DEFAULT_SERVICE_CATEGORIES)


def demo_hubs(session: Session, hubs: int = 72) -> list[HubRecord]:
    """The demo network's organisations stored as the demo stores them; its hubs returned."""
    network = build_demo_network(hubs, 7, date(2026, 1, 1))
    save_hubs(session, network.organisations, Taxonomy.load(session))
    session.flush()
    return [r for r in network.organisations if r.kind is OrganisationKind.HUB]


def record_text(record: HubRecord) -> str:
    parts = [
        record.name,
        record.city or "",
        record.country,
        country_name(record.country),
        record.description,
        *(DISCIPLINE_NAMES[d] for d in record.disciplines),
        *(f"{e.title} {e.description} {CATEGORY_NAMES[e.category]}" for e in record.services),
        *(f"{e.title} {e.description} {CATEGORY_NAMES[e.category]}" for e in record.needs),
    ]
    bare = unicodedata.normalize("NFKD", " ".join(parts).lower().replace("ø", "o"))
    return "".join(c for c in bare if not unicodedata.combining(c))


def mentioning(records: list[HubRecord], stem: str) -> set[str]:
    """Slugs of the records with a word that starts with `stem`."""
    pattern = re.compile(rf"(?<![^\W_]){re.escape(stem)}")
    return {r.slug for r in records if pattern.search(record_text(r))}
