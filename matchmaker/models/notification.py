"""A message to one person, shown in their in-app inbox.

Rows are written in the same transaction as the change they tell about, together with
their email in the outbox (`OutgoingEmail`), so a mail server that is down never loses a
state change nor its message.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, UtcDateTime

if TYPE_CHECKING:
    from matchmaker.models.exchange import Exchange
    from matchmaker.models.user import User


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # What happened, e.g. "proposal_received": lets people (and tests) tell messages apart.
    topic: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # The email's HTML part, rendered with the text from the topic's templates; empty for
    # messages written before it existed, which are mailed as text only.
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The exchange it is about.
    exchange_id: Mapped[int | None] = mapped_column(
        ForeignKey("exchanges.id", ondelete="CASCADE"), index=True
    )

    user: Mapped[User] = relationship()
    exchange: Mapped[Exchange | None] = relationship()
