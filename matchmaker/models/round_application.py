"""A hub's application to a residency round: the hosts it wants, best first, the dates
within the round's window and a message; after the allocation, its outcome (a host and
what it costs, or why it was left out), and after publishing, the residency it became.

The ranked hosts are a JSON list of organisation ids: the use case checks each against
the round's eligible hosts when the manager applies, and the engine ignores any host that
stopped hosting since (`matching/residency_rounds.py`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.matching.message import from_stored
from matchmaker.models.base import Base, TimestampMixin, UtcDateTime

if TYPE_CHECKING:
    from matchmaker.models.exchange import Exchange
    from matchmaker.models.organisation import Organisation
    from matchmaker.models.residency_round import ResidencyRound
    from matchmaker.models.user import User


class RoundApplication(TimestampMixin, Base):
    __tablename__ = "round_applications"
    __table_args__ = (
        UniqueConstraint("round_id", "hub_id"),  # one application per hub and round
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("residency_rounds.id", ondelete="CASCADE"), index=True
    )
    hub_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hosts: Mapped[list[int]] = mapped_column(JSON, default=list)  # organisation ids, best first
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    message: Mapped[str] = mapped_column(Text, default="")
    # The outcome, set by the allocation and by a coordinator's adjustments.
    placed_host_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    left_out_cause: Mapped[str | None] = mapped_column(String(30))
    # The sentence the applicant reads, stored as a message (`matching/message.py`) so
    # each reader reads it in their language: see `outcome_message`.
    outcome: Mapped[str] = mapped_column(Text, default="")
    exchange_id: Mapped[int | None] = mapped_column(ForeignKey("exchanges.id", ondelete="SET NULL"))
    # The placed host's consent, asked before the round is published: "confirmed" or
    # "declined", by the host's manager (or a coordinator recording the host's answer).
    host_answer: Mapped[str | None] = mapped_column(String(10))
    host_answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    round: Mapped[ResidencyRound] = relationship()
    hub: Mapped[Organisation] = relationship(foreign_keys=[hub_id])
    applied_by: Mapped[User | None] = relationship()
    placed_host: Mapped[Organisation | None] = relationship(foreign_keys=[placed_host_id])
    exchange: Mapped[Exchange | None] = relationship()

    @property
    def outcome_message(self) -> str:
        """The outcome as the message it was stored as (its English as a `str`; pages
        and the API write it in the reader's language with `i18n.messages.render`)."""
        return from_stored(self.outcome or "")
