"""Proposals between two hubs: propose, accept, decline, withdraw, and expiry with a
reminder first (design.md section 3). Each function checks who asks, validates, moves
the exchange through its state machine, writes the notifications, and commits.

Whose desks or places an exchange uses: the host's (for a two-way swap, both hubs host).
An exchange that is agreed or on its way (`BOOKED_STATES`) holds one place of the host's
window for its dates, so a window is never promised to more guests than it has places.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.field_input import FieldReader, InputError
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.models import (
    AvailabilityWindow,
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    Organisation,
    OrganisationKind,
    ParticipantResponse,
    ParticipantRole,
    Role,
    User,
)
from matchmaker.notifications import notify
from matchmaker.permissions import Forbidden, signed_in
from matchmaker.profiles import NotFound

S = ExchangeState
BOOKED_STATES = (S.ACCEPTED, S.PENDING_APPROVAL, S.APPROVED, S.SCHEDULED)
WINDOW_KIND = {
    ExchangeKind.HOT_DESKING: AvailabilityKind.DESKS,
    ExchangeKind.RESIDENCY: AvailabilityKind.RESIDENCY,
}
# How long each kind may last, in days (inclusive of both ends).
LENGTHS = {ExchangeKind.SHADOWING: (1, 14), ExchangeKind.HOT_DESKING: (1, 92),
           ExchangeKind.RESIDENCY: (7, 183)}  # fmt: skip
MAX_MESSAGE = 2000


@dataclass(frozen=True)
class ProposalRules:
    """Set by the network (config): how long a proposal waits, when the host is reminded,
    how many open proposals a hub may have, and how long the personal message must be."""

    expiry_days: int = 14
    reminder_days: int = 3
    max_open: int = 5
    min_message: int = 30

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ProposalRules:
        return cls(
            config.get("PROPOSAL_EXPIRY_DAYS", 14),
            config.get("PROPOSAL_REMINDER_DAYS", 3),
            config.get("MAX_OPEN_PROPOSALS", 5),
            config.get("PROPOSAL_MIN_MESSAGE", 30),
        )


def managers_of(session: Session, organisation_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User).where(User.hub_id == organisation_id, User.role == Role.MANAGER)
        )
    )


def hosts_of(exchange: Exchange) -> list[ExchangeParticipant]:
    """The participants whose desks or places the exchange uses."""
    if exchange.kind is ExchangeKind.HOT_DESKING:
        return list(exchange.participants)
    return [p for p in exchange.participants if p.role is ParticipantRole.HOST]


def _roles(kind: ExchangeKind) -> tuple[ParticipantRole, ParticipantRole]:
    """(proposer's role, the other hub's role)."""
    if kind is ExchangeKind.HOT_DESKING:
        return ParticipantRole.RING_MEMBER, ParticipantRole.RING_MEMBER
    if kind is ExchangeKind.PROJECT_PARTNERS:
        return ParticipantRole.PROPOSER, ParticipantRole.PARTNER
    return ParticipantRole.GUEST, ParticipantRole.HOST


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


def _own_hub(user: User | None) -> Organisation:
    user = signed_in(user)
    if user.role is not Role.MANAGER or user.hub is None:
        raise Forbidden("only a hub's manager can propose an exchange for their hub")
    return user.hub


def propose(
    session: Session,
    user: User | None,
    to: Organisation,
    data: Mapping[str, Any],
    rules: ProposalRules,
    now: datetime | None = None,
) -> Exchange:
    """A proposal from the user's hub to `to`, with dates and a personal message."""
    now = now or datetime.now(UTC)
    mine = _own_hub(user)
    fields = FieldReader(data)
    kind = fields.choice("kind", ExchangeKind, required=True)
    dated = kind is not ExchangeKind.PROJECT_PARTNERS
    starts_on = fields.day("starts_on", required=dated)
    ends_on = fields.day("ends_on", required=dated)
    message = fields.text("message", required=True, limit=MAX_MESSAGE) or ""
    if message and len(message) < rules.min_message:
        fields.problem("message", f"write at least {rules.min_message} characters: say who "
                                  "you are and what you hope to learn or offer")  # fmt: skip
    if to.id == mine.id or to.kind is not OrganisationKind.HUB:
        fields.problem("to", "choose another hub of the network")
    fields.done()
    assert kind is not None
    if starts_on and ends_on:
        if starts_on <= now.date():
            raise InputError({"starts_on": "must be after today"})
        if ends_on < starts_on:
            raise InputError({"ends_on": "must be on or after the start date"})
        shortest, longest = LENGTHS[kind]
        days = (ends_on - starts_on).days + 1
        if not shortest <= days <= longest:
            raise InputError({"ends_on": f"a {kind.label} lasts {shortest} to {longest} days, "
                                         f"this is {days}"})  # fmt: skip
        hosts = [to, mine] if kind is ExchangeKind.HOT_DESKING else [to]
        for host in hosts:
            if problem := room_problem(session, host, kind, starts_on, ends_on):
                raise InputError({"starts_on": problem})
    open_count = session.scalar(
        select(func.count()).select_from(Exchange).join(ExchangeParticipant).where(
            Exchange.state == S.PROPOSED, ExchangeParticipant.organisation_id == mine.id,
            Exchange.proposed_by_id.in_(select(User.id).where(User.hub_id == mine.id)),
        )
    ) or 0  # fmt: skip
    if open_count >= rules.max_open:
        raise InputError({"to": f"{mine.name} already has {open_count} proposals waiting for "
                                "an answer: withdraw one or wait for answers"})  # fmt: skip
    mine_role, their_role = _roles(kind)
    exchange = Exchange(
        kind=kind, state=S.PROPOSED, proposed_by=user, starts_on=starts_on, ends_on=ends_on,
        message=message, expires_at=now + timedelta(days=rules.expiry_days), state_changed_at=now,
    )  # fmt: skip
    exchange.participants = [
        ExchangeParticipant(organisation=mine, role=mine_role, position=0,
                            response=ParticipantResponse.ACCEPTED, responded_at=now),
        ExchangeParticipant(organisation=to, role=their_role, position=1),
    ]  # fmt: skip
    session.add(exchange)
    session.flush()
    when = f" from {starts_on} to {ends_on}" if starts_on else ""
    notify(
        session, managers_of(session, to.id), "proposal_received",
        f"{mine.name} proposes a {kind.label}",
        f"{mine.name} proposes a {kind.label}{when}.\n\nTheir message:\n{message}\n\n"
        f"Please answer by {exchange.expires_at:%d %B %Y}.",
        f"/exchanges/{exchange.id}", exchange,
    )  # fmt: skip
    session.commit()
    return exchange


def get_exchange(session: Session, user: User | None, exchange_id: int) -> Exchange:
    """An exchange the user may see: one of its hubs' managers, or a coordinator."""
    user = signed_in(user)
    exchange = session.scalar(
        select(Exchange).where(Exchange.id == exchange_id).options(
            selectinload(Exchange.participants).selectinload(ExchangeParticipant.organisation))
    )  # fmt: skip
    if exchange is None:
        raise NotFound(f"there is no exchange number {exchange_id}")
    if not user.is_coordinator and user.hub_id not in hub_ids(exchange):
        raise NotFound(f"there is no exchange number {exchange_id}")
    return exchange


def hub_ids(exchange: Exchange) -> set[int]:
    return {p.organisation_id for p in exchange.participants}


def _my_part(exchange: Exchange, user: User) -> ExchangeParticipant:
    for participant in exchange.participants:
        if user.role is Role.MANAGER and participant.organisation_id == user.hub_id:
            return participant
    raise Forbidden("only the managers of the hubs in this exchange can answer it")


def _others(session: Session, exchange: Exchange, but: int) -> list[User]:
    return [u for p in exchange.participants if p.organisation_id != but
            for u in managers_of(session, p.organisation_id)]  # fmt: skip


def answer(
    session: Session, user: User | None, exchange: Exchange, accept: bool, reason: str = "",
    now: datetime | None = None,
) -> Exchange:  # fmt: skip
    """The invited hub accepts (then the exchange is scheduled, or a residency waits for a
    coordinator) or declines, with an optional reason."""
    now = now or datetime.now(UTC)
    me = _my_part(exchange, signed_in(user))
    if me.position == 0:
        raise Forbidden("your hub proposed this exchange: the other hub answers it")
    if exchange.state is not S.PROPOSED or me.response is not ParticipantResponse.PENDING:
        raise InputError({"exchange": f"this proposal is {exchange.state.value.replace('_', ' ')}"
                                      " and cannot be answered any more"})  # fmt: skip
    if len(reason) > MAX_MESSAGE:
        raise InputError({"reason": f"use at most {MAX_MESSAGE} characters"})
    name = me.organisation.name
    if not accept:
        me.response, me.responded_at = ParticipantResponse.DECLINED, now
        exchange.move_to(S.DECLINED, reason.strip())
        exchange.state_changed_at = now
        why = f"\n\nTheir reason: {reason.strip()}" if reason.strip() else ""
        notify(session, _others(session, exchange, me.organisation_id), "proposal_declined",
               f"{name} declined your {exchange.kind.label}",
               f"{name} declined your proposal of a {exchange.kind.label}.{why}",
               f"/exchanges/{exchange.id}", exchange)  # fmt: skip
        session.commit()
        return exchange
    if exchange.starts_on and exchange.ends_on:
        for host in hosts_of(exchange):
            problem = room_problem(session, host.organisation, exchange.kind, exchange.starts_on,
                                   exchange.ends_on, other_than=exchange.id)  # fmt: skip
            if problem:
                raise InputError({"exchange": f"cannot be accepted now: {problem}"})
    me.response, me.responded_at = ParticipantResponse.ACCEPTED, now
    exchange.move_to(S.ACCEPTED)
    if exchange.kind is ExchangeKind.RESIDENCY:
        exchange.move_to(S.PENDING_APPROVAL)
        coordinators = session.scalars(
            select(User).where(User.role.in_([Role.COORDINATOR, Role.ADMIN]))
        ).all()
        notify(session, coordinators, "approval_needed",
               f"A residency at {name} waits for approval",
               f"{name} accepted a residency from {exchange.starts_on} to {exchange.ends_on}. "
               "It needs a coordinator's approval.",
               f"/exchanges/{exchange.id}", exchange)  # fmt: skip
    elif exchange.starts_on:
        exchange.move_to(S.SCHEDULED)
    exchange.state_changed_at = now
    next_step = {
        S.PENDING_APPROVAL: "A programme coordinator now approves the residency.",
        S.SCHEDULED: "It is scheduled: the other manager's contact details are on its page.",
    }.get(exchange.state, "Their manager's contact details are on its page.")
    notify(session, _others(session, exchange, me.organisation_id), "proposal_accepted",
           f"{name} accepted your {exchange.kind.label}",
           f"{name} accepted your proposal of a {exchange.kind.label}. {next_step}",
           f"/exchanges/{exchange.id}", exchange)  # fmt: skip
    if exchange.state is S.SCHEDULED:
        confirm_scheduled(session, exchange)
    session.commit()
    return exchange


def confirm_scheduled(session: Session, exchange: Exchange) -> None:
    """Everyone in a scheduled exchange gets its confirmation with the calendar event."""
    everyone = [u for p in exchange.participants for u in managers_of(session, p.organisation_id)]
    hubs = " and ".join(p.organisation.name for p in exchange.participants)
    notify(session, everyone, "exchange_scheduled",
           f"Scheduled: {exchange.kind.label} from {exchange.starts_on} to {exchange.ends_on}",
           f"The {exchange.kind.label} between {hubs} is scheduled from {exchange.starts_on} to "
           f"{exchange.ends_on}. The calendar event is attached; contact details are on its page.",
           f"/exchanges/{exchange.id}", exchange, attach_calendar=True)  # fmt: skip


def withdraw(
    session: Session, user: User | None, exchange: Exchange, now: datetime | None = None
) -> Exchange:
    me = _my_part(exchange, signed_in(user))
    if me.position != 0:
        raise Forbidden("only the hub that proposed can withdraw a proposal")
    if exchange.state is not S.PROPOSED:
        raise InputError({"exchange": "only a proposal still waiting for an answer can be "
                                      "withdrawn"})  # fmt: skip
    exchange.move_to(S.WITHDRAWN)
    exchange.state_changed_at = now or datetime.now(UTC)
    notify(session, _others(session, exchange, me.organisation_id), "proposal_withdrawn",
           f"{me.organisation.name} withdrew their {exchange.kind.label}",
           f"{me.organisation.name} withdrew their proposal of a {exchange.kind.label}.",
           f"/exchanges/{exchange.id}", exchange)  # fmt: skip
    session.commit()
    return exchange


def expire_and_remind(
    session: Session, rules: ProposalRules, now: datetime | None = None
) -> tuple[int, int]:
    """Expire proposals past their date and remind hosts of those about to expire; returns
    (expired, reminded). Idempotent: run it daily (or more often) from a scheduler."""
    now = now or datetime.now(UTC)
    waiting = session.scalars(
        select(Exchange).where(Exchange.state == S.PROPOSED, Exchange.expires_at.is_not(None))
        .options(selectinload(Exchange.participants))
    ).all()  # fmt: skip
    expired = reminded = 0
    for exchange in waiting:
        expires_at = exchange.expires_at
        assert expires_at is not None
        if expires_at.tzinfo is None:  # SQLite hands back naive datetimes
            expires_at = expires_at.replace(tzinfo=UTC)
        pending = [p for p in exchange.participants if p.response is ParticipantResponse.PENDING]
        if expires_at <= now:
            exchange.move_to(S.EXPIRED)
            exchange.state_changed_at = now
            everyone = [u for p in exchange.participants
                        for u in managers_of(session, p.organisation_id)]  # fmt: skip
            notify(session, everyone, "proposal_expired",
                   f"A {exchange.kind.label} proposal expired",
                   f"The proposal of a {exchange.kind.label} between "
                   f"{' and '.join(p.organisation.name for p in exchange.participants)} expired "
                   "without an answer.", f"/exchanges/{exchange.id}", exchange)  # fmt: skip
            expired += 1
        elif (
            exchange.reminded_at is None and expires_at - timedelta(days=rules.reminder_days) <= now
        ):
            exchange.reminded_at = now
            users = [u for p in pending for u in managers_of(session, p.organisation_id)]
            notify(session, users, "proposal_expiring",
                   f"A {exchange.kind.label} proposal expires soon",
                   f"A proposal of a {exchange.kind.label} waits for your answer and expires on "
                   f"{expires_at:%d %B %Y}.", f"/exchanges/{exchange.id}", exchange)  # fmt: skip
            reminded += 1
    session.commit()
    return expired, reminded


def exchanges_of(session: Session, user: User) -> list[Exchange]:
    """The user's hub's exchanges (a coordinator sees all), newest first."""
    query = select(Exchange).options(
        selectinload(Exchange.participants).selectinload(ExchangeParticipant.organisation)
    ).order_by(Exchange.state_changed_at.desc(), Exchange.id.desc()).limit(200)  # fmt: skip
    if not user.is_coordinator:
        query = query.where(
            Exchange.id.in_(select(ExchangeParticipant.exchange_id).where(
                ExchangeParticipant.organisation_id == user.hub_id))
        )  # fmt: skip
    return list(session.scalars(query))
