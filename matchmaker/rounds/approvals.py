"""Coordinators approve or reject accepted residencies, within the funding round's budget
and the host's residency places.

Two coordinators may approve at the same moment: the approval locks the round's row
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite lets one writer at a time) before it
counts what is spent, so the second sees the first's spending and is refused when the
money or the places have run out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.accounts.users import managers_of_hubs
from matchmaker.errors import InputError
from matchmaker.exchanges.bookings import guests_of, hosts_of
from matchmaker.exchanges.builder import check_guests_away
from matchmaker.exchanges.proposals import confirm_scheduled, get_exchange
from matchmaker.field_input import FieldReader
from matchmaker.i18n.formats import money
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import (
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    ResidencyRound,
    User,
)
from matchmaker.notifications import notify
from matchmaker.permissions import require_coordinator
from matchmaker.rounds.funding import (
    Funding,
    approved_at_host,
    budget_left,
    funding,
    funding_round,
    host_places,
    residency_cost,
)

S = ExchangeState


def approval_queue(session: Session, user: User | None) -> list[tuple[Exchange, Funding]]:
    require_coordinator(user)
    waiting = session.scalars(
        select(Exchange)
        .where(Exchange.state == S.PENDING_APPROVAL)
        .options(selectinload(Exchange.participants).selectinload(ExchangeParticipant.organisation))
        .order_by(Exchange.state_changed_at, Exchange.id)
    ).all()
    return [(exchange, funding(session, exchange)) for exchange in waiting]


def decide_approval(
    session: Session, user: User | None, exchange_id: int, approved: bool, reason: str = ""
) -> Exchange:
    """A coordinator approves or rejects (with the reason the hubs will read) the exchange
    with this number: the console's and the API's one way in. Who asks is checked before
    the exchange is looked up, so a manager is refused the same way whether or not the
    exchange is theirs."""
    require_coordinator(user)
    exchange = get_exchange(session, user, exchange_id)
    if approved:
        return approve(session, user, exchange)
    return reject(session, user, exchange, reason)


def _tell_both(session: Session, exchange: Exchange, topic: str, **context: Any) -> None:
    users = managers_of_hubs(session, [p.organisation_id for p in exchange.participants])
    notify(session, users, topic, exchange=exchange, **context)


def approve(
    session: Session, user: User | None, exchange: Exchange, now: datetime | None = None
) -> Exchange:
    """Approve within budget and places, then schedule; refuses with the reason otherwise."""
    require_coordinator(user)
    now = now or datetime.now(UTC)
    if exchange.kind is not ExchangeKind.RESIDENCY or exchange.state is not S.PENDING_APPROVAL:
        raise InputError({"exchange": _("only a residency waiting for approval can be approved")})
    round_ = funding_round(session, exchange, lock=True)
    if round_ is None:
        raise InputError(
            {
                "exchange": _(
                    "no open residency round funds these dates: open a round that covers "
                    "them, or reject the residency"
                )
            }
        )
    assert exchange.starts_on and exchange.ends_on
    session.refresh(exchange)  # the state as it is now, under the round's lock
    if exchange.state is not S.PENDING_APPROVAL:
        raise InputError({"exchange": _("it is not waiting for approval any more")})
    cost = residency_cost(round_, exchange.starts_on, exchange.ends_on)
    left = budget_left(session, round_)
    if cost > left:
        raise InputError(
            {
                "exchange": _(
                    "it costs %(cost)s and the round '%(round)s' has %(left)s left",
                    cost=money(cost, round_.currency),
                    round=round_.name,
                    left=money(left, round_.currency),
                )
            }
        )
    (host,) = hosts_of(exchange)
    places = host_places(session, host.organisation_id, exchange)
    if approved_at_host(session, host.organisation_id, exchange) >= places:
        raise InputError(
            {
                "exchange": _(
                    "%(host)s has no residency place left in these dates",
                    host=host.organisation.name,
                )
            }
        )
    check_guests_away(session, exchange, "exchange")
    # The guest's managers read "your residency is approved", the host's that the resident
    # it agreed to host is confirmed: the same news, each in their own words.
    guest_hubs = [p.organisation for p in guests_of(exchange)]
    notify(
        session,
        managers_of_hubs(session, [hub.id for hub in guest_hubs]),
        "residency_approved",
        exchange=exchange,
        host=host.organisation,
        round=round_,
    )
    notify(
        session,
        managers_of_hubs(session, [host.organisation_id]),
        "residency_approved_host",
        exchange=exchange,
        guests=guest_hubs,
        round=round_,
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
    exchange.move_to(S.APPROVED, at=now)
    exchange.move_to(S.SCHEDULED, at=now)
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
        raise InputError({"exchange": _("only a residency waiting for approval can be rejected")})
    exchange.move_to(S.REJECTED, reason, at=now or datetime.now(UTC))
    _tell_both(session, exchange, "residency_rejected", reason=reason)
    session.commit()
    return exchange
