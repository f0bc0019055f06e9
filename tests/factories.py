"""Test data built in code: valid hub records and stored hubs, with overrides."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from matchmaker.hubs.records import HubRecord, NeedRecord, ServiceRecord, Taxonomy, save_hubs
from matchmaker.models import NeedPriority, Organisation


def hub_record(slug: str = "yeast-house", **changes: Any) -> HubRecord:
    record = HubRecord(
        slug=slug,
        name=slug.replace("-", " ").title(),
        country="PT",
        city="Porto",
        latitude=41.1579,
        longitude=-8.6291,
        website=f"https://{slug}.example",
        founded_year=2012,
        description="Studios in a former tobacco factory.\nTwo floors of makers.",
        disciplines=("crafts", "design"),
        languages=("en", "pt"),
        desks=12,
        residency_places=2,
        is_member=True,
        supports_ccis=True,
        hosts_ccis_community=True,
        has_physical_space=True,
        develops_community=True,
        services=(
            ServiceRecord("fablab", "Laser cutting workshop", "A 120x90 cm laser cutter."),
            ServiceRecord("coworking", "Open studio desks", "Twelve desks, day passes."),
        ),
        needs=(
            NeedRecord(
                "funding", "Voucher scheme", "How to run vouchers with industry.", NeedPriority.HIGH
            ),
        ),
    )
    return replace(record, **changes)


def make_hub(session: Session, slug: str = "yeast-house", **changes: Any) -> Organisation:
    record = hub_record(slug, **changes)
    ids = save_hubs(session, [record], Taxonomy.load(session)).ids
    session.flush()
    organisation = session.get(Organisation, ids[record.slug])
    assert organisation is not None
    return organisation
