"""Who took part in which project, in which role: the edges of the collaboration graph."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, str_enum

if TYPE_CHECKING:
    from matchmaker.models.organisation import Organisation
    from matchmaker.models.project import Project


class ParticipationRole(enum.StrEnum):
    COORDINATOR = "coordinator"
    PARTICIPANT = "participant"
    PARTNER = "partner"


class Participation(Base):
    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("project_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[ParticipationRole] = mapped_column(
        str_enum(ParticipationRole, "participation_role")
    )
    contribution: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    project: Mapped[Project] = relationship(back_populates="participations")
    organisation: Mapped[Organisation] = relationship(back_populates="participations")
