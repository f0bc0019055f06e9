"""One person's digest for one period: claimed before it is sent, marked sent after, so a
second run (or a run after a crash) sends only what was not sent, and nobody gets the same
period twice. Failed sends keep their error and are retried by the next run."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base, UtcDateTime, str_enum


class DeliveryState(enum.StrEnum):
    SENDING = "sending"  # claimed by a run; the message may or may not have gone
    SENT = "sent"
    FAILED = "failed"  # retried by the next run
    SKIPPED = "skipped"  # nothing new to tell, paused, or switched off (with the reason)


class DigestDelivery(Base):
    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("user_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    state: Mapped[DeliveryState] = mapped_column(str_enum(DeliveryState, "delivery_state"))
    message_id: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Set by every write; for a delivery still SENDING it is when the claim was taken, so
    # a claim older than DIGEST_CLAIM_STALE_SECONDS belongs to a run that died.
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime, server_default=func.now(), onupdate=func.now()
    )
