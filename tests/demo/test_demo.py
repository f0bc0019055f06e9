from collections import Counter
from datetime import date

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.demo.generator import build_demo_network
from matchmaker.hubs.records import Taxonomy, validate_hub
from matchmaker.models import (
    AvailabilityWindow,
    Organisation,
    OrganisationKind,
    Participation,
    Role,
    User,
)

TODAY = date(2026, 11, 21)


def test_the_same_seed_builds_the_same_network() -> None:
    assert build_demo_network(80, 7, TODAY) == build_demo_network(80, 7, TODAY)
    assert build_demo_network(80, 7, TODAY) != build_demo_network(80, 8, TODAY)


def test_the_default_network_looks_like_a_real_one() -> None:
    network = build_demo_network(72, 2026, TODAY)
    hubs = [o for o in network.organisations if o.kind is OrganisationKind.HUB]
    assert len(hubs) == 72
    assert len({hub.country for hub in hubs}) >= 20
    assert len({hub.slug for hub in network.organisations}) == len(network.organisations)
    for hub in hubs:
        assert 2 <= len(hub.services) <= 6
        assert 1 <= len(hub.needs) <= 4
        assert hub.disciplines and hub.languages and hub.latitude is not None
        offered = {service.category for service in hub.services}
        assert not offered & {need.category for need in hub.needs}
        if hub.residency_places:
            assert "residency" in offered
    texts = Counter(service.description for hub in hubs for service in hub.services)
    assert len(texts) > 60  # varied prose, not one sentence repeated
    assert all(w.starts_on > TODAY and w.places >= 1 for w in network.availability)
    for project in network.projects:
        members = [project.coordinator, *project.partners]
        assert len(members) == len(set(members)) >= 3


def test_every_demo_organisation_passes_validation() -> None:
    taxonomy = Taxonomy(
        disciplines={
            d: 0
            for d in (
                "architecture",
                "crafts",
                "design",
                "digital-media",
                "fashion",
                "film",
                "games",
                "heritage",
                "music",
                "performing-arts",
                "photography",
                "publishing",
                "visual-arts",
            )
        },
        categories={
            c: 0
            for c in (
                "coworking",
                "fablab",
                "incubation",
                "mentoring",
                "funding",
                "event-space",
                "residency",
                "training",
                "business-support",
                "audience",
                "impact",
                "internationalisation",
            )
        },
    )
    for record in build_demo_network(300, 11, TODAY).organisations:
        assert validate_hub(record, taxonomy, TODAY) == [], record.slug


def test_seed_demo_stores_the_network_and_prints_the_accounts(
    runner: FlaskCliRunner, session: Session
) -> None:
    result = runner.invoke(args=["seed-demo", "--hubs", "64", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "Demo network: 64 hubs in" in result.output
    for email in (
        "manager1@example.org",
        "manager2@example.org",
        "manager3@example.org",
        "coordinator@example.org",
        "admin@example.org",
    ):
        assert email in result.output
    assert "matchmaker-demo" in result.output
    hubs = session.scalar(select(func.count()).where(Organisation.kind == OrganisationKind.HUB))
    assert hubs == 64
    assert session.scalar(select(func.count(func.distinct(Organisation.country)))) >= 20
    assert session.scalar(select(func.count()).select_from(AvailabilityWindow)) > 64
    assert session.scalar(select(func.count()).select_from(Participation)) >= 30
    managers = session.scalars(select(User).where(User.role == Role.MANAGER)).all()
    assert len(managers) == 3 and all(m.hub is not None for m in managers)
    assert managers[0].check_password("matchmaker-demo")


def test_seed_demo_refuses_a_database_with_data(runner: FlaskCliRunner, session: Session) -> None:
    runner.invoke(args=["seed-demo", "--hubs", "60"])
    again = runner.invoke(args=["seed-demo", "--hubs", "60"])
    assert again.exit_code == 1
    assert "already holds" in again.output
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert skipped.exit_code == 0
    assert "no demo network added" in skipped.output
    assert session.scalar(select(func.count()).where(Organisation.kind == "hub")) == 60


def test_seed_demo_refuses_a_database_with_accounts(runner: FlaskCliRunner) -> None:
    runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "admin@example.org",
            "--role",
            "admin",
            "--password",
            "long enough password",
        ]
    )
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "no demo network added" in result.output


def test_some_hubs_write_in_their_own_language_and_the_accounts_read_in_several(
    session, runner
) -> None:
    from sqlalchemy import select as select_

    from matchmaker.models import Organisation as Hub
    from matchmaker.models import Service as HubService
    from matchmaker.models import User as Account

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    written = dict(
        session.execute(
            select_(Hub.city, HubService.language)
            .join(HubService, HubService.organisation_id == Hub.id)
            .where(HubService.language != "en")
        ).all()
    )
    assert set(written.values()) >= {"uk", "el", "pt", "lv"}
    assert written["Kharkiv"] == "uk" and written["Thessaloniki"] == "el"
    languages = set(session.scalars(select_(Account.language)))
    assert {"en", "fr", "uk", "de"} <= languages
