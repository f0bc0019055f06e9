"""A hub taking part in an exchange: two for most kinds, a ring of several for swaps."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, UtcDateTime, str_enum

if TYPE_CHECKING:
    from matchmaker.models.exchange import Exchange
    from matchmaker.models.organisation import Organisation


class ParticipantRole(enum.StrEnum):
    PROPOSER = "proposer"  # the hub that asked
    HOST = "host"  # receives the visitor, resident or desk guests
    GUEST = "guest"  # sends someone to the host
    RING_MEMBER = (
        "ring_member"  # one hub of a multi-way swap: gives to the next, takes from the previous
    )
    PARTNER = "partner"  # a consortium partner


class ParticipantResponse(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ExchangeParticipant(Base):
    __tablename__ = "exchange_participants"
    __table_args__ = (UniqueConstraint("exchange_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchanges.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[ParticipantRole] = mapped_column(str_enum(ParticipantRole, "participant_role"))
    # Order around a swap ring (0, 1, 2...): member i hosts member i-1's people.
    position: Mapped[int] = mapped_column(Integer, default=0)
    response: Mapped[ParticipantResponse] = mapped_column(
        str_enum(ParticipantResponse, "participant_response"), default=ParticipantResponse.PENDING
    )
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    exchange: Mapped[Exchange] = relationship(back_populates="participants")
    organisation: Mapped[Organisation] = relationship()
