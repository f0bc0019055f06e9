"""What one hub says after an exchange: a private rating and outcome for the coordinators,
and a short review that the other side sees once both have written (or after a while)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, UtcDateTime

if TYPE_CHECKING:
    from matchmaker.models.exchange import Exchange
    from matchmaker.models.organisation import Organisation
    from matchmaker.models.user import User


class ExchangeFeedback(Base):
    __tablename__ = "exchange_feedback"
    __table_args__ = (
        UniqueConstraint("exchange_id", "organisation_id"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column(
        ForeignKey("exchanges.id", ondelete="CASCADE"), index=True
    )
    # The hub that gives the feedback, about the others in the exchange.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Private, for the coordinators: the outcome.
    rating: Mapped[int] = mapped_column(Integer)
    took_place: Mapped[bool] = mapped_column(Boolean, default=True)
    learned: Mapped[str] = mapped_column(Text, default="")
    collaboration: Mapped[bool] = mapped_column(Boolean, default=False)
    # Shown to the other side once both have written, or after the reveal time.
    review: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())

    exchange: Mapped[Exchange] = relationship()
    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship()
