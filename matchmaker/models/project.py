"""A past (or running) project that organisations took part in: the collaboration history."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, TimestampMixin, str_enum

if TYPE_CHECKING:
    from matchmaker.models.participation import Participation


class ProjectSource(enum.StrEnum):
    CORDIS = "cordis"
    DEMO = "demo"
    MANUAL = "manual"


class Project(TimestampMixin, Base):
    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name="ends_after_start",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[ProjectSource] = mapped_column(str_enum(ProjectSource, "project_source"))
    # The source's own id (the CORDIS record number for H2020 projects).
    external_id: Mapped[str] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(300))
    programme: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    start_year: Mapped[int | None] = mapped_column(Integer, index=True)
    end_year: Mapped[int | None] = mapped_column(Integer)
    duration_months: Mapped[int | None] = mapped_column(Integer)
    total_cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    max_contribution: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    participations: Mapped[list[Participation]] = relationship(
        back_populates="project", cascade="all, delete-orphan"
    )
    parts: Mapped[list[ProjectProgrammePart]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectProgrammePart.part"
    )

    @property
    def display_title(self) -> str:
        return self.title or f"{self.programme} project {self.external_id}"


class ProjectProgrammePart(Base):
    """A programme part (call topic) of a project, e.g. SC6 or LEIT; a project may have several."""

    __tablename__ = "project_programme_parts"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    part: Mapped[str] = mapped_column(String(60), primary_key=True)
