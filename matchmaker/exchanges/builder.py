"""Making a new exchange, the same way whoever makes it: a hub's proposal to another
(`proposals.propose`), a swap ring of a plan (`swap_rings.propose_ring`) and a residency a
published round places (`rounds.publishing`).

What they share lives here once: the checks before anything is written (dates that have
not begun and last as long as the kind allows, room at the hosts, the cap on a hub's
waiting proposals) and the rows (the exchange, its hubs in order with their roles and
answers, and the explanation it came with as its first message).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.errors import InputError
from matchmaker.exchanges.bookings import away_problem, guests_of, room_problem
from matchmaker.i18n.messages import render
from matchmaker.i18n.words import kind_name
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import (
    Exchange,
    ExchangeMessage,
    ExchangeParticipant,
    ExchangeState,
    Organisation,
    ParticipantResponse,
    ParticipantRole,
    User,
)

# How long each kind may last, in days (inclusive of both ends).
LENGTHS = {
    ExchangeKind.SHADOWING: (1, 14),
    ExchangeKind.HOT_DESKING: (1, 92),
    ExchangeKind.RESIDENCY: (7, 183),
}


@dataclass(frozen=True)
class Party:
    """One hub of a new exchange, in the exchange's order: its role, and whether it has
    agreed already (the proposer's hub by proposing, both hubs of a round's placement)."""

    hub: Organisation
    role: ParticipantRole
    accepted: bool = False

    @property
    def response(self) -> ParticipantResponse:
        return ParticipantResponse.ACCEPTED if self.accepted else ParticipantResponse.PENDING


def check_dates(
    kind: ExchangeKind,
    starts_on: date,
    ends_on: date,
    now: datetime,
    *,
    begun: str | None = None,
    too_long: str | None = None,
) -> None:
    """Refuse dates that have begun, end before they start, or last longer or shorter
    than the kind allows. `begun` and `too_long` word the refusal where the dates were
    not typed in (a plan's ring: its period is what to change)."""
    if starts_on <= now.date():
        raise InputError({"starts_on": begun or _("must be after today")})
    if ends_on < starts_on:
        raise InputError({"ends_on": _("must be on or after the start date")})
    shortest, longest = LENGTHS[kind]
    days = (ends_on - starts_on).days + 1
    if not shortest <= days <= longest:
        words = ngettext(
            "a %(kind)s lasts %(shortest)d to %(longest)d days; these dates make %(num)d day",
            "a %(kind)s lasts %(shortest)d to %(longest)d days; these dates make %(num)d days",
            days,
            kind=kind_name(kind),
            shortest=shortest,
            longest=longest,
        )
        raise InputError({"ends_on": too_long or words})


def check_room(
    session: Session,
    kind: ExchangeKind,
    hosts: Iterable[Organisation],
    starts_on: date,
    ends_on: date,
    field: str,
) -> None:
    """Refuse, under `field`, the first of `hosts` that has no room in these dates."""
    for host in hosts:
        if problem := room_problem(session, host, kind, starts_on, ends_on):
            raise InputError({field: render(problem)})


def check_away(
    session: Session,
    kind: ExchangeKind,
    guest: Organisation,
    starts_on: date,
    ends_on: date,
    field: str,
    other_than: int | None = None,
) -> None:
    """Refuse, under `field`, a visit or a residency whose guests are booked elsewhere
    then (by another exchange or a round's placement)."""
    if kind not in (ExchangeKind.SHADOWING, ExchangeKind.RESIDENCY):
        return
    if problem := away_problem(session, guest, starts_on, ends_on, other_than):
        raise InputError({field: render(problem)})


def check_guests_away(session: Session, exchange: Exchange, field: str) -> None:
    """`check_away` for every guest of a stored exchange, itself left out of the count."""
    if exchange.starts_on is None or exchange.ends_on is None:
        return
    for guest in guests_of(exchange):
        check_away(
            session,
            exchange.kind,
            guest.organisation,
            exchange.starts_on,
            exchange.ends_on,
            field,
            other_than=exchange.id,
        )


def lock_hub(session: Session, hub: Organisation) -> None:
    """Hold the hub's row until the transaction ends (SELECT ... FOR UPDATE; SQLite holds
    the whole database for a writer already), so what is counted for it stays true until
    the change that relies on it commits.

    Locks are always taken in one order: the hub, then an exchange, then windows, then a
    round; so two requests never wait for each other in a circle."""
    session.execute(select(Organisation.id).where(Organisation.id == hub.id).with_for_update())


def lock_exchange(session: Session, exchange: Exchange) -> None:
    """Hold the exchange's row and read it and its answers afresh, so of two requests that
    move it at once (two last answers, a completion and a cancellation) the second sees
    what the first did."""
    session.refresh(exchange, with_for_update=True)
    session.scalars(
        select(ExchangeParticipant)
        .where(ExchangeParticipant.exchange_id == exchange.id)
        .execution_options(populate_existing=True)
    ).all()


def check_open_proposals(
    session: Session, hub: Organisation, max_open: int, field: str, adding: int = 1
) -> None:
    """Refuse `adding` more proposals from a hub when they would take it past the proposals
    the rules let wait; the hub stays locked, so two proposals at once cannot both squeeze
    under the cap."""
    lock_hub(session, hub)
    open_count = (
        session.scalar(
            select(func.count())
            .select_from(Exchange)
            .join(ExchangeParticipant)
            .where(
                Exchange.state == ExchangeState.PROPOSED,
                ExchangeParticipant.organisation_id == hub.id,
                Exchange.proposed_by_id.in_(select(User.id).where(User.hub_id == hub.id)),
            )
        )
        or 0
    )
    if open_count + adding > max_open:
        if adding > 1:
            words = ngettext(
                "%(hub)s already has %(num)d proposal waiting for an answer (%(adding)d more "
                "would pass the limit of %(limit)d): withdraw one or wait for answers",
                "%(hub)s already has %(num)d proposals waiting for an answer (%(adding)d more "
                "would pass the limit of %(limit)d): withdraw one or wait for answers",
                open_count,
                hub=hub.name,
                adding=adding,
                limit=max_open,
            )
        else:
            words = ngettext(
                "%(hub)s already has %(num)d proposal waiting for an answer: withdraw one or "
                "wait for answers",
                "%(hub)s already has %(num)d proposals waiting for an answer: withdraw one or "
                "wait for answers",
                open_count,
                hub=hub.name,
            )
        raise InputError({field: words})


def new_exchange(
    session: Session,
    kind: ExchangeKind,
    proposed_by: User | None,
    parties: Sequence[Party],
    *,
    starts_on: date | None,
    ends_on: date | None,
    message: str,
    now: datetime,
    expires_at: datetime | None = None,
    explanation: str | None = None,
) -> Exchange:
    """A proposed exchange with its hubs in the order given (positions 0, 1, ...) and the
    explanation it came with, if any, as a first message written by nobody; added and
    flushed, so it has the id that what is sent about it links to."""
    exchange = Exchange(
        kind=kind,
        state=ExchangeState.PROPOSED,
        proposed_by=proposed_by,
        starts_on=starts_on,
        ends_on=ends_on,
        message=message,
        expires_at=expires_at,
        state_changed_at=now,
    )
    exchange.participants = [
        ExchangeParticipant(
            organisation=party.hub,
            role=party.role,
            position=position,
            response=party.response,
            responded_at=now if party.accepted else None,
        )
        for position, party in enumerate(parties)
    ]
    if explanation is not None:
        exchange.messages = [ExchangeMessage(author=None, body=explanation)]
    session.add(exchange)
    session.flush()
    return exchange
