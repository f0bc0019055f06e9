"""Reading the network from the database as the engine's plain data
(`matchmaker.matching.network`), in a handful of bulk queries: all of it, or the hubs an
edit touched.

Loading 36,000 CORDIS organisations this way takes seconds; the engine never touches the
database itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.matching import network as engine
from matchmaker.models import (
    AvailabilityWindow,
    Discipline,
    Exchange,
    ExchangeFeedback,
    ExchangeParticipant,
    Need,
    Organisation,
    OrganisationLanguage,
    Participation,
    ParticipationRole,
    Project,
    ProjectProgrammePart,
    Service,
    ServiceCategory,
    organisation_disciplines,
)


def load_network(session: Session, today: date | None = None) -> engine.Network:
    """The whole network as the engine sees it; availability that ended before today is
    left out."""
    today = today or date.today()
    return engine.Network(
        organisations=tuple(load_organisations(session, today)),
        projects=tuple(load_projects(session)),
        exchanges=tuple(load_exchanges(session)),
        today=today,
    )


def _only(column: Any, ids: Collection[int] | None) -> tuple[Any, ...]:
    """A WHERE clause keeping `ids` (none: everyone)."""
    return () if ids is None else (column.in_(sorted(ids)),)


def _grouped(rows: Iterable[Sequence[Any]]) -> dict[int, list[Any]]:
    """(key, value) rows as {key: [values...]}, keeping their order."""
    groups: dict[int, list[Any]] = defaultdict(list)
    for key, value in rows:
        groups[key].append(value)
    return groups


def load_organisations(
    session: Session, today: date, ids: Collection[int] | None = None
) -> Iterable[engine.Organisation]:
    """Every organisation, or those of `ids` (those that still exist), in id order."""
    disciplines = _grouped(
        session.execute(
            select(organisation_disciplines.c.organisation_id, Discipline.slug)
            .join(Discipline, Discipline.id == organisation_disciplines.c.discipline_id)
            .where(*_only(organisation_disciplines.c.organisation_id, ids))
            .order_by(organisation_disciplines.c.organisation_id, Discipline.slug)
        ).all()
    )
    languages = _grouped(
        session.execute(
            select(OrganisationLanguage.organisation_id, OrganisationLanguage.code)
            .where(*_only(OrganisationLanguage.organisation_id, ids))
            .order_by(OrganisationLanguage.organisation_id, OrganisationLanguage.code)
        ).all()
    )
    services = _grouped(
        (
            row.organisation_id,
            engine.Entry(row.id, row.slug, row.title, row.description, language=row.language),
        )
        for row in session.execute(
            select(
                Service.organisation_id,
                Service.id,
                ServiceCategory.slug,
                Service.title,
                Service.description,
                Service.language,
            )
            .join(ServiceCategory, ServiceCategory.id == Service.category_id)
            .where(*_only(Service.organisation_id, ids))
            .order_by(Service.id)
        ).all()
    )
    needs = _grouped(
        (
            row.organisation_id,
            engine.Entry(row.id, row.slug, row.title, row.description, row.priority, row.language),
        )
        for row in session.execute(
            select(
                Need.organisation_id,
                Need.id,
                ServiceCategory.slug,
                Need.title,
                Need.description,
                Need.priority,
                Need.language,
            )
            .join(ServiceCategory, ServiceCategory.id == Need.category_id)
            .where(*_only(Need.organisation_id, ids))
            .order_by(Need.id)
        ).all()
    )
    windows = _grouped(
        (row.organisation_id, engine.Window(row.kind, row.starts_on, row.ends_on, row.places))
        for row in session.execute(
            select(AvailabilityWindow)
            .where(
                AvailabilityWindow.ends_on >= today,
                *_only(AvailabilityWindow.organisation_id, ids),
            )
            .order_by(AvailabilityWindow.starts_on, AvailabilityWindow.id)
        ).scalars()
    )
    columns = (
        Organisation.id,
        Organisation.slug,
        Organisation.name,
        Organisation.country,
        Organisation.kind,
        Organisation.city,
        Organisation.latitude,
        Organisation.longitude,
        Organisation.desks,
        Organisation.residency_places,
        Organisation.accepts_visits,
    )
    chosen = select(*columns).where(*_only(Organisation.id, ids)).order_by(Organisation.id)
    for row in session.execute(chosen).all():
        yield engine.Organisation(
            id=row.id,
            slug=row.slug,
            name=row.name,
            country=row.country,
            kind=row.kind.value,
            city=row.city,
            latitude=row.latitude,
            longitude=row.longitude,
            disciplines=tuple(disciplines.get(row.id, ())),
            languages=tuple(languages.get(row.id, ())),
            desks=row.desks,
            residency_places=row.residency_places,
            accepts_visits=row.accepts_visits,
            services=tuple(services.get(row.id, ())),
            needs=tuple(needs.get(row.id, ())),
            windows=tuple(windows.get(row.id, ())),
        )


def load_projects(session: Session) -> Iterable[engine.Project]:
    members: dict[int, list[int]] = defaultdict(list)
    coordinators: dict[int, int] = {}
    for project_id, organisation_id, role in session.execute(
        select(
            Participation.project_id, Participation.organisation_id, Participation.role
        ).order_by(Participation.project_id, Participation.organisation_id)
    ).all():
        members[project_id].append(organisation_id)
        if role is ParticipationRole.COORDINATOR:
            coordinators[project_id] = organisation_id
    parts = _grouped(
        session.execute(
            select(ProjectProgrammePart.project_id, ProjectProgrammePart.part).order_by(
                ProjectProgrammePart.project_id, ProjectProgrammePart.part
            )
        ).all()
    )
    for row in session.execute(
        select(Project.id, Project.title, Project.programme, Project.start_year).order_by(
            Project.id
        )
    ).all():
        yield engine.Project(
            id=row.id,
            members=tuple(members.get(row.id, ())),
            coordinator=coordinators.get(row.id),
            parts=tuple(parts.get(row.id, ())),
            start_year=row.start_year,
            title=row.title or f"{row.programme} project",
        )


def load_exchanges(session: Session) -> Iterable[engine.PastExchange]:
    hubs = _grouped(
        session.execute(
            select(ExchangeParticipant.exchange_id, ExchangeParticipant.organisation_id).order_by(
                ExchangeParticipant.exchange_id, ExchangeParticipant.position
            )
        ).all()
    )
    ratings = _grouped(
        (row.exchange_id, (row.rating, row.organisation_id))
        for row in session.execute(
            select(
                ExchangeFeedback.exchange_id,
                ExchangeFeedback.rating,
                ExchangeFeedback.organisation_id,
            ).order_by(ExchangeFeedback.exchange_id, ExchangeFeedback.id)
        )
    )
    for row in session.execute(
        select(Exchange.id, Exchange.kind, Exchange.state, Exchange.ends_on).order_by(Exchange.id)
    ).all():
        yield engine.PastExchange(
            id=row.id,
            kind=row.kind,
            hubs=tuple(hubs.get(row.id, ())),
            state=row.state.value,
            ended_on=row.ends_on,
            ratings=tuple(rating for rating, _ in ratings.get(row.id, ())),
            raters=tuple(rater for _, rater in ratings.get(row.id, ())),
        )
