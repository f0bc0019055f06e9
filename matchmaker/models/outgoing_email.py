"""An email waiting to go, or gone: the outbox.

Every email the app sends (notifications, invitations, password resets, round outcomes)
is a row written in the transaction of the change that causes it, so a change and its
email are stored together or not at all; queue tasks send the rows (`matchmaker.outbox`).
The digest keeps its own per-person claims (`DigestDelivery`).

A row is claimed (`sending_since`, committed) before the mail server is asked, and keeps
one `message_id` for every try, so a copy sent again after a crash is the same message
to mail clients.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, UtcDateTime

if TYPE_CHECKING:
    from matchmaker.models.exchange import Exchange
    from matchmaker.models.notification import Notification


class OutgoingEmail(Base):
    __tablename__ = "outgoing_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What it is, e.g. "password-reset", "invitation" or a notification's topic.
    topic: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The recipient's language: the calendar file built when it is sent is written in it.
    language: Mapped[str | None] = mapped_column(String(8))
    # Stable across tries: a copy sent again after a crash reads as the same message.
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    # The exchange whose calendar event goes along (rebuilt when sent, as its page does).
    calendar_exchange_id: Mapped[int | None] = mapped_column(
        ForeignKey("exchanges.id", ondelete="CASCADE"), index=True
    )
    # The inbox message it mails, if any.
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Claimed by a sender since then (committed before it talks to the mail server).
    sending_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Why it will never be sent (it cannot be built, or it failed too often).
    set_aside: Mapped[str | None] = mapped_column(Text)

    calendar_exchange: Mapped[Exchange | None] = relationship()
    notification: Mapped[Notification | None] = relationship()
