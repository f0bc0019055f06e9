"""Telling people what concerns them: one inbox row per person and event, and its email
in the outbox, both written in the transaction of the change they tell about.

The texts are templates, one pair per topic: `templates/notifications/<topic>.txt` (its
first line is the subject, then an empty line, then the body) and `<topic>.html` (the
HTML part); their README says more. Writing them beside the pages keeps wording out of
the use cases.

The email is sent by the queue once the change commits (`matchmaker.outbox`): nothing is
mailed for a change rolled back, and no request waits for a mail server.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from matchmaker.errors import NotFound
from matchmaker.extensions import after_reading
from matchmaker.i18n import for_reader
from matchmaker.models import Exchange, Notification, User
from matchmaker.outbox import write_email


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(topic: str, context: Mapping[str, Any]) -> Rendered:
    """The topic's subject, text and HTML; needs an app context (the app's templates).
    Straight from the Jinja environment, as the digest does: the templates use only
    their context, not the request's."""
    environment = current_app.jinja_env
    text = environment.get_template(f"notifications/{topic}.txt").render(context)
    subject, blank, body = text.partition("\n\n")
    if not blank or "\n" in subject:
        raise ValueError(f"notifications/{topic}.txt: a subject line, then an empty line")
    html = environment.get_template(f"notifications/{topic}.html").render(
        {**context, "subject": subject}
    )
    return Rendered(subject, body, html)


def notify(
    session: Session,
    users: Iterable[User],
    topic: str,
    *,
    link: str | None = None,
    exchange: Exchange | None = None,
    attach_calendar: bool = False,
    **context: Any,
) -> list[Notification]:
    """Add the messages and their emails to the caller's transaction; the emails go out
    once it commits, with the exchange's calendar event if `attach_calendar`.

    The texts come from the topic's templates, given `exchange` and `context`; `link`
    (a path) defaults to the exchange's page, and ends the email's text."""
    if link is None:
        link = f"/exchanges/{exchange.id}" if exchange is not None else ""
    base_url = current_app.config["BASE_URL"]
    values = {
        **context,
        "exchange": exchange,
        "base_url": base_url,
        "link_url": base_url + link if link else "",
    }
    recipients = list({user.id: user for user in users if user.is_active}.values())
    # Each person reads it in their language and time zone, whoever caused it: rendered
    # once per (language, zone) among the recipients.
    texts: dict[tuple[str | None, str | None], Rendered] = {}
    for user in recipients:
        reader = (user.language, user.time_zone)
        if reader not in texts:
            with for_reader(*reader):
                texts[reader] = render(topic, values)
    rows = []
    for user in recipients:
        written = texts[(user.language, user.time_zone)]
        row = Notification(
            user_id=user.id,
            topic=topic,
            subject=written.subject,
            body=written.text,
            body_html=written.html,
            link=link,
            exchange=exchange,
        )
        rows.append(row)
        session.add(row)
        write_email(
            session,
            topic=topic,
            recipient=user.email,
            subject=written.subject,
            text=written.text + (f"\n\n{base_url}{link}\n" if link else ""),
            html=written.html,
            calendar_of=exchange if attach_calendar else None,
            notification=row,
            language=user.language,
        )
    return rows


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
    """The unread messages, less those this request has just opened (marked read once it
    has read what it shows, see `_read`), so the badge of that very page already drops."""
    unread = session.scalar(
        select(func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
    opened = getattr(request, OPENED, 0) if has_request_context() else 0
    return max(0, (unread or 0) - opened)


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


OPENED = "_messages_opened"  # how many messages this request has opened


def _read(session: Session, user_id: int, count: int, *conditions: Any) -> None:
    """Mark the user's `count` unread messages that meet `conditions` read, as one
    conditional update: after the read of a page (`after_reading`), so opening never waits
    for a write lock, and twice at once marks them once."""
    now = datetime.now(UTC)
    if has_request_context():  # kept on the request itself: it dies with it
        setattr(request, OPENED, getattr(request, OPENED, 0) + count)

    def write(session: Session) -> None:
        session.execute(
            update(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None), *conditions)
            .values(read_at=now)
        )

    after_reading(session, write)


def read_about(session: Session, user: User, exchange_id: int) -> None:
    """The user opened the exchange: every message about it is read (if any is unread)."""
    about = Notification.exchange_id == exchange_id
    unread = session.scalar(
        select(func.count()).where(
            Notification.user_id == user.id, Notification.read_at.is_(None), about
        )
    )
    if unread:
        _read(session, user.id, unread, about)


def open_message(session: Session, user: User, notification_id: int) -> Notification:
    """One of the user's messages, opened (and so read); another person's is not found."""
    message = session.get(Notification, notification_id)
    if message is None or message.user_id != user.id:
        raise NotFound(
            _("there is no message number %(number)d in your inbox", number=notification_id)
        )
    if message.read_at is None:
        _read(session, user.id, 1, Notification.id == notification_id)
    return message
