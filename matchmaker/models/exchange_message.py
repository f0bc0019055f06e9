"""A message written on an exchange by one of the people involved."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, UtcDateTime

if TYPE_CHECKING:
    from matchmaker.models.exchange import Exchange
    from matchmaker.models.user import User


class ExchangeMessage(Base):
    __tablename__ = "exchange_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column(
        ForeignKey("exchanges.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())

    exchange: Mapped[Exchange] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
