"""A date window in which a hub has desks free for swaps or residency places open."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.matching.kinds import AvailabilityKind
from matchmaker.models.base import Base, TimestampMixin, str_enum

if TYPE_CHECKING:
    from matchmaker.models.organisation import Organisation


class AvailabilityWindow(TimestampMixin, Base):
    __tablename__ = "availability_windows"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("places > 0", name="places_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[AvailabilityKind] = mapped_column(str_enum(AvailabilityKind, "availability_kind"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    places: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(300), default="")

    organisation: Mapped[Organisation] = relationship(back_populates="availability")

    def overlaps(self, starts_on: date, ends_on: date) -> bool:
        return self.starts_on <= ends_on and starts_on <= self.ends_on
