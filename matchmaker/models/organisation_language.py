"""A language (ISO 639-1) an organisation works in."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base


class OrganisationLanguage(Base):
    __tablename__ = "organisation_languages"
    __table_args__ = (CheckConstraint("length(code) = 2", name="code_two_letters"),)

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
