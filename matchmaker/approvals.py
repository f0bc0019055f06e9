"""Coordinators approve or reject accepted residencies, within the funding round's budget
and the host's residency places.

Two coordinators may approve at the same moment: the approval locks the round's row
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite lets one writer at a time) before it
counts what is spent, so the second sees the first's spending and is refused when the
money or the places have run out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.exchanges.bookings import held_by_rounds, hosts_of
from matchmaker.exchanges.proposals import confirm_scheduled, managers_of
from matchmaker.field_input import FieldReader, InputError
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.matching.residency import Applicant
from matchmaker.matching.residency import ResidencyRound as RoundRules
from matchmaker.models import (
    AvailabilityWindow,
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    ResidencyRound,
    RoundApplication,
    RoundState,
    User,
)
from matchmaker.notifications import notify
from matchmaker.permissions import require_coordinator

S = ExchangeState
MAX_MONEY = Decimal("100000000")


@dataclass(frozen=True)
class Funding:
    """What a coordinator sees next to a residency waiting for approval."""

    round: ResidencyRound | None
    cost: Decimal | None
    budget_left: Decimal | None
    places: int  # the host's residency places in these dates
    places_taken: int  # by approved or scheduled residencies and unpublished placements


def residency_cost(round_: ResidencyRound, starts_on: date, ends_on: date) -> Decimal:
    """The round's price of a residency of these dates (the engine's rule)."""
    weeks = -(-((ends_on - starts_on).days + 1) // 7)
    rules = RoundRules(
        round_.starts_on,
        round_.ends_on,
        float(round_.budget),
        float(round_.cost_per_residency),
        float(round_.cost_per_week),
    )
    return Decimal(str(rules.cost_of(Applicant(0, "", (), weeks=weeks)))).quantize(Decimal("0.01"))


def funding_round(
    session: Session, exchange: Exchange, lock: bool = False
) -> ResidencyRound | None:
    """The open or allocated round whose window holds the residency's dates."""
    if exchange.starts_on is None or exchange.ends_on is None:
        return None
    query = (
        select(ResidencyRound)
        .where(
            ResidencyRound.state.in_([RoundState.OPEN, RoundState.ALLOCATED, RoundState.PUBLISHED]),
            ResidencyRound.starts_on <= exchange.starts_on,
            ResidencyRound.ends_on >= exchange.ends_on,
        )
        .order_by(ResidencyRound.id)
        .limit(1)
    )
    if exchange.round_id is not None:
        query = select(ResidencyRound).where(ResidencyRound.id == exchange.round_id)
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def spent(session: Session, round_: ResidencyRound) -> Decimal:
    total = session.scalar(
        select(func.coalesce(func.sum(Exchange.cost), 0)).where(
            Exchange.round_id == round_.id,
            Exchange.state.in_([S.APPROVED, S.SCHEDULED, S.COMPLETED, S.NO_SHOW]),
        )
    )
    return Decimal(total or 0)


def reserved(session: Session, round_: ResidencyRound) -> Decimal:
    """What the round's allocated, unpublished placements will cost: the money they hold
    until publishing turns them into approved residencies."""
    if round_.state is not RoundState.ALLOCATED:
        return Decimal(0)
    total = session.scalar(
        select(func.coalesce(func.sum(RoundApplication.cost), 0)).where(
            RoundApplication.round_id == round_.id,
            RoundApplication.placed_host_id.is_not(None),
            RoundApplication.exchange_id.is_(None),
        )
    )
    return Decimal(total or 0)


def budget_left(session: Session, round_: ResidencyRound) -> Decimal:
    """The round's budget less what approved residencies spent and its placements hold."""
    return round_.budget - spent(session, round_) - reserved(session, round_)


def _approved_at_host(session: Session, host_id: int, exchange: Exchange) -> int:
    """Residencies already approved (or on their way) at the host in these dates."""
    assert exchange.starts_on and exchange.ends_on
    approved = session.scalar(
        select(func.count(func.distinct(Exchange.id)))
        .join(ExchangeParticipant)
        .where(
            ExchangeParticipant.organisation_id == host_id,
            Exchange.id != exchange.id,
            Exchange.kind == ExchangeKind.RESIDENCY,
            Exchange.state.in_([S.APPROVED, S.SCHEDULED]),
            Exchange.starts_on <= exchange.ends_on,
            Exchange.ends_on >= exchange.starts_on,
        )
    )
    held = held_by_rounds(session, [host_id], exchange.starts_on, exchange.ends_on)[host_id]
    return (approved or 0) + held


def _host_places(session: Session, host_id: int, exchange: Exchange) -> int:
    places = session.scalar(
        select(func.max(AvailabilityWindow.places)).where(
            AvailabilityWindow.organisation_id == host_id,
            AvailabilityWindow.kind == AvailabilityKind.RESIDENCY,
            AvailabilityWindow.starts_on <= exchange.starts_on,
            AvailabilityWindow.ends_on >= exchange.ends_on,
        )
    )
    return places or 0


def funding(session: Session, exchange: Exchange) -> Funding:
    round_ = funding_round(session, exchange)
    (host,) = hosts_of(exchange)
    places = _host_places(session, host.organisation_id, exchange)
    taken = _approved_at_host(session, host.organisation_id, exchange)
    if round_ is None or exchange.starts_on is None or exchange.ends_on is None:
        return Funding(round_, None, None, places, taken)
    cost = residency_cost(round_, exchange.starts_on, exchange.ends_on)
    return Funding(round_, cost, budget_left(session, round_), places, taken)


def approval_queue(session: Session, user: User | None) -> list[tuple[Exchange, Funding]]:
    require_coordinator(user)
    waiting = session.scalars(
        select(Exchange)
        .where(Exchange.state == S.PENDING_APPROVAL)
        .options(selectinload(Exchange.participants).selectinload(ExchangeParticipant.organisation))
        .order_by(Exchange.state_changed_at, Exchange.id)
    ).all()
    return [(exchange, funding(session, exchange)) for exchange in waiting]


def _tell_both(session: Session, exchange: Exchange, topic: str, subject: str, body: str) -> None:
    users = [u for p in exchange.participants for u in managers_of(session, p.organisation_id)]
    notify(session, users, topic, subject, body, f"/exchanges/{exchange.id}", exchange)


def approve(
    session: Session, user: User | None, exchange: Exchange, now: datetime | None = None
) -> Exchange:
    """Approve within budget and places, then schedule; refuses with the reason otherwise."""
    require_coordinator(user)
    now = now or datetime.now(UTC)
    if exchange.kind is not ExchangeKind.RESIDENCY or exchange.state is not S.PENDING_APPROVAL:
        raise InputError({"exchange": "only a residency waiting for approval can be approved"})
    round_ = funding_round(session, exchange, lock=True)
    if round_ is None:
        raise InputError(
            {
                "exchange": "no open residency round funds these dates: open a round that "
                "covers them, or reject the residency"
            }
        )
    assert exchange.starts_on and exchange.ends_on
    session.refresh(exchange)  # the state as it is now, under the round's lock
    if exchange.state is not S.PENDING_APPROVAL:
        raise InputError({"exchange": f"it is already {exchange.state.value.replace('_', ' ')}"})
    cost = residency_cost(round_, exchange.starts_on, exchange.ends_on)
    left = budget_left(session, round_)
    if cost > left:
        raise InputError(
            {"exchange": f"it costs {cost} and the round {round_.name!r} has {left} left"}
        )
    (host,) = hosts_of(exchange)
    places = _host_places(session, host.organisation_id, exchange)
    if _approved_at_host(session, host.organisation_id, exchange) >= places:
        raise InputError(
            {"exchange": f"{host.organisation.name} has no residency place left in these dates"}
        )
    _tell_both(
        session,
        exchange,
        "residency_approved",
        "Your residency is approved",
        f"The residency at {host.organisation.name} from {exchange.starts_on} to "
        f"{exchange.ends_on} is approved, funded by {round_.name}.",
    )
    schedule_funded(session, exchange, round_, cost, now)
    session.commit()
    return exchange


def schedule_funded(
    session: Session, exchange: Exchange, round_: ResidencyRound, cost: Decimal, now: datetime
) -> None:
    """A residency waiting for approval is funded by the round, approved and scheduled, and
    everyone in it gets the confirmation with the calendar event: a single approval and a
    published round take the same steps."""
    exchange.round_id, exchange.cost = round_.id, cost
    exchange.move_to(S.APPROVED)
    exchange.move_to(S.SCHEDULED)
    exchange.state_changed_at = now
    confirm_scheduled(session, exchange)


def reject(
    session: Session,
    user: User | None,
    exchange: Exchange,
    reason: str,
    now: datetime | None = None,
) -> Exchange:
    require_coordinator(user)
    fields = FieldReader({"reason": reason})
    reason = fields.text("reason", required=True, limit=2000) or ""
    fields.done()
    if exchange.state is not S.PENDING_APPROVAL:
        raise InputError({"exchange": "only a residency waiting for approval can be rejected"})
    exchange.move_to(S.REJECTED, reason)
    exchange.state_changed_at = now or datetime.now(UTC)
    _tell_both(
        session,
        exchange,
        "residency_rejected",
        "Your residency was not approved",
        f"A coordinator did not approve the residency: {reason}",
    )
    session.commit()
    return exchange


def open_round(session: Session, user: User | None, data: Mapping[str, Any]) -> ResidencyRound:
    """A coordinator opens a round: window, budget, costs and the application deadline."""
    user = require_coordinator(user)
    fields = FieldReader(data)
    name = fields.text("name", required=True, limit=200, one_line=True)
    description = fields.text("description", limit=5000) or ""
    starts_on = fields.day("starts_on", required=True)
    ends_on = fields.day("ends_on", required=True)
    closes_on = fields.day("applications_close_on")
    money = {}
    for field in ("budget", "cost_per_residency", "cost_per_week"):
        value = fields.number(field)
        if value is None and field == "budget":
            fields.problem(field, "this is required")
        elif value is not None and not 0 <= value <= MAX_MONEY:
            fields.problem(field, f"must be between 0 and {MAX_MONEY}")
        money[field] = Decimal(str(value or 0)).quantize(Decimal("0.01"))
    fields.done()
    assert starts_on and ends_on
    if ends_on < starts_on:
        raise InputError({"ends_on": "must be on or after the start date"})
    if closes_on and closes_on > starts_on:
        raise InputError({"applications_close_on": "must be on or before the round starts"})
    if money["cost_per_residency"] + money["cost_per_week"] <= 0:
        raise InputError({"cost_per_residency": "give a cost per residency or per week"})
    round_ = ResidencyRound(
        name=name,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        applications_close_on=closes_on,
        created_by=user,
        **money,
    )
    session.add(round_)
    session.commit()
    return round_


def rounds(session: Session) -> list[tuple[ResidencyRound, Decimal]]:
    """Every round with what it has spent."""
    found = session.scalars(select(ResidencyRound).order_by(ResidencyRound.starts_on.desc()))
    return [(round_, spent(session, round_)) for round_ in found]
