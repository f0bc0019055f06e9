"""Store a demo network in an empty database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from matchmaker.accounts.users import create_user
from matchmaker.demo.generator import AccountRecord, build_demo_network
from matchmaker.demo.local_texts import LOCAL_NEEDS, LOCAL_SERVICES
from matchmaker.hubs.records import Taxonomy, save_hubs, validate_hub
from matchmaker.models import (
    AvailabilityWindow,
    Need,
    Organisation,
    OrganisationKind,
    Participation,
    ParticipationRole,
    Project,
    ProjectSource,
    ResidencyRound,
    Role,
    Service,
    User,
)

DEFAULT_HUBS = 72
DEFAULT_SEED = 2026


class DatabaseNotEmpty(RuntimeError):
    """seed-demo fills an empty database only, so it never mixes with real data."""


@dataclass
class SeedSummary:
    organisations: int
    hubs: int
    countries: int
    availability_windows: int
    projects: int
    accounts: list[AccountRecord]


def stored_counts(session: Session) -> tuple[int, int]:
    """Organisations and user accounts already in the database."""
    return (
        session.scalar(select(func.count()).select_from(Organisation)) or 0,
        session.scalar(select(func.count()).select_from(User)) or 0,
    )


def demo_round(session: Session, today: date) -> ResidencyRound:
    """An open residency round, so a manager can apply and the coordinator allocate and
    publish it right after `make run`: most demo hosts have residency places in it."""
    session.flush()
    coordinator = session.scalar(select(User).where(User.role == Role.COORDINATOR).limit(1))
    return ResidencyRound(
        name="Manager residencies, demo round",
        description="Two to eight weeks at another hub of the network, funded by the programme.",
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=120),
        applications_close_on=today + timedelta(days=21),
        budget=Decimal("6000"),
        cost_per_residency=Decimal("300"),
        cost_per_week=Decimal("150"),
        created_by=coordinator,
    )


def seed_demo(
    session: Session, hubs: int = DEFAULT_HUBS, seed: int = DEFAULT_SEED, today: date | None = None
) -> SeedSummary:
    """Build the demo network and store it, all in one transaction."""
    organisations, users = stored_counts(session)
    if organisations or users:
        raise DatabaseNotEmpty(
            f"the database already holds {organisations} organisations and {users} accounts; "
            "seed-demo only fills an empty database"
        )
    today = today or date.today()
    network = build_demo_network(hubs, seed, today)
    taxonomy = Taxonomy.load(session)
    for record in network.organisations:
        if problems := validate_hub(record, taxonomy, today):
            raise ValueError(f"demo hub {record.slug} is invalid: {problems}")
    try:
        ids = save_hubs(session, network.organisations, taxonomy, detect_languages=False).ids
        if network.availability:
            session.execute(
                insert(AvailabilityWindow),
                [
                    {
                        "organisation_id": ids[w.slug],
                        "kind": w.kind,
                        "starts_on": w.starts_on,
                        "ends_on": w.ends_on,
                        "places": w.places,
                        "note": w.note,
                    }
                    for w in network.availability
                ],
            )
        project_ids = session.scalars(
            insert(Project).returning(Project.id, sort_by_parameter_order=True),
            [
                {
                    "source": ProjectSource.DEMO,
                    "external_id": p.external_id,
                    "title": p.title,
                    "programme": p.programme,
                    "start_year": p.start_year,
                    "end_year": p.start_year + p.duration_months // 12,
                    "duration_months": p.duration_months,
                }
                for p in network.projects
            ],
        ).all()
        session.execute(
            insert(Participation),
            [
                {"project_id": project_id, "organisation_id": ids[slug], "role": role}
                for project_id, project in zip(project_ids, network.projects, strict=True)
                for slug, role in [
                    (project.coordinator, ParticipationRole.COORDINATOR),
                    *((slug, ParticipationRole.PARTNER) for slug in project.partners),
                ]
            ],
        )
        written_in_own_language(session)
        for account in network.accounts:
            create_user(
                session,
                account.email,
                account.role,
                account.password,
                account.hub_slug,
                account.name,
            ).language = account.language
        session.add(demo_round(session, today))
        session.commit()
    except Exception:
        session.rollback()
        raise
    hub_records = [r for r in network.organisations if r.kind == "hub"]
    return SeedSummary(
        organisations=len(network.organisations),
        hubs=len(hub_records),
        countries=len({r.country for r in hub_records}),
        availability_windows=len(network.availability),
        projects=len(network.projects),
        accounts=network.accounts,
    )


def written_in_own_language(session: Session) -> None:
    """The demo knows the language of every text it wrote: no detection needed."""
    for table in (Service, Need):
        texts = LOCAL_SERVICES if table is Service else LOCAL_NEEDS
        for language, by_category in texts.items():
            titles = [title for title, _ in by_category.values()]
            session.execute(update(table).where(table.title.in_(titles)).values(language=language))
        session.execute(update(table).where(table.language.is_(None)).values(language="en"))


def manage_every_hub(session: Session, password_hash: str) -> int:
    """Give every hub without a manager one, in one statement (the digest's benchmark and
    tests need thousands of recipients); returns how many managers there are now."""
    managed = select(User.hub_id).where(User.hub_id.is_not(None))
    unmanaged = session.scalars(
        select(Organisation.id).where(
            Organisation.kind == OrganisationKind.HUB, Organisation.id.not_in(managed)
        )
    ).all()
    if unmanaged:
        session.execute(
            insert(User),
            [
                {
                    "email": f"manager-{hub}@bench.example.org",
                    "role": Role.MANAGER,
                    "hub_id": hub,
                    "password_hash": password_hash,
                    "name": f"Manager {hub}",
                    "is_active": True,
                }
                for hub in unmanaged
            ],
        )
    session.commit()
    return session.scalar(select(func.count()).where(User.role == Role.MANAGER)) or 0
