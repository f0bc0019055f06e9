"""After an exchange is agreed: completing it, cancelling it (with a reason, by either
side), recording a no-show, and the feedback each side gives afterwards.

Feedback has a private part (rating and outcome, for coordinators and the engine's history
signal) and a review that the other side sees once both have written, or `REVEAL_AFTER`
after completion, so nobody writes their review in answer to the other's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.accounts.users import managers_of_hubs
from matchmaker.errors import Forbidden, InputError
from matchmaker.exchanges.builder import lock_exchange
from matchmaker.exchanges.proposals import get_exchange
from matchmaker.exchanges.words import state_name
from matchmaker.field_input import FieldReader
from matchmaker.i18n.formats import day
from matchmaker.models import (
    Exchange,
    ExchangeFeedback,
    ExchangeState,
    Notification,
    ParticipantRole,
    User,
)
from matchmaker.notifications import notify
from matchmaker.permissions import signed_in

S = ExchangeState
REVEAL_AFTER = timedelta(days=21)
MAX_TEXT = 3000


def _my_hub(exchange: Exchange, user: User | None) -> int:
    user = signed_in(user)
    mine = {p.organisation_id for p in exchange.participants}
    if user.hub_id not in mine:
        raise Forbidden(_("only the managers of the hubs in this exchange can do this"))
    assert user.hub_id is not None
    return user.hub_id


def _tell_others(
    session: Session, exchange: Exchange, but: int, topic: str, **context: Any
) -> None:
    users = managers_of_hubs(
        session, [p.organisation_id for p in exchange.participants if p.organisation_id != but]
    )
    notify(session, users, topic, exchange=exchange, **context)


def complete(
    session: Session, user: User | None, exchange: Exchange, now: datetime | None = None
) -> Exchange:
    """Either side marks a scheduled exchange done, once its first day has come."""
    now = now or datetime.now(UTC)
    _my_hub(exchange, user)
    lock_exchange(session, exchange)
    if exchange.state is not S.SCHEDULED:
        raise InputError({"exchange": _("only a scheduled exchange can be completed")})
    if exchange.starts_on and exchange.starts_on > now.date():
        raise InputError(
            {"exchange": _("it starts on %(day)s: complete it after", day=day(exchange.starts_on))}
        )
    exchange.move_to(S.COMPLETED, at=now)
    exchange.completed_at = now
    everyone = managers_of_hubs(session, [p.organisation_id for p in exchange.participants])
    notify(session, everyone, "feedback_due", exchange=exchange)
    session.commit()
    return exchange


def cancel(
    session: Session,
    user: User | None,
    exchange: Exchange,
    reason: str,
    now: datetime | None = None,
) -> Exchange:
    hub_id = _my_hub(exchange, user)
    fields = FieldReader({"reason": reason})
    reason = fields.text("reason", required=True, limit=MAX_TEXT) or ""
    fields.done()
    lock_exchange(session, exchange)
    if not exchange.can_move_to(S.CANCELLED):
        raise InputError(
            {
                "exchange": _(
                    "this exchange is %(state)s and cannot be cancelled",
                    state=state_name(exchange.state),
                )
            }
        )
    exchange.move_to(S.CANCELLED, reason, at=now or datetime.now(UTC))
    hub = next(p.organisation for p in exchange.participants if p.organisation_id == hub_id)
    _tell_others(session, exchange, hub_id, "exchange_cancelled", hub=hub, reason=reason)
    session.commit()
    return exchange


def no_show(
    session: Session, user: User | None, exchange: Exchange, now: datetime | None = None
) -> Exchange:
    """The host records that the guests never came."""
    hub_id = _my_hub(exchange, user)
    hosting = {
        p.organisation_id
        for p in exchange.participants
        if p.role in (ParticipantRole.HOST, ParticipantRole.RING_MEMBER)
    }
    if hub_id not in hosting:
        raise Forbidden(_("only the host records a no-show"))
    lock_exchange(session, exchange)
    if exchange.state is not S.SCHEDULED:
        raise InputError({"exchange": _("only a scheduled exchange can be a no-show")})
    now = now or datetime.now(UTC)
    if exchange.starts_on and exchange.starts_on > now.date():
        raise InputError(
            {"exchange": _("it starts on %(day)s: wait for the day", day=day(exchange.starts_on))}
        )
    exchange.move_to(S.NO_SHOW, at=now)
    _tell_others(session, exchange, hub_id, "exchange_no_show")
    session.commit()
    return exchange


def give_feedback(
    session: Session, user: User | None, exchange: Exchange, data: Mapping[str, Any]
) -> ExchangeFeedback:
    hub_id = _my_hub(exchange, user)
    lock_exchange(session, exchange)  # one feedback per hub, also when sent twice at once
    if exchange.state is not S.COMPLETED:
        raise InputError({"exchange": _("feedback is given once the exchange is completed")})
    if session.scalar(
        select(ExchangeFeedback.id).where(
            ExchangeFeedback.exchange_id == exchange.id, ExchangeFeedback.organisation_id == hub_id
        )
    ):
        raise InputError({"exchange": _("your hub has already given its feedback")})
    fields = FieldReader(data)
    if not str(data.get("rating") or "").strip():  # the form starts with no rating chosen
        fields.problem("rating", _("choose how useful it was, from 1 to 5"))
        rating = None
    else:
        rating = fields.integer("rating", minimum=1, maximum=5, required=True)
    took_place = fields.boolean("took_place")
    learned = fields.text("learned", limit=MAX_TEXT) or ""
    collaboration = fields.boolean("collaboration")
    review = fields.text("review", required=True, limit=MAX_TEXT) or ""
    fields.done()
    assert rating is not None
    feedback = ExchangeFeedback(
        exchange_id=exchange.id,
        organisation_id=hub_id,
        author=user,
        rating=rating,
        took_place=True if took_place is None else took_place,
        learned=learned,
        collaboration=bool(collaboration),
        review=review,
    )
    session.add(feedback)
    session.commit()
    return feedback


def feedback_view(
    session: Session, user: User | None, exchange: Exchange, now: datetime | None = None
) -> tuple[ExchangeFeedback | None, list[ExchangeFeedback], bool]:
    """(my hub's feedback, the others' feedback I may read, whether reviews are revealed).
    Coordinators see all of it; a manager sees the others' reviews once revealed, never
    their private part (the view decides what to show of each)."""
    user = signed_in(user)
    given = list(
        session.scalars(select(ExchangeFeedback).where(ExchangeFeedback.exchange_id == exchange.id))
    )
    hubs = {p.organisation_id for p in exchange.participants}
    completed_at = exchange.completed_at
    revealed = {f.organisation_id for f in given} >= hubs or (
        completed_at is not None and (now or datetime.now(UTC)) >= completed_at + REVEAL_AFTER
    )
    mine = next((f for f in given if f.organisation_id == user.hub_id), None)
    if user.is_coordinator:
        return mine, [f for f in given if f is not mine], True
    others = [f for f in given if f.organisation_id != user.hub_id] if revealed else []
    return mine, others, revealed


def act(
    session: Session, user: User | None, exchange_id: int, action: str, data: Mapping[str, Any]
) -> Exchange:
    """One entry point for the pages and the API."""
    exchange = get_exchange(session, user, exchange_id)
    if action == "complete":
        return complete(session, user, exchange)
    if action == "cancel":
        return cancel(session, user, exchange, str(data.get("reason", "")))
    if action == "no-show":
        return no_show(session, user, exchange)
    raise InputError({"action": _("unknown action '%(action)s'", action=action)})


# A hub that has not given its feedback this long after completion is reminded, once,
# while its review can still stay hidden until the other side's.
FEEDBACK_REMINDER_AFTER = timedelta(days=7)


def remind_feedback(session: Session, now: datetime | None = None) -> int:
    """Remind the managers of each hub that owes feedback on an exchange completed over
    `FEEDBACK_REMINDER_AFTER` ago and less than `REVEAL_AFTER` ago; returns how many hubs
    were reminded. Idempotent: a hub is reminded once per exchange."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    due = session.scalars(
        select(Exchange).where(
            Exchange.state == S.COMPLETED,
            Exchange.completed_at <= now - FEEDBACK_REMINDER_AFTER,
            Exchange.completed_at > now - REVEAL_AFTER,
        )
    ).all()
    reminded = 0
    for exchange in due:
        given = set(
            session.scalars(
                select(ExchangeFeedback.organisation_id).where(
                    ExchangeFeedback.exchange_id == exchange.id
                )
            )
        )
        # Hubs whose managers were reminded already (by the managers of then).
        already = set(
            session.scalars(
                select(User.hub_id)
                .join(Notification, Notification.user_id == User.id)
                .where(
                    Notification.exchange_id == exchange.id,
                    Notification.topic == "feedback_reminder",
                )
            )
        )
        done = given | already
        owing = [p.organisation_id for p in exchange.participants if p.organisation_id not in done]
        everyone = managers_of_hubs(session, owing)
        for hub_id in owing:
            managers = [manager for manager in everyone if manager.hub_id == hub_id]
            if not managers:
                continue
            notify(
                session,
                managers,
                "feedback_reminder",
                link=f"/exchanges/{exchange.id}#feedback",
                exchange=exchange,
            )
            reminded += 1
    session.commit()
    return reminded
