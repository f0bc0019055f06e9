"""A hub's text as the directory's search reads it: folded words (no case, no accents)
from each part of its profile, one column per part so that a hit in the name ranks above
one in a service's description. Written by `matchmaker.hubs.search_index` in the
transaction of every change to the hub, never by hand."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base


class HubSearch(Base):
    __tablename__ = "hub_search"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(Text, default="")
    # City, country code and country name.
    place: Mapped[str] = mapped_column(Text, default="")
    disciplines: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # Services' titles, descriptions and categories.
    services: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[str] = mapped_column(Text, default="")
