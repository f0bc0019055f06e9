"""The one door between the database and the matching engine: reads the network as the
engine's plain data (`matchmaker.matching.network`) in a handful of bulk queries, and keeps
the engine's index, built with the app's `MATCHING_WEIGHTS`, per version of the data.

Loading 36,000 CORDIS organisations this way takes seconds; the engine never touches the
database itself, and no use case passes weights around: `current_index` reads them here.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.matching import network as engine
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.weights import merge_weights
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
        organisations=tuple(_organisations(session, today)),
        projects=tuple(_projects(session)),
        exchanges=tuple(_exchanges(session)),
        today=today,
    )


def data_version(session: Session) -> tuple[object, ...]:
    """Changes whenever anything the engine reads changes: a cheap key for its index cache."""
    tables = (
        Organisation,
        Service,
        Need,
        AvailabilityWindow,
        Exchange,
    )
    stamps = [
        session.execute(select(func.count(), func.max(table.updated_at))).one() for table in tables
    ]
    counts = [
        session.scalar(select(func.count()).select_from(table))
        for table in (
            Participation,
            OrganisationLanguage,
            organisation_disciplines,
            ExchangeFeedback,
        )
    ]
    return (*(tuple(s) for s in stamps), *counts, date.today())


class IndexCache:
    """The engine index of one database, rebuilt when `data_version` changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str], tuple[tuple[object, ...], MatchIndex]] = {}

    def get(self, session: Session, weights: Mapping[str, Any] | None = None) -> MatchIndex:
        key = (str(session.get_bind().engine.url), json.dumps(weights or {}, sort_keys=True))
        version = data_version(session)
        with self._lock:
            cached = self._entries.get(key)
            if cached and cached[0] == version:
                return cached[1]
            index = MatchIndex(load_network(session), merge_weights(weights))
            self._entries[key] = (version, index)
            return index

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


INDEXES = IndexCache()


def current_index(session: Session) -> MatchIndex:
    """The engine's index of the session's database as it is now, with the app's weights."""
    weights = current_app.config.get("MATCHING_WEIGHTS") if has_app_context() else None
    return INDEXES.get(session, weights)


def _grouped(rows: Iterable[Sequence[Any]]) -> dict[int, list[Any]]:
    """(key, value) rows as {key: [values...]}, keeping their order."""
    groups: dict[int, list[Any]] = defaultdict(list)
    for key, value in rows:
        groups[key].append(value)
    return groups


def _organisations(session: Session, today: date) -> Iterable[engine.Organisation]:
    disciplines = _grouped(
        session.execute(
            select(organisation_disciplines.c.organisation_id, Discipline.slug)
            .join(Discipline, Discipline.id == organisation_disciplines.c.discipline_id)
            .order_by(organisation_disciplines.c.organisation_id, Discipline.slug)
        ).all()
    )
    languages = _grouped(
        session.execute(
            select(OrganisationLanguage.organisation_id, OrganisationLanguage.code).order_by(
                OrganisationLanguage.organisation_id, OrganisationLanguage.code
            )
        ).all()
    )
    services = _grouped(
        (row.organisation_id, engine.Entry(row.id, row.slug, row.title, row.description))
        for row in session.execute(
            select(
                Service.organisation_id,
                Service.id,
                ServiceCategory.slug,
                Service.title,
                Service.description,
            )
            .join(ServiceCategory, ServiceCategory.id == Service.category_id)
            .order_by(Service.id)
        ).all()
    )
    needs = _grouped(
        (
            row.organisation_id,
            engine.Entry(row.id, row.slug, row.title, row.description, row.priority),
        )
        for row in session.execute(
            select(
                Need.organisation_id,
                Need.id,
                ServiceCategory.slug,
                Need.title,
                Need.description,
                Need.priority,
            )
            .join(ServiceCategory, ServiceCategory.id == Need.category_id)
            .order_by(Need.id)
        ).all()
    )
    windows = _grouped(
        (row.organisation_id, engine.Window(row.kind, row.starts_on, row.ends_on, row.places))
        for row in session.execute(
            select(AvailabilityWindow)
            .where(AvailabilityWindow.ends_on >= today)
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
    for row in session.execute(select(*columns).order_by(Organisation.id)).all():
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


def _projects(session: Session) -> Iterable[engine.Project]:
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


def _exchanges(session: Session) -> Iterable[engine.PastExchange]:
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
