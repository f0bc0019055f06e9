"""A funded round of manager residencies: a window of dates, a budget and what each
residency costs. Residencies in its window are paid from its budget once a coordinator
approves them; the budget is never overspent."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, TimestampMixin, UtcDateTime, str_enum

if TYPE_CHECKING:
    from matchmaker.models.user import User


# The currency of a round that names none, as the network's programmes mostly are.
DEFAULT_CURRENCY = "EUR"


class RoundState(enum.StrEnum):
    OPEN = "open"  # managers apply; residencies in its window are funded from it
    ALLOCATED = "allocated"  # the optimiser proposed an allocation for review
    PUBLISHED = "published"  # the outcome was told to every applicant
    CLOSED = "closed"


class ResidencyRound(TimestampMixin, Base):
    __tablename__ = "residency_rounds"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("budget >= 0", name="budget_not_negative"),
        CheckConstraint(
            "cost_per_residency >= 0 AND cost_per_week >= 0", name="costs_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    applications_close_on: Mapped[date | None] = mapped_column(Date)
    budget: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    cost_per_residency: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
    cost_per_week: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
    # The budget's and costs' currency (ISO 4217).
    currency: Mapped[str] = mapped_column(
        String(3), default=DEFAULT_CURRENCY, server_default=DEFAULT_CURRENCY
    )
    state: Mapped[RoundState] = mapped_column(
        str_enum(RoundState, "round_state"), default=RoundState.OPEN, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    created_by: Mapped[User | None] = relationship()
