"""How often a candidate was suggested to a hub for one kind of exchange.

The engine lowers a pair's score the more often it was shown without anything coming of
it, so managers are not offered the same hub month after month; the digest reads it to
tell new matches from ones already shown.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models.base import Base, UtcDateTime, str_enum


class SuggestionImpression(Base):
    __tablename__ = "suggestion_impressions"
    __table_args__ = (
        UniqueConstraint("organisation_id", "candidate_id", "kind"),
        CheckConstraint("times_shown > 0", name="times_shown_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The hub the suggestion was shown to, and the hub it suggested.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    kind: Mapped[ExchangeKind] = mapped_column(str_enum(ExchangeKind, "exchange_kind"))
    times_shown: Mapped[int] = mapped_column(Integer, default=1)
    first_shown_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
    last_shown_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
