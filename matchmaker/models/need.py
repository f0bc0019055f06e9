"""Something a hub wants to learn or get, with how much it matters to them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.matching.kinds import NeedPriority
from matchmaker.models.base import Base, TimestampMixin, str_enum
from matchmaker.models.service_category import ServiceCategory

if TYPE_CHECKING:
    from matchmaker.models.organisation import Organisation


class Need(TimestampMixin, Base):
    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("service_categories.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # The language the title and description are written in (ISO 639-1), given or
    # detected; None when not known.
    language: Mapped[str | None] = mapped_column(String(8))
    priority: Mapped[NeedPriority] = mapped_column(
        str_enum(NeedPriority, "need_priority"), default=NeedPriority.MEDIUM
    )

    organisation: Mapped[Organisation] = relationship(back_populates="needs")
    category: Mapped[ServiceCategory] = relationship(lazy="joined")
