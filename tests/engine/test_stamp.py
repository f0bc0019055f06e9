"""The data stamp moves with every committed change the engine reads, and only then; its
log tells the builder which hubs changed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from matchmaker.engine.stamp import changes_since, committed_version
from matchmaker.models import (
    Exchange,
    ExchangeKind,
    ExchangeParticipant,
    IndexChange,
    Organisation,
    OrganisationKind,
    ParticipantRole,
    Project,
    ProjectSource,
    Service,
    ServiceCategory,
    User,
)
from tests.support.builders import hub, make_hub, person


def log(session, after: int) -> tuple[set[int], set[str]]:
    _, hubs, scopes = changes_since(session, after)
    return hubs, scopes


def test_editing_a_service_moves_the_stamp_once_and_names_the_hub(session) -> None:
    yeast = make_hub(session, "yeast-house")
    session.commit()
    before = committed_version(session)
    service = yeast.services[0]
    service.title = "Laser cutting for beginners"
    session.add(
        Service(
            organisation_id=yeast.id,
            category_id=service.category_id,
            title="Ceramics kiln hire",
        )
    )
    session.commit()
    assert committed_version(session) == before + 1
    assert log(session, before) == ({yeast.id}, set())


def test_a_service_added_through_the_relationship_names_its_hub(session) -> None:
    yeast = make_hub(session, "yeast-house")
    session.commit()
    before = committed_version(session)
    category = session.scalars(select(ServiceCategory)).first()
    yeast.services.append(Service(category_id=category.id, title="Sound studio"))
    session.commit()
    assert log(session, before) == ({yeast.id}, set())


def test_a_deleted_service_and_a_new_hub_are_logged_by_hub(session) -> None:
    yeast = make_hub(session, "yeast-house")
    session.commit()
    before = committed_version(session)
    session.delete(yeast.services[0])
    kiln = hub(session, "kiln-hall")
    session.commit()
    assert log(session, before) == ({yeast.id, kiln.id}, set())


def test_changes_the_engine_does_not_read_leave_the_stamp(session) -> None:
    yeast = make_hub(session, "yeast-house")
    session.commit()
    before = committed_version(session)
    person(session, "someone@example.org", hub=yeast)
    session.commit()
    user = session.scalar(select(User).where(User.email == "someone@example.org"))
    user.email = "someone.else@example.org"
    session.commit()
    assert committed_version(session) == before


def test_a_rolled_back_change_leaves_the_stamp(session) -> None:
    yeast = make_hub(session, "yeast-house")
    session.commit()
    before = committed_version(session)
    nested = session.begin_nested()
    yeast.name = "Yeast House Riga"
    session.flush()
    nested.rollback()
    session.rollback()
    assert committed_version(session) == before


def test_exchanges_projects_and_bulk_writes_have_their_scopes(session) -> None:
    yeast = make_hub(session, "yeast-house")
    kiln = make_hub(session, "kiln-hall", name="Kiln Hall")
    session.commit()
    before = committed_version(session)
    exchange = Exchange(
        kind=ExchangeKind.SHADOWING, starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 3)
    )
    exchange.participants = [
        ExchangeParticipant(organisation=yeast, role=ParticipantRole.GUEST, position=0),
        ExchangeParticipant(organisation=kiln, role=ParticipantRole.HOST, position=1),
    ]
    session.add(exchange)
    session.commit()
    assert log(session, before)[1] == {"exchanges"}
    middle = committed_version(session)
    session.add(
        Project(
            source=ProjectSource.MANUAL,
            external_id="baltic-1",
            title="Baltic bridges",
            programme="Creative Europe",
            start_year=2024,
        )
    )
    session.commit()
    assert log(session, middle) == (set(), {"projects"})
    last = committed_version(session)
    session.execute(
        insert(Organisation).values(
            slug="bulk-hub", name="Bulk Hub", country="LV", kind=OrganisationKind.HUB
        )
    )
    session.commit()
    assert log(session, last) == (set(), {"all"})
    assert committed_version(session) == last + 1
    assert session.scalar(select(IndexChange.version).order_by(IndexChange.id.desc())) == last + 1
