"""The hubs CSV written out from the database, at any size: the import format of
`csv_file`, read as plain rows a chunk at a time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.hubs.csv_file import write_hubs_csv
from matchmaker.hubs.records import (
    CHUNK,
    PROFILE_FIELDS,
    HubRecord,
    NeedRecord,
    ServiceRecord,
    chunks,
)
from matchmaker.models import (
    Discipline,
    Need,
    Organisation,
    OrganisationKind,
    OrganisationLanguage,
    Service,
    ServiceCategory,
    organisation_disciplines,
)


def export_hubs_csv(session: Session, out: TextIO, all_kinds: bool = False) -> int:
    """Write hubs (or every organisation) in the import format; returns how many rows.

    Read as plain rows a chunk of organisations at a time, never as ORM objects: memory
    stays flat at 100,000 organisations (loading them all as objects took 2.5 GB, and the
    garbage collector's passes over that many objects crashed the process)."""
    kinds = [OrganisationKind.HUB] if not all_kinds else list(OrganisationKind)
    ids = list(
        session.scalars(
            select(Organisation.id).where(Organisation.kind.in_(kinds)).order_by(Organisation.slug)
        )
    )
    return write_hubs_csv(
        (record for chunk in chunks(ids, CHUNK) for record in _records_of(session, chunk)), out
    )


def _records_of(session: Session, ids: Sequence[int]) -> list[HubRecord]:
    """The organisations `ids` as records, in that order, in five queries."""
    columns = [getattr(Organisation, name) for name in PROFILE_FIELDS]
    profiles = {
        row[0]: row[1:]
        for row in session.execute(
            select(Organisation.id, *columns).where(Organisation.id.in_(ids))
        )
    }
    disciplines = _grouped(
        session.execute(
            select(organisation_disciplines.c.organisation_id, Discipline.slug)
            .join(Discipline, Discipline.id == organisation_disciplines.c.discipline_id)
            .where(organisation_disciplines.c.organisation_id.in_(ids))
            .order_by(Discipline.slug)
        )
    )
    languages = _grouped(
        session.execute(
            select(OrganisationLanguage.organisation_id, OrganisationLanguage.code)
            .where(OrganisationLanguage.organisation_id.in_(ids))
            .order_by(OrganisationLanguage.code)
        )
    )
    services = _grouped(
        (row[0], ServiceRecord(*row[1:]))
        for row in session.execute(
            select(
                Service.organisation_id, ServiceCategory.slug, Service.title, Service.description
            )
            .join(ServiceCategory, ServiceCategory.id == Service.category_id)
            .where(Service.organisation_id.in_(ids))
            .order_by(Service.id)
        )
    )
    needs = _grouped(
        (row[0], NeedRecord(*row[1:]))
        for row in session.execute(
            select(
                Need.organisation_id,
                ServiceCategory.slug,
                Need.title,
                Need.description,
                Need.priority,
            )
            .join(ServiceCategory, ServiceCategory.id == Need.category_id)
            .where(Need.organisation_id.in_(ids))
            .order_by(Need.id)
        )
    )
    return [
        HubRecord(
            **dict(zip(PROFILE_FIELDS, profiles[i], strict=True)),
            disciplines=tuple(disciplines.get(i, ())),
            languages=tuple(languages.get(i, ())),
            services=tuple(services.get(i, ())),
            needs=tuple(needs.get(i, ())),
        ).normalised()
        for i in ids
    ]


def _grouped(rows: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for key, value in rows:
        grouped.setdefault(key, []).append(value)
    return grouped
