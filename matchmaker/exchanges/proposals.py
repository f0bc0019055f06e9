"""Proposals: propose, accept, decline, withdraw, and expiry with a reminder first
(design.md section 3). Each function checks who asks, validates, moves the exchange
through its state machine, writes the notifications, and commits.

Most proposals join two hubs: the proposer's (which accepted by proposing) and the one
invited. A swap ring (`swap_rings.py`) joins several, each of which answers: it is agreed
once all have accepted, and one decline dissolves it. A new exchange is checked and
written by `builder.py` (as rings and residency rounds make theirs); room is counted in
`bookings.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.accounts.users import managers_of_hubs
from matchmaker.errors import Forbidden, InputError, NotFound
from matchmaker.exchanges.bookings import hosts_of, lock_windows, room_problem
from matchmaker.exchanges.builder import (
    Party,
    check_away,
    check_dates,
    check_guests_away,
    check_open_proposals,
    check_room,
    lock_exchange,
    new_exchange,
)
from matchmaker.exchanges.words import state_name
from matchmaker.field_input import FieldReader
from matchmaker.i18n.messages import render
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import (
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
from matchmaker.permissions import signed_in

S = ExchangeState
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


def at_most(limit: int) -> str:
    return ngettext("use at most %(num)d character", "use at most %(num)d characters", limit)


ANSWERED = {  # a hub's answer already given, as the reader is told
    ParticipantResponse.ACCEPTED: _l("your hub has accepted already"),
    ParticipantResponse.DECLINED: _l("your hub has declined already"),
}


def _roles(kind: ExchangeKind) -> tuple[ParticipantRole, ParticipantRole]:
    """(proposer's role, the other hub's role)."""
    if kind is ExchangeKind.HOT_DESKING:
        return ParticipantRole.RING_MEMBER, ParticipantRole.RING_MEMBER
    if kind is ExchangeKind.PROJECT_PARTNERS:
        return ParticipantRole.PROPOSER, ParticipantRole.PARTNER
    return ParticipantRole.GUEST, ParticipantRole.HOST


def read_message(fields: FieldReader, rules: ProposalRules) -> str:
    """The proposal's personal message: required, and long enough to say something."""
    message = fields.text("message", required=True, limit=MAX_MESSAGE) or ""
    if message and len(message) < rules.min_message:
        fields.problem(
            "message",
            ngettext(
                "write at least %(num)d character: say who you are and what you hope to "
                "learn or offer",
                "write at least %(num)d characters: say who you are and what you hope to "
                "learn or offer",
                rules.min_message,
            ),
        )
    return message


def _own_hub(user: User | None) -> Organisation:
    user = signed_in(user)
    if user.role is not Role.MANAGER or user.hub is None:
        raise Forbidden(_("only a hub's manager can propose an exchange for their hub"))
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
    message = read_message(fields, rules)
    if to.id == mine.id or to.kind is not OrganisationKind.HUB:
        fields.problem("to", _("choose another hub of the network"))
    # Every rule runs whose input could be read, so the form lists every problem at once.
    if kind is not None and starts_on and ends_on and fields.fine("starts_on", "ends_on"):
        with fields.gather():
            check_dates(kind, starts_on, ends_on, now)
        if fields.fine("starts_on", "ends_on"):
            hosts = [to, mine] if kind is ExchangeKind.HOT_DESKING else [to]
            with fields.gather():
                check_room(session, kind, hosts, starts_on, ends_on, "starts_on")
            with fields.gather():
                check_away(session, kind, mine, starts_on, ends_on, "starts_on")
    if fields.fine("to"):
        with fields.gather():
            check_open_proposals(session, mine, rules.max_open, "to")
    fields.done()
    assert kind is not None
    exchange = write_proposal(
        session, user, mine, to, kind, (starts_on, ends_on), message, rules, now
    )
    session.commit()
    return exchange


def write_proposal(
    session: Session,
    user: User | None,
    mine: Organisation,
    to: Organisation,
    kind: ExchangeKind,
    dates: tuple[date | None, date | None],
    message: str,
    rules: ProposalRules,
    now: datetime,
    explanation: str | None = None,
) -> Exchange:
    """A checked two-hub proposal written (not committed) and `to`'s managers told: a
    single proposal, or one of a consortium's (`consortium_proposals.py`)."""
    mine_role, their_role = _roles(kind)
    exchange = new_exchange(
        session,
        kind,
        user,
        [Party(mine, mine_role, accepted=True), Party(to, their_role)],
        starts_on=dates[0],
        ends_on=dates[1],
        message=message,
        now=now,
        expires_at=now + timedelta(days=rules.expiry_days),
        explanation=explanation,
    )
    notify(
        session,
        managers_of_hubs(session, [to.id]),
        "proposal_received",
        exchange=exchange,
        proposer=mine,
    )
    return exchange


def get_exchange(session: Session, user: User | None, exchange_id: int) -> Exchange:
    """An exchange the user may see: one of its hubs' managers, or a coordinator."""
    user = signed_in(user)
    exchange = session.scalar(
        select(Exchange)
        .where(Exchange.id == exchange_id)
        .options(selectinload(Exchange.participants).selectinload(ExchangeParticipant.organisation))
    )
    if exchange is None or (not user.is_coordinator and user.hub_id not in hub_ids(exchange)):
        raise NotFound(_("there is no exchange number %(number)d", number=exchange_id))
    return exchange


def hub_ids(exchange: Exchange) -> set[int]:
    return {p.organisation_id for p in exchange.participants}


def _my_part(exchange: Exchange, user: User) -> ExchangeParticipant:
    for participant in exchange.participants:
        if user.role is Role.MANAGER and participant.organisation_id == user.hub_id:
            return participant
    raise Forbidden(_("only the managers of the hubs in this exchange can answer it"))


def starter_hub_id(exchange: Exchange) -> int | None:
    """The hub whose manager proposed the exchange (it accepted by proposing); None for a
    ring a coordinator started, where every hub answers."""
    starter = exchange.proposed_by
    if starter is None:  # the account is gone: a two-hub proposal's proposer comes first
        return exchange.participants[0].organisation_id if len(exchange.participants) == 2 else None
    return starter.hub_id if starter.role is Role.MANAGER else None


def is_ring(exchange: Exchange) -> bool:
    """A group proposal: more than two hubs, or hubs a coordinator brought together."""
    return len(exchange.participants) > 2 or starter_hub_id(exchange) is None


def is_starter(exchange: Exchange, user: User) -> bool:
    """Who may withdraw: whoever proposed it, or another manager of the proposing hub."""
    if exchange.proposed_by_id is not None and exchange.proposed_by_id == user.id:
        return True
    mine = user.hub_id if user.role is Role.MANAGER else None
    return mine is not None and mine == starter_hub_id(exchange)


def ring_names(exchange: Exchange) -> str:
    """'A → B → C': the ring in its order, each hub hosting the one before it."""
    return " → ".join(p.organisation.name for p in exchange.participants)


def ring_of(exchange: Exchange) -> str | None:
    """The ring's names for a group proposal, None for two hubs: the notifications'
    templates word the two differently."""
    return ring_names(exchange) if is_ring(exchange) else None


def _others(session: Session, exchange: Exchange, but: int | None) -> list[User]:
    """The managers of the exchange's other hubs, and a coordinator who started a ring."""
    users = managers_of_hubs(
        session, [p.organisation_id for p in exchange.participants if p.organisation_id != but]
    )
    starter = exchange.proposed_by
    if starter is not None and starter.role is not Role.MANAGER:
        users.append(starter)
    return users


def answer(
    session: Session,
    user: User | None,
    exchange: Exchange,
    accept: bool,
    reason: str = "",
    now: datetime | None = None,
) -> Exchange:
    """An invited hub accepts or declines, with an optional reason. Once every hub has
    accepted, the exchange is agreed: scheduled, or a residency waits for a coordinator.
    One decline ends it."""
    now = now or datetime.now(UTC)
    user = signed_in(user)
    lock_exchange(session, exchange)
    me = _my_part(exchange, user)
    if me.organisation_id == starter_hub_id(exchange):
        raise Forbidden(_("your hub proposed this exchange: the other hub answers it"))
    if exchange.state is not S.PROPOSED:
        raise InputError(
            {
                "exchange": _(
                    "this proposal is %(state)s and cannot be answered any more",
                    state=state_name(exchange.state),
                )
            }
        )
    if me.response is not ParticipantResponse.PENDING:
        raise InputError({"exchange": str(ANSWERED[me.response])})
    if len(reason) > MAX_MESSAGE:
        raise InputError({"reason": at_most(MAX_MESSAGE)})
    if not accept:
        me.response, me.responded_at = ParticipantResponse.DECLINED, now
        exchange.move_to(S.DECLINED, reason.strip(), at=now)
        notify(
            session,
            _others(session, exchange, me.organisation_id),
            "proposal_declined",
            exchange=exchange,
            hub=me.organisation,
            reason=reason.strip(),
            ring=ring_of(exchange),
        )
        session.commit()
        return exchange
    if exchange.starts_on and exchange.ends_on:
        hosts = hosts_of(exchange)
        lock_windows(session, exchange.kind, [host.organisation_id for host in hosts])
        for host in hosts:
            problem = room_problem(
                session,
                host.organisation,
                exchange.kind,
                exchange.starts_on,
                exchange.ends_on,
                other_than=exchange.id,
            )
            if problem:
                raise InputError(
                    {"exchange": _("cannot be accepted now: %(problem)s", problem=render(problem))}
                )
        check_guests_away(session, exchange, "exchange")
    me.response, me.responded_at = ParticipantResponse.ACCEPTED, now
    if any(p.response is ParticipantResponse.PENDING for p in exchange.participants):
        session.commit()  # the ring waits for its other hubs
        return exchange
    exchange.move_to(S.ACCEPTED, at=now)
    if exchange.kind is ExchangeKind.RESIDENCY:
        exchange.move_to(S.PENDING_APPROVAL, at=now)
        coordinators = session.scalars(
            select(User).where(User.role.in_([Role.COORDINATOR, Role.ADMIN]))
        ).all()
        notify(session, coordinators, "approval_needed", exchange=exchange, hub=me.organisation)
    elif exchange.starts_on:
        exchange.move_to(S.SCHEDULED, at=now)
    notify(
        session,
        _others(session, exchange, me.organisation_id),
        "proposal_accepted",
        exchange=exchange,
        hub=me.organisation,
        ring=ring_of(exchange),
    )
    if exchange.state is S.SCHEDULED:
        confirm_scheduled(session, exchange)
    session.commit()
    return exchange


def confirm_scheduled(session: Session, exchange: Exchange) -> None:
    """Everyone in a scheduled exchange gets its confirmation with the calendar event."""
    everyone = managers_of_hubs(session, [p.organisation_id for p in exchange.participants])
    notify(
        session,
        everyone,
        "exchange_scheduled",
        exchange=exchange,
        attach_calendar=True,
        ring=ring_of(exchange),
    )


def withdraw(
    session: Session, user: User | None, exchange: Exchange, now: datetime | None = None
) -> Exchange:
    """Whoever proposed takes the proposal back before it is agreed; the others are told."""
    user = signed_in(user)
    if not is_starter(exchange, user):
        raise Forbidden(_("only the hub that proposed can withdraw a proposal"))
    if exchange.state is not S.PROPOSED:
        raise InputError(
            {"exchange": _("only a proposal still waiting for an answer can be withdrawn")}
        )
    exchange.move_to(S.WITHDRAWN, at=now or datetime.now(UTC))
    who = user.hub.name if user.role is Role.MANAGER and user.hub else user.display_name
    notify(
        session,
        [u for u in _others(session, exchange, user.hub_id) if u.id != user.id],
        "proposal_withdrawn",
        exchange=exchange,
        who=who,
        ring=ring_of(exchange),
    )
    session.commit()
    return exchange


def expire_and_remind(
    session: Session, rules: ProposalRules, now: datetime | None = None
) -> tuple[int, int]:
    """Expire proposals past their date and remind hosts of those about to expire; returns
    (expired, reminded). Idempotent: run it daily (or more often) from a scheduler."""
    now = now or datetime.now(UTC)
    waiting = session.scalars(
        select(Exchange)
        .where(Exchange.state == S.PROPOSED, Exchange.expires_at.is_not(None))
        .options(selectinload(Exchange.participants))
    ).all()
    expired = reminded = 0
    for exchange in waiting:
        expires_at = exchange.expires_at
        assert expires_at is not None
        pending = [p for p in exchange.participants if p.response is ParticipantResponse.PENDING]
        if expires_at <= now:
            exchange.move_to(S.EXPIRED, at=now)
            notify(
                session,
                _others(session, exchange, None),
                "proposal_expired",
                exchange=exchange,
                ring=ring_of(exchange),
            )
            expired += 1
        elif (
            exchange.reminded_at is None and expires_at - timedelta(days=rules.reminder_days) <= now
        ):
            exchange.reminded_at = now
            users = managers_of_hubs(session, [p.organisation_id for p in pending])
            notify(session, users, "proposal_expiring", exchange=exchange)
            reminded += 1
    session.commit()
    return expired, reminded
