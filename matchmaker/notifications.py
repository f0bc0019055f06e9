"""Telling people what concerns them: one inbox row per person and event, mailed after
the change commits, retried with backoff when the mail server fails.

The texts are templates, one pair per topic: `templates/notifications/<topic>.txt` (its
first line is the subject, then an empty line, then the body) and `<topic>.html` (the
HTML part); their README says more. Writing them beside the pages keeps wording out of
the use cases.

Delivery after commit is done here once, not remembered by each view or command: session
events note which new messages committed (a rolled-back change's messages are forgotten,
so nothing is mailed for it), the app mails them after each request
(`mail_after_requests`), and a command mails them where it reports how many went out
(`cli.common.mail_committed`). Whatever is not mailed then (a failed send, a request that
ended in an unexpected error) waits for `flask notifications send`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Response, current_app
from sqlalchemy import event, func, inspect, or_, select
from sqlalchemy.orm import Session, SessionTransaction

from matchmaker.errors import MailError
from matchmaker.exchanges.calendar import exchange_calendar
from matchmaker.extensions import db
from matchmaker.mail import send_email
from matchmaker.models import Exchange, Notification, User

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=2)
# session.info keys: messages added in the open transaction, and ids of committed ones
# not mailed yet.
PENDING = "new_notifications"
COMMITTED = "committed_notifications"


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
    """Add the messages to the caller's transaction; they go out once it commits.

    The texts come from the topic's templates, given `exchange` and `context`; `link`
    (a path) defaults to the exchange's page. The HTML's link is made absolute now, the
    text's when it is mailed (as before)."""
    if link is None:
        link = f"/exchanges/{exchange.id}" if exchange is not None else ""
    base_url = current_app.config["BASE_URL"]
    texts = render(
        topic,
        {
            **context,
            "exchange": exchange,
            "base_url": base_url,
            "link_url": base_url + link if link else "",
        },
    )
    rows = [
        Notification(
            user_id=user.id,
            topic=topic,
            subject=texts.subject,
            body=texts.text,
            body_html=texts.html,
            link=link,
            exchange=exchange,
            attach_calendar=attach_calendar,
        )
        for user in {user.id: user for user in users if user.is_active}.values()
    ]
    session.add_all(rows)
    session.info.setdefault(PENDING, []).extend(rows)
    return rows


@event.listens_for(Session, "after_commit")
def _note_committed(session: Session) -> None:
    """The transaction's messages are stored: note their ids for mailing. A savepoint's
    release is no commit; rows of a rolled-back savepoint have no identity any more."""
    if session.in_nested_transaction() or PENDING not in session.info:
        return
    identities = (inspect(row).identity for row in session.info.pop(PENDING))
    session.info.setdefault(COMMITTED, []).extend(key[0] for key in identities if key)


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    """Messages still pending when the session's transaction ends were never committed
    (it was rolled back or closed): forget them, so none of them is mailed."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def deliver_committed(session: Session, config: Mapping[str, Any]) -> tuple[int, int]:
    """Mail the messages whose change this session committed since the last call; returns
    (sent, failed). Failures wait for the next `flask notifications send`."""
    ids = session.info.pop(COMMITTED, [])
    return deliver(session, config, ids) if ids else (0, 0)


def mail_after_requests(app: Flask) -> None:
    """Every request mails what its committed changes wrote once its view has answered:
    one hook for all views, so none has to remember it."""

    @app.after_request
    def _mail_committed(response: Response) -> Response:
        if db.session.registry.has():  # the request used the database
            deliver_committed(db.session(), current_app.config)
        return response


def deliver(
    session: Session,
    config: Mapping[str, Any],
    ids: Sequence[int] | None = None,
    now: datetime | None = None,
    limit: int = 500,
) -> tuple[int, int]:
    """Mail unsent messages that are due (all, or those of `ids`); returns (sent, failed).
    Each message is claimed (its row held, skipped by other senders), sent and marked in
    a transaction of its own, so two senders at once (a request and the cron job, two
    workers) never mail it twice and a crash halfway loses nothing; a message waiting for
    its retry is not due, whoever asks. A message that cannot be built (a bad address or
    calendar) is set aside with its reason and never holds the others up."""
    now = now or datetime.now(UTC)
    due = (
        Notification.sent_at.is_(None),
        Notification.attempts < MAX_ATTEMPTS,
        or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
    )
    query = select(Notification.id).where(*due).order_by(Notification.id).limit(limit)
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    sent = failed = 0
    for message_id in session.scalars(query).all():
        message = session.scalar(
            select(Notification)
            .where(Notification.id == message_id, *due)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        if message is None:  # sent meanwhile, or being sent by another sender
            session.commit()
            continue
        body = message.body
        if message.link:
            body += f"\n\n{config['BASE_URL']}{message.link}\n"
        try:
            calendar = None
            if message.attach_calendar and message.exchange is not None:
                calendar = exchange_calendar(message.exchange, config["BASE_URL"], now)
            send_email(
                config,
                message.user.email,
                message.subject,
                body,
                calendar,
                html=message.body_html or None,
            )
        except MailError as error:
            message.attempts += 1
            message.last_error = str(error)[:500]
            message.next_attempt_at = now + FIRST_RETRY * 2 ** (message.attempts - 1)
            failed += 1
        except (ValueError, TypeError, UnicodeError) as error:
            # Trying again would fail the same way: set aside with the reason.
            message.attempts = MAX_ATTEMPTS
            message.last_error = f"cannot be built: {error}"[:500]
            logger.warning("notification %s set aside: %s", message.id, error)
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
