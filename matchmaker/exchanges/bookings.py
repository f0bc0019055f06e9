"""Whose desks or places an exchange uses, and whether a host still has room for it.

The host's (for a swap, every hub of it hosts: the two of a two-way swap, each member of a
ring). An exchange that is agreed or on its way (`BOOKED_STATES`) holds one place of the
host's window for its dates, so a window is never promised to more guests than it has.
Exchanges record hubs and dates, not head counts: one exchange, one place at each host. A
residency round's placements that are allocated but not yet published hold their places
too (`held_by_rounds`), so nothing else is promised the places a round is about to fill.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.matching.message import Day, Kind, Message, Value, said
from matchmaker.models import (
    AvailabilityWindow,
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    Organisation,
    ParticipantRole,
    ResidencyRound,
    RoundApplication,
    RoundState,
)

S = ExchangeState
BOOKED_STATES = (S.ACCEPTED, S.PENDING_APPROVAL, S.APPROVED, S.SCHEDULED)
WINDOW_KIND = {
    ExchangeKind.HOT_DESKING: AvailabilityKind.DESKS,
    ExchangeKind.RESIDENCY: AvailabilityKind.RESIDENCY,
}


def hosts_of(exchange: Exchange) -> list[ExchangeParticipant]:
    """The participants whose desks or places the exchange uses."""
    if exchange.kind is ExchangeKind.HOT_DESKING:
        return list(exchange.participants)
    return [p for p in exchange.participants if p.role is ParticipantRole.HOST]


def guests_of(exchange: Exchange) -> list[ExchangeParticipant]:
    """The participants whose people travel to a host for a visit or a residency."""
    return [p for p in exchange.participants if p.role is ParticipantRole.GUEST]


def held_by_rounds(
    session: Session,
    host_ids: Iterable[int],
    starts_on: date,
    ends_on: date,
    outside_round: int | None = None,
) -> Counter[int]:
    """Residency places at each of `host_ids` in these dates that allocated rounds'
    placements hold until they are published (then their residencies hold them), except
    in `outside_round`."""
    query = (
        select(RoundApplication.placed_host_id, func.count(RoundApplication.id))
        .join(ResidencyRound, ResidencyRound.id == RoundApplication.round_id)
        .where(
            ResidencyRound.state == RoundState.ALLOCATED,
            RoundApplication.placed_host_id.in_(list(host_ids)),
            RoundApplication.exchange_id.is_(None),
            RoundApplication.starts_on <= ends_on,
            RoundApplication.ends_on >= starts_on,
        )
        .group_by(RoundApplication.placed_host_id)
    )
    if outside_round is not None:
        query = query.where(RoundApplication.round_id != outside_round)
    # The filter on `placed_host_id` leaves no None among the hosts.
    return Counter({host: n for host, n in session.execute(query).all() if host is not None})


def booked_by_host(
    session: Session,
    host_ids: Iterable[int],
    kind: ExchangeKind,
    starts_on: date,
    ends_on: date,
    other_than: int | None = None,
    outside_round: int | None = None,
) -> Counter[int]:
    """Places of each of `host_ids` that exchanges of `kind` already hold in these dates,
    and for residencies the unpublished placements of allocated rounds (but
    `outside_round`'s): two queries for any number of hosts."""
    hosts = list(host_ids)
    query = (
        select(ExchangeParticipant.organisation_id, func.count(func.distinct(Exchange.id)))
        .join(Exchange, Exchange.id == ExchangeParticipant.exchange_id)
        .where(
            ExchangeParticipant.organisation_id.in_(hosts),
            ExchangeParticipant.role.in_([ParticipantRole.HOST, ParticipantRole.RING_MEMBER]),
            Exchange.kind == kind,
            Exchange.state.in_(BOOKED_STATES),
            Exchange.starts_on <= ends_on,
            Exchange.ends_on >= starts_on,
        )
        .group_by(ExchangeParticipant.organisation_id)
    )
    if other_than is not None:
        query = query.where(Exchange.id != other_than)
    booked = Counter(dict(session.execute(query).all()))
    if kind is ExchangeKind.RESIDENCY:
        booked.update(held_by_rounds(session, hosts, starts_on, ends_on, outside_round))
    return booked


def booked_places(
    session: Session,
    host_id: int,
    kind: ExchangeKind,
    starts_on: date,
    ends_on: date,
    other_than: int | None = None,
    outside_round: int | None = None,
) -> int:
    """`booked_by_host` for one host."""
    return booked_by_host(session, [host_id], kind, starts_on, ends_on, other_than, outside_round)[
        host_id
    ]


def covering_windows(
    session: Session, host_id: int, kind: ExchangeKind, starts_on: date, ends_on: date
) -> list[AvailabilityWindow]:
    """The host's windows of this kind that hold the whole of these dates."""
    return list(
        session.scalars(
            select(AvailabilityWindow).where(
                AvailabilityWindow.organisation_id == host_id,
                AvailabilityWindow.kind == WINDOW_KIND[kind],
                AvailabilityWindow.starts_on <= starts_on,
                AvailabilityWindow.ends_on >= ends_on,
            )
        )
    )


def room_problem(
    session: Session,
    host: Organisation,
    kind: ExchangeKind,
    starts_on: date,
    ends_on: date,
    other_than: int | None = None,
    *,
    also_held: int = 0,
    outside_round: int | None = None,
) -> Message | None:
    """Why `host` cannot take this exchange in these dates, or None. `also_held`: places
    that bookings not stored yet hold in these dates (a round's placements being checked
    one after another)."""
    if kind is ExchangeKind.SHADOWING:
        if host.accepts_visits:
            return None
        return said("%(hub)s does not host shadowing visits", hub=host.name)
    if kind not in WINDOW_KIND:
        return None
    desks = kind is ExchangeKind.HOT_DESKING
    dates: dict[str, Value] = {"hub": host.name, "start": Day(starts_on), "end": Day(ends_on)}
    windows = covering_windows(session, host.id, kind, starts_on, ends_on)
    if not windows:
        if desks:
            return said("%(hub)s has no free desks covering %(start)s to %(end)s", **dates)
        return said("%(hub)s has no residency places covering %(start)s to %(end)s", **dates)
    places = max(window.places for window in windows)
    booked = booked_places(session, host.id, kind, starts_on, ends_on, other_than, outside_round)
    if booked + also_held >= places:
        if desks:
            return said("%(hub)s's free desks for %(start)s to %(end)s are all taken", **dates)
        return said("%(hub)s's residency places for %(start)s to %(end)s are all taken", **dates)
    return None


def lock_windows(session: Session, kind: ExchangeKind, host_ids: Iterable[int]) -> None:
    """Hold the hosts' windows of this kind until the transaction ends (SELECT ... FOR
    UPDATE; always in id order, so two transactions never wait on each other in a circle):
    a second booking of the same places waits, then counts the first."""
    window_kind = WINDOW_KIND.get(kind)
    ids = sorted(set(host_ids))
    if window_kind is None or not ids:
        return
    session.scalars(
        select(AvailabilityWindow.id)
        .where(AvailabilityWindow.organisation_id.in_(ids), AvailabilityWindow.kind == window_kind)
        .order_by(AvailabilityWindow.id)
        .with_for_update()
    ).all()


def away_problem(
    session: Session,
    guest: Organisation,
    starts_on: date,
    ends_on: date,
    other_than: int | None = None,
    outside_round: int | None = None,
) -> Message | None:
    """Why `guest`'s people cannot go on a visit or a residency in these dates: they are
    booked elsewhere then, as the guests of another agreed visit or residency, or placed by
    a round whose allocation is not published yet. The same people are never booked in two
    places at once, whichever feature booked them."""
    clash = session.scalar(
        select(Exchange)
        .join(ExchangeParticipant, ExchangeParticipant.exchange_id == Exchange.id)
        .where(
            ExchangeParticipant.organisation_id == guest.id,
            ExchangeParticipant.role == ParticipantRole.GUEST,
            Exchange.kind.in_([ExchangeKind.SHADOWING, ExchangeKind.RESIDENCY]),
            Exchange.state.in_(BOOKED_STATES),
            Exchange.starts_on <= ends_on,
            Exchange.ends_on >= starts_on,
            Exchange.id != (other_than or 0),
        )
        .order_by(Exchange.starts_on)
        .limit(1)
    )
    if clash is not None:
        host = next(p.organisation for p in clash.participants if p.role is ParticipantRole.HOST)
        assert clash.starts_on is not None and clash.ends_on is not None  # the query's dates
        return said(
            "%(guest)s is away then: a %(kind)s at %(host)s from %(start)s to %(end)s "
            "(exchange #%(number)s)",
            guest=guest.name,
            kind=Kind(clash.kind),
            host=host.name,
            start=Day(clash.starts_on),
            end=Day(clash.ends_on),
            number=str(clash.id),
        )
    query = (
        select(RoundApplication)
        .join(ResidencyRound, ResidencyRound.id == RoundApplication.round_id)
        .where(
            ResidencyRound.state == RoundState.ALLOCATED,
            RoundApplication.hub_id == guest.id,
            RoundApplication.placed_host_id.is_not(None),
            RoundApplication.exchange_id.is_(None),
            RoundApplication.starts_on <= ends_on,
            RoundApplication.ends_on >= starts_on,
        )
        .limit(1)
    )
    if outside_round is not None:
        query = query.where(RoundApplication.round_id != outside_round)
    placed = session.scalar(query)
    if placed is not None and placed.placed_host is not None:
        return said(
            "%(guest)s is away then: placed by the round “%(round)s” at %(host)s from "
            "%(start)s to %(end)s",
            guest=guest.name,
            round=placed.round.name,
            host=placed.placed_host.name,
            start=Day(placed.starts_on),
            end=Day(placed.ends_on),
        )
    return None
