"""Something a hub offers to others (its FabLab, a voucher scheme, residency places...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, TimestampMixin
from matchmaker.models.service_category import ServiceCategory

if TYPE_CHECKING:
    from matchmaker.models.organisation import Organisation


class Service(TimestampMixin, Base):
    __tablename__ = "services"

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

    organisation: Mapped[Organisation] = relationship(back_populates="services")
    category: Mapped[ServiceCategory] = relationship(lazy="joined")
