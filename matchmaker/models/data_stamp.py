"""The version of the data the matching engine reads: one row whose number goes up with
every committed change to hubs, their offers, needs, windows, projects or exchanges, and
a log of which hubs each version changed.

One primary-key read tells a process whether its index is current (the nine aggregate
queries it replaces grew with the network), and the log lets the index builder apply a
hub's edit alone instead of rebuilding everything.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base, UtcDateTime


class DataStamp(Base):
    __tablename__ = "data_stamp"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class IndexChange(Base):
    """What version `version` changed: one hub (`scope` "hub"), or something every hub's
    scores may depend on ("exchanges", "projects", "all")."""

    __tablename__ = "index_changes"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, index=True)
    scope: Mapped[str] = mapped_column(String(10))
    organisation_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
