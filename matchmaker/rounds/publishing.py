"""Publishing a residency round's allocation: one approved, scheduled residency per
placement (the steps of a single approval, `approvals.schedule_funded`), and every
applicant told the outcome ("round_published"). Before anything is written, every
placement is checked again against the budget and its host's places on its own dates,
with the hosts' windows locked. A published round stays as it is: publishing again does
nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from matchmaker.accounts.users import managers_of_hubs
from matchmaker.errors import InputError
from matchmaker.exchanges.bookings import lock_windows
from matchmaker.exchanges.builder import Party, new_exchange
from matchmaker.i18n.formats import money
from matchmaker.i18n.messages import render
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import (
    Exchange,
    ExchangeState,
    Organisation,
    ParticipantRole,
    ResidencyRound,
    RoundApplication,
    RoundState,
    User,
)
from matchmaker.notifications import notify
from matchmaker.rounds.allocation import applicant_away, locked_round, review_of, room_on_dates
from matchmaker.rounds.approvals import schedule_funded
from matchmaker.rounds.hosting import unconfirmed

S = ExchangeState


def publish(
    session: Session,
    user: User | None,
    round_id: int,
    now: datetime | None = None,
) -> list[Exchange] | None:
    """Turn the placements into scheduled residencies and tell every applicant; returns
    the residencies made, or None when the round was published already (nothing done)."""
    now = now or datetime.now(UTC)
    round_ = locked_round(session, user, round_id)
    if round_.state is RoundState.PUBLISHED:
        return None
    if round_.state is not RoundState.ALLOCATED:
        raise InputError({"round": _("run the allocation before publishing")})
    check = review_of(session, round_)
    if check.budget_left < 0:
        raise InputError(
            {
                "round": _(
                    "the placements cost %(cost)s and the round has %(left)s left: remove "
                    "some first",
                    cost=money(check.placed_cost, round_.currency),
                    left=money(check.budget, round_.currency),
                )
            }
        )
    for host in check.hosts:
        if host.taken > host.places:
            raise InputError(
                {
                    "round": ngettext(
                        "%(host)s has %(num)d place in this round and %(taken)s placements: "
                        "move some first",
                        "%(host)s has %(num)d places in this round and %(taken)s placements: "
                        "move some first",
                        host.places,
                        host=host.name,
                        taken=host.taken,
                    )
                }
            )
    if waiting := unconfirmed(check.applications):
        names = "; ".join(
            _("%(hub)s at %(host)s", hub=a.hub.name, host=a.placed_host.name)
            for a in waiting
            if a.placed_host
        )
        raise InputError(
            {
                "round": ngettext(
                    "%(num)d placement waits for its host's answer (%(names)s): a host takes "
                    "part by its own consent",
                    "%(num)d placements wait for their host's answer (%(names)s): a host "
                    "takes part by its own consent",
                    len(waiting),
                    names=names,
                )
            }
        )
    lock_windows(session, ExchangeKind.RESIDENCY, {h.id for h in check.hosts})
    kept: list[RoundApplication] = []
    for application in check.applications:
        if application.placed_host_id is None or application.exchange_id:
            continue
        placed_at = session.get(Organisation, application.placed_host_id)
        assert placed_at is not None
        problem = room_on_dates(session, round_, application, placed_at, kept) or applicant_away(
            session, application
        )
        if problem:
            raise InputError(
                {
                    "round": _(
                        "%(hub)s at %(host)s: %(problem)s; move or remove that placement first",
                        hub=application.hub.name,
                        host=placed_at.name,
                        problem=render(problem),
                    )
                }
            )
        kept.append(application)
    made = []
    for application in check.applications:
        if application.placed_host_id is None:
            _tell_left_out(session, round_, application)
            continue
        exchange = _residency(session, round_, application, now)
        made.append(exchange)
    round_.state, round_.published_at = RoundState.PUBLISHED, now
    session.commit()
    return made


def _residency(
    session: Session, round_: ResidencyRound, application: RoundApplication, now: datetime
) -> Exchange:
    """The placement as an approved residency, scheduled, and the applicant told."""
    host = application.placed_host
    assert host is not None and application.cost is not None
    exchange = new_exchange(
        session,
        ExchangeKind.RESIDENCY,
        application.applied_by,
        [
            Party(application.hub, ParticipantRole.GUEST, accepted=True),
            Party(host, ParticipantRole.HOST, accepted=True),
        ],
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        message=application.message,
        now=now,
    )
    # The host said yes when it confirmed the placement: the page tells when.
    for party in exchange.participants:
        if party.organisation_id == host.id:
            party.responded_at = application.host_answered_at or now
    exchange.move_to(S.ACCEPTED, at=now)
    exchange.move_to(S.PENDING_APPROVAL, at=now)
    application.exchange = exchange
    notify(
        session,
        managers_of_hubs(session, [application.hub_id]),
        "round_published",
        exchange=exchange,
        round=round_,
        application=application,
    )
    schedule_funded(session, exchange, round_, application.cost, now)
    return exchange


def _tell_left_out(session: Session, round_: ResidencyRound, application: RoundApplication) -> None:
    notify(
        session,
        managers_of_hubs(session, [application.hub_id]),
        "round_published",
        link="/rounds",
        round=round_,
        application=application,
    )
