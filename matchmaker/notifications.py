"""Telling people what concerns them: one inbox row per person and event, mailed after
the change commits, retried with backoff when the mail server fails."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from matchmaker.errors import MailError
from matchmaker.exchanges.calendar import exchange_calendar
from matchmaker.mail import send_email
from matchmaker.models import Exchange, Notification, User

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=2)


def notify(
    session: Session,
    users: Iterable[User],
    topic: str,
    subject: str,
    body: str,
    link: str = "",
    exchange: Exchange | None = None,
    attach_calendar: bool = False,
) -> list[Notification]:
    """Add the messages to the caller's transaction; they go out once it commits."""
    rows = [
        Notification(
            user_id=user.id,
            topic=topic,
            subject=subject,
            body=body,
            link=link,
            exchange=exchange,
            attach_calendar=attach_calendar,
        )
        for user in {user.id: user for user in users if user.is_active}.values()
    ]
    session.add_all(rows)
    session.info.setdefault("new_notifications", []).extend(rows)
    return rows


def deliver_new(session: Session, config: Mapping[str, Any]) -> tuple[int, int]:
    """After a request's change committed: mail the messages it wrote (failures wait for
    the next `flask notifications send`)."""
    rows = session.info.pop("new_notifications", [])
    ids = [row.id for row in rows if row.id is not None]
    return deliver(session, config, ids) if ids else (0, 0)


def deliver(
    session: Session,
    config: Mapping[str, Any],
    ids: Sequence[int] | None = None,
    now: datetime | None = None,
    limit: int = 500,
) -> tuple[int, int]:
    """Mail unsent messages that are due (all, or those `ids`); returns (sent, failed).
    Each result is committed at once, so a crash halfway never mails a message twice."""
    now = now or datetime.now(UTC)
    query = (
        select(Notification)
        .where(Notification.sent_at.is_(None), Notification.attempts < MAX_ATTEMPTS)
        .order_by(Notification.id)
        .limit(limit)
    )
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    else:
        query = query.where(
            or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now)
        )
    sent = failed = 0
    for message in session.scalars(query).all():
        body = message.body
        if message.link:
            body += f"\n\n{config['BASE_URL']}{message.link}\n"
        try:
            calendar = None
            if message.attach_calendar and message.exchange is not None:
                calendar = exchange_calendar(message.exchange, config["BASE_URL"], now)
            send_email(config, message.user.email, message.subject, body, calendar)
        except MailError as error:
            message.attempts += 1
            message.last_error = str(error)[:500]
            message.next_attempt_at = now + FIRST_RETRY * 2 ** (message.attempts - 1)
            failed += 1
        else:
            message.sent_at = now
            sent += 1
        session.commit()
    return sent, failed


def inbox(session: Session, user: User, limit: int = 100) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_read(session: Session, user: User, notification_id: int | None = None) -> None:
    """One message, or all of them, read."""
    query = select(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    for message in session.scalars(query):
        message.read_at = datetime.now(UTC)
    session.commit()
