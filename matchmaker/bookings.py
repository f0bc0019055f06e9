"""Whose desks or places an exchange uses, and whether a host still has room for it.

The host's (for a swap, every hub of it hosts: the two of a two-way swap, each member of a
ring). An exchange that is agreed or on its way (`BOOKED_STATES`) holds one place of the
host's window for its dates, so a window is never promised to more guests than it has.
Exchanges record hubs and dates, not head counts: one exchange, one place at each host.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.models import (
    AvailabilityWindow,
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    Organisation,
    ParticipantRole,
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


def booked_places(
    session: Session, host_id: int, kind: ExchangeKind, starts_on: date, ends_on: date,
    other_than: int | None = None,
) -> int:  # fmt: skip
    """Places of `host_id` that exchanges of `kind` already hold in these dates."""
    query = (
        select(func.count(func.distinct(Exchange.id)))
        .join(ExchangeParticipant)
        .where(
            ExchangeParticipant.organisation_id == host_id,
            ExchangeParticipant.role.in_([ParticipantRole.HOST, ParticipantRole.RING_MEMBER]),
            Exchange.kind == kind,
            Exchange.state.in_(BOOKED_STATES),
            Exchange.starts_on <= ends_on,
            Exchange.ends_on >= starts_on,
        )
    )
    if other_than is not None:
        query = query.where(Exchange.id != other_than)
    return session.scalar(query) or 0


def room_problem(
    session: Session, host: Organisation, kind: ExchangeKind, starts_on: date, ends_on: date,
    other_than: int | None = None,
) -> str | None:  # fmt: skip
    """Why `host` cannot take this exchange in these dates, or None."""
    if kind is ExchangeKind.SHADOWING:
        return None if host.accepts_visits else f"{host.name} does not host shadowing visits"
    if kind not in WINDOW_KIND:
        return None
    what = "free desks" if kind is ExchangeKind.HOT_DESKING else "residency places"
    windows = session.scalars(
        select(AvailabilityWindow).where(
            AvailabilityWindow.organisation_id == host.id,
            AvailabilityWindow.kind == WINDOW_KIND[kind],
            AvailabilityWindow.starts_on <= starts_on,
            AvailabilityWindow.ends_on >= ends_on,
        )
    ).all()
    if not windows:
        return f"{host.name} has no {what} covering {starts_on} to {ends_on}"
    places = max(window.places for window in windows)
    if booked_places(session, host.id, kind, starts_on, ends_on, other_than) >= places:
        return f"{host.name}'s {what} for {starts_on} to {ends_on} are all taken"
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
