"""The one set of builders for test data: hub records and hubs stored through the import
path (`hub_record`, `make_hub`), bare hubs (`hub`) with their windows (`window`), people
(`person`) and the form data of a proposal (`proposal_data`). Exchanges are made through
the use cases themselves, so tests build them as users do."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from matchmaker.hubs.records import HubRecord, NeedRecord, ServiceRecord, Taxonomy, save_hubs
from matchmaker.models import (
    AvailabilityKind,
    AvailabilityWindow,
    NeedPriority,
    Organisation,
    OrganisationKind,
    Role,
    User,
)


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


def hub(session: Session, slug: str, **fields: Any) -> Organisation:
    """A bare hub (name from the slug, in Portugal unless told), added to the session."""
    organisation = Organisation(
        slug=slug,
        name=fields.pop("name", slug.replace("-", " ").title()),
        country=fields.pop("country", "PT"),
        kind=OrganisationKind.HUB,
        **fields,
    )
    session.add(organisation)
    return organisation


def window(kind: AvailabilityKind, starts_on: date, days: int, places: int) -> AvailabilityWindow:
    """An availability window of `days` days from `starts_on` (the last day included)."""
    return AvailabilityWindow(
        kind=kind, starts_on=starts_on, ends_on=starts_on + timedelta(days=days), places=places
    )


def person(
    session: Session,
    email: str,
    role: Role = Role.MANAGER,
    hub: Organisation | None = None,
    **fields: Any,
) -> User:
    """An account (its password hash unused unless given), added to the session."""
    user = User(email=email, role=role, hub=hub, **{"password_hash": "unused", **fields})
    session.add(user)
    return user


def proposal_data(
    kind: str, starts_on: date, days: tuple[int, int], message: str
) -> dict[str, str]:
    """A proposal's form fields: from `starts_on` + days[0] to `starts_on` + days[1]."""
    return {
        "kind": kind,
        "message": message,
        "starts_on": (starts_on + timedelta(days=days[0])).isoformat(),
        "ends_on": (starts_on + timedelta(days=days[1])).isoformat(),
    }
