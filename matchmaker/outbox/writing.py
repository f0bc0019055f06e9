"""Writing an email to the outbox, in the caller's transaction: it is stored with the
change that causes it, or not at all, and a queue task sends it once that commits.

The rows a transaction wrote are noted in the session; when its outer transaction
commits, one `send_emails` task is enqueued for them (a savepoint's release is no commit,
and rows of a rolled-back savepoint are forgotten). Should the broker be unreachable,
the queue's sweep (every minute) sends them anyway.
"""

from __future__ import annotations

from email.utils import make_msgid

from flask import has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction

from matchmaker.models import Exchange, Notification, OutgoingEmail

PENDING = "outbox_pending"  # session.info: rows added in the open transaction
COMMITTED = "outbox_committed"  # ids committed and not yet sent by this session


def write_email(
    session: Session,
    *,
    topic: str,
    recipient: str,
    subject: str,
    text: str,
    html: str = "",
    calendar_of: Exchange | None = None,
    notification: Notification | None = None,
    language: str | None = None,
) -> OutgoingEmail:
    """Add an email to the caller's transaction. `calendar_of` attaches that exchange's
    calendar event, built when the email is sent, in `language` (the recipient's). Its
    Message-ID is chosen now, once."""
    row = OutgoingEmail(
        topic=topic,
        recipient=recipient,
        subject=subject,
        text=text,
        html=html,
        message_id=make_msgid(domain="matchmaker"),
        calendar_exchange=calendar_of,
        notification=notification,
        language=language,
        attempts=0,
        last_error="",
    )
    session.add(row)
    session.info.setdefault(PENDING, []).append(row)
    return row


@event.listens_for(Session, "after_commit")
def _send_committed(session: Session) -> None:
    """The transaction's emails are stored: enqueue their sending."""
    if session.in_nested_transaction() or PENDING not in session.info:
        return
    identities = (inspect(row).identity for row in session.info.pop(PENDING))
    ids = [key[0] for key in identities if key]
    if not ids:
        return
    session.info.setdefault(COMMITTED, []).extend(ids)
    if has_app_context():
        from matchmaker.jobs import enqueue

        enqueue("send_emails", ids)


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    """Emails still pending when the session's transaction ends were never committed."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)
