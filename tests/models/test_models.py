from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from matchmaker.models import (
    AvailabilityKind,
    AvailabilityWindow,
    Base,
    Exchange,
    ExchangeKind,
    ExchangeParticipant,
    ExchangeState,
    InvalidTransition,
    MembershipKind,
    Organisation,
    OrganisationKind,
    ParticipantRole,
    Role,
    SignInFailure,
    User,
    next_states,
)
from tests.support.builders import make_hub

CRITERIA = ("supports_ccis", "hosts_ccis_community", "has_physical_space", "develops_community")


@given(is_member=st.booleans(), criteria=st.tuples(*[st.booleans()] * 4))
def test_membership_kind_is_derived_from_the_four_criteria(
    is_member: bool, criteria: tuple[bool, ...]
) -> None:
    hub = Organisation(is_member=is_member, **dict(zip(CRITERIA, criteria, strict=True)))
    if not is_member:
        assert hub.membership_kind is None
    elif all(criteria):
        assert hub.membership_kind is MembershipKind.REGULAR
    else:
        assert hub.membership_kind is MembershipKind.ASSOCIATE


def test_membership_kind_can_be_queried(session: Session) -> None:
    make_hub(session, "all-four")
    make_hub(session, "no-space", has_physical_space=False)
    make_hub(session, "partner-only", is_member=False)
    rows = dict(session.execute(select(Organisation.slug, Organisation.membership_kind)).all())
    assert rows == {"all-four": "regular", "no-space": "associate", "partner-only": None}


@pytest.mark.parametrize(
    ("column", "value"),
    [("desks", -1), ("residency_places", -2), ("latitude", 91.0), ("country", "PRT")],
)
def test_the_database_refuses_impossible_hubs(session: Session, column: str, value: object) -> None:
    hub = make_hub(session)
    setattr(hub, column, value)
    # PostgreSQL refuses an over-long string as a DataError before any CHECK runs.
    with pytest.raises((IntegrityError, DataError)), session.begin_nested():
        session.flush()


def test_coordinates_come_in_pairs(session: Session) -> None:
    hub = make_hub(session)
    hub.longitude = None
    with pytest.raises(IntegrityError), session.begin_nested():
        session.flush()


def test_an_availability_window_cannot_end_before_it_starts(session: Session) -> None:
    hub = make_hub(session)
    hub.availability.append(
        AvailabilityWindow(
            kind=AvailabilityKind.DESKS,
            starts_on=date(2027, 3, 10),
            ends_on=date(2027, 3, 1),
            places=2,
        )
    )
    with pytest.raises(IntegrityError), session.begin_nested():
        session.flush()


def test_overlap_of_windows() -> None:
    window = AvailabilityWindow(starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 31))
    assert window.overlaps(date(2027, 3, 31), date(2027, 4, 5))
    assert not window.overlaps(date(2027, 4, 1), date(2027, 4, 5))


def test_a_manager_needs_a_hub(session: Session) -> None:
    user = User(email="m@example.org", role=Role.MANAGER, password_hash="x")
    session.add(user)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.flush()


def test_passwords_are_hashed_with_scrypt() -> None:
    user = User(email="c@example.org", role=Role.COORDINATOR)
    user.set_password("a long passphrase")
    assert user.password_hash.startswith("scrypt:")
    assert "a long passphrase" not in user.password_hash
    assert user.check_password("a long passphrase")
    assert not user.check_password("a long passphrasE")


def test_deleting_a_hub_removes_its_services_and_needs(session: Session) -> None:
    hub = make_hub(session)
    session.delete(hub)
    session.flush()
    assert session.scalars(select(Organisation)).all() == []


@pytest.mark.parametrize("kind", list(ExchangeKind))
def test_every_exchange_can_reach_completion_and_only_residencies_need_approval(
    kind: ExchangeKind,
) -> None:
    exchange = Exchange(kind=kind, state=ExchangeState.PROPOSED)
    exchange.move_to(ExchangeState.ACCEPTED)
    if kind is ExchangeKind.RESIDENCY:
        assert not exchange.can_move_to(ExchangeState.SCHEDULED)
        exchange.move_to(ExchangeState.PENDING_APPROVAL)
        exchange.move_to(ExchangeState.APPROVED)
    else:
        assert not exchange.can_move_to(ExchangeState.PENDING_APPROVAL)
    exchange.move_to(ExchangeState.SCHEDULED)
    exchange.move_to(ExchangeState.COMPLETED)
    assert exchange.is_final


def test_final_states_lead_nowhere() -> None:
    for kind in ExchangeKind:
        for state in (ExchangeState.DECLINED, ExchangeState.COMPLETED, ExchangeState.REJECTED):
            assert next_states(kind, state) == frozenset()


def test_an_impossible_move_is_refused_with_the_allowed_ones() -> None:
    exchange = Exchange(kind=ExchangeKind.SHADOWING, state=ExchangeState.DECLINED)
    with pytest.raises(InvalidTransition, match="cannot go from declined to scheduled"):
        exchange.move_to(ExchangeState.SCHEDULED)
    assert exchange.state is ExchangeState.DECLINED


def test_a_swap_ring_is_stored_in_order(session: Session) -> None:
    hubs = [make_hub(session, slug) for slug in ("ring-a", "ring-b", "ring-c")]
    exchange = Exchange(kind=ExchangeKind.HOT_DESKING, message="Three-way swap in March")
    for position, hub in reversed(list(enumerate(hubs))):
        exchange.participants.append(
            ExchangeParticipant(
                organisation=hub, role=ParticipantRole.RING_MEMBER, position=position
            )
        )
    session.add(exchange)
    session.flush()
    session.expire_all()
    stored = session.scalars(select(Exchange)).one()
    assert [p.organisation.slug for p in stored.participants] == ["ring-a", "ring-b", "ring-c"]
    assert stored.state is ExchangeState.PROPOSED


def test_constraints_follow_the_naming_convention() -> None:
    names = {
        constraint.name
        for table in Base.metadata.tables.values()
        for constraint in table.constraints
    }
    assert "pk_organisations" in names
    assert "uq_organisations_slug" in names
    assert "ck_organisations_desks_not_negative" in names
    assert "fk_services_organisation_id_organisations" in names
    assert all(name for name in names)


def test_partner_organisations_are_not_hubs(session: Session) -> None:
    university = make_hub(session, "uni-porto", kind=OrganisationKind.UNIVERSITY, is_member=False)
    assert university.kind is OrganisationKind.UNIVERSITY
    assert university.membership_kind is None


def test_moments_come_back_aware_and_in_utc(session: Session) -> None:
    """Whatever zone a moment is written in, the database under test (SQLite keeps none)
    hands it back as the same instant, aware and in UTC; so does its own clock."""
    lisbon_summer = timezone(timedelta(hours=1))
    written = datetime(2027, 6, 1, 10, 30, 15, 250000, tzinfo=lisbon_summer)
    session.add(SignInFailure(key="email:someone@example.org", failed_at=written))
    hub = make_hub(session)
    session.flush()
    session.expire_all()
    stored = session.scalars(select(SignInFailure)).one()
    assert stored.failed_at == datetime(2027, 6, 1, 9, 30, 15, 250000, tzinfo=UTC)
    assert stored.failed_at.tzinfo is UTC
    assert session.get(Organisation, hub.id).created_at.tzinfo is UTC  # server_default now()
    latest = session.scalar(select(func.max(SignInFailure.failed_at)))
    assert latest == written and latest.tzinfo is UTC


def test_a_move_notes_when_it_happened(session: Session) -> None:
    """`move_to` keeps `state_changed_at` with the state: the use case's clock when given,
    the database's otherwise."""
    exchange = Exchange(kind=ExchangeKind.SHADOWING, state=ExchangeState.PROPOSED)
    session.add(exchange)
    session.flush()
    at = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    exchange.move_to(ExchangeState.ACCEPTED, at=at)
    assert exchange.state_changed_at == at
    session.flush()
    session.expire_all()
    assert exchange.state_changed_at == at
    exchange.move_to(ExchangeState.SCHEDULED)
    session.flush()
    session.expire_all()
    assert exchange.state_changed_at.tzinfo is UTC
    assert abs(exchange.state_changed_at - datetime.now(UTC)) < timedelta(minutes=5)
