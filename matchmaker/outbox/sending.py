"""Sending the outbox: each email at most once, whoever sends and whenever one dies.

A sender claims an email before it talks to the mail server: it takes the row (`FOR
UPDATE SKIP LOCKED` on PostgreSQL, so another sender passes it by; on SQLite the writing
transaction holds the database's one write lock, `BEGIN IMMEDIATE`), marks it as being
sent (`sending_since`) and commits. Only then does it send, and it marks the row sent, and
commits, right after the server accepts the message. So two senders at once (the
after-commit task, the minute's sweep, `flask notifications send`, workers on several
machines) never send one email twice.

The one case left is chosen, not hidden, as the digest's (`digest/sending.py`): a sender
killed after the server accepted a message but before marking it sent leaves its claim;
once `OUTBOX_STALE_SECONDS` have passed, a later sender sends that email again, with the
same Message-ID (stored on the row), which mail clients show as one message. That
window is at most one email per crashed sender (the one in hand). A sender killed before
the server accepted leaves nothing behind but the wait.

A refused or dropped send is retried with exponential backoff (2 minutes, doubling);
after `MAX_ATTEMPTS` tries, or at once for an email that cannot be built (a bad address,
a calendar that cannot be made), the row is set aside with its reason and never holds
the others up.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from matchmaker.errors import MailError
from matchmaker.exchanges.calendar import exchange_calendar
from matchmaker.i18n import for_reader
from matchmaker.mail import build_message, send_message
from matchmaker.models import OutgoingEmail
from matchmaker.outbox.writing import COMMITTED

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=2)
STALE_SECONDS = 900  # config OUTBOX_STALE_SECONDS; longer than one send can take


def _due(now: datetime, stale_before: datetime) -> tuple[ColumnElement[bool], ...]:
    """Not sent, not set aside, its retry time come, and nobody sending it (or the one
    who claimed it went silent before `stale_before`)."""
    return (
        OutgoingEmail.sent_at.is_(None),
        OutgoingEmail.set_aside.is_(None),
        OutgoingEmail.attempts < MAX_ATTEMPTS,
        or_(OutgoingEmail.next_attempt_at.is_(None), OutgoingEmail.next_attempt_at <= now),
        or_(OutgoingEmail.sending_since.is_(None), OutgoingEmail.sending_since < stale_before),
    )


def send_due(
    session: Session,
    config: Mapping[str, Any],
    ids: Sequence[int] | None = None,
    now: datetime | None = None,
    limit: int = 500,
) -> tuple[int, int]:
    """Send the due emails (all, or those of `ids`); returns (sent, failed). `now` is when
    retries fall due (tests move it); claims are taken on the wall clock."""
    now = now or datetime.now(UTC)
    stale = timedelta(seconds=config.get("OUTBOX_STALE_SECONDS", STALE_SECONDS))
    query = (
        select(OutgoingEmail.id)
        .where(*_due(now, datetime.now(UTC) - stale))
        .order_by(OutgoingEmail.id)
        .limit(limit)
    )
    if ids is not None:
        query = query.where(OutgoingEmail.id.in_(list(ids)))
    candidates = session.scalars(query).all()
    session.commit()  # end the reading snapshot: each claim is a transaction of its own
    sent = failed = 0
    for email_id in candidates:
        email = _claim(session, email_id, now, stale)
        if email is None:  # sent meanwhile, or being sent by another sender
            continue
        if _send(session, config, email, now):
            sent += 1
        else:
            failed += 1
    return sent, failed


def send_committed(session: Session, config: Mapping[str, Any]) -> tuple[int, int]:
    """Send now what this session committed since the last call (a command reports how
    many went out); the queued task then finds them sent."""
    ids = session.info.pop(COMMITTED, [])
    return send_due(session, config, ids) if ids else (0, 0)


def _claim(
    session: Session, email_id: int, now: datetime, stale: timedelta
) -> OutgoingEmail | None:
    """Mark the email as being sent by us, committed; None if another sender has it."""
    claimed_at = datetime.now(UTC)
    email = session.scalar(
        select(OutgoingEmail)
        .where(OutgoingEmail.id == email_id, *_due(now, claimed_at - stale))
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if email is None:
        session.commit()
        return None
    if email.sending_since is not None:
        logger.warning(
            "email %s: its sender went silent since %s; sending it again as %s",
            email.id,
            email.sending_since,
            email.message_id,
        )
    email.sending_since = claimed_at
    email.attempts += 1
    session.commit()
    return email


def _send(session: Session, config: Mapping[str, Any], email: OutgoingEmail, now: datetime) -> bool:
    """Send the claimed email and record how it went (committed); true if it went."""
    try:
        calendar = None
        if email.calendar_exchange is not None:
            with for_reader(email.language):
                calendar = exchange_calendar(email.calendar_exchange, config["BASE_URL"], now)
        message = build_message(
            config,
            email.recipient,
            email.subject,
            email.text,
            calendar,
            html=email.html or None,
            message_id=email.message_id,
        )
        send_message(config, message)
    except MailError as error:
        email.last_error = str(error)[:500]
        if email.attempts >= MAX_ATTEMPTS:
            email.set_aside = f"failed {email.attempts} times: {error}"[:500]
        else:
            email.next_attempt_at = now + FIRST_RETRY * 2 ** (email.attempts - 1)
        ok = False
    except (ValueError, TypeError, UnicodeError) as error:
        # Trying again would fail the same way: set aside with the reason.
        email.set_aside = email.last_error = f"cannot be built: {error}"[:500]
        logger.warning("email %s set aside: %s", email.id, error)
        ok = False
    else:
        email.sent_at = datetime.now(UTC)
        ok = True
    email.sending_since = None
    session.commit()
    return ok
