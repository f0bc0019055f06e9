"""A round's money and its hosts' places: what a residency costs, what a round has spent
and holds for unpublished placements, what is left, and the funding of one residency.

Counted after the round's row is locked (see `approvals`), so two coordinators approving
at once never spend beyond the budget or the places.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.exchanges.bookings import held_by_rounds, hosts_of
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.matching.residency import Applicant
from matchmaker.matching.residency import ResidencyRound as RoundRules
from matchmaker.models import (
    AvailabilityWindow,
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    ParticipantRole,
    ResidencyRound,
    RoundApplication,
    RoundState,
)

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


def approved_at_host(session: Session, host_id: int, exchange: Exchange) -> int:
    """Residencies already approved (or on their way) that the host hosts in these dates;
    a residency its own people make elsewhere takes none of its places."""
    assert exchange.starts_on and exchange.ends_on
    approved = session.scalar(
        select(func.count(func.distinct(Exchange.id)))
        .join(ExchangeParticipant)
        .where(
            ExchangeParticipant.organisation_id == host_id,
            ExchangeParticipant.role == ParticipantRole.HOST,
            Exchange.id != exchange.id,
            Exchange.kind == ExchangeKind.RESIDENCY,
            Exchange.state.in_([S.APPROVED, S.SCHEDULED]),
            Exchange.starts_on <= exchange.ends_on,
            Exchange.ends_on >= exchange.starts_on,
        )
    )
    held = held_by_rounds(session, [host_id], exchange.starts_on, exchange.ends_on)[host_id]
    return (approved or 0) + held


def host_places(session: Session, host_id: int, exchange: Exchange) -> int:
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
    places = host_places(session, host.organisation_id, exchange)
    taken = approved_at_host(session, host.organisation_id, exchange)
    if round_ is None or exchange.starts_on is None or exchange.ends_on is None:
        return Funding(round_, None, None, places, taken)
    cost = residency_cost(round_, exchange.starts_on, exchange.ends_on)
    return Funding(round_, cost, budget_left(session, round_), places, taken)
