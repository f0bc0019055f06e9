"""An exchange between hubs, from proposal to completion (design.md section 3).

The states and the moves between them are data here, so later work adds behaviour
(who may move an exchange, what is sent) without touching the schema.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Numeric, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models.base import Base, TimestampMixin, UtcDateTime, str_enum

if TYPE_CHECKING:
    from matchmaker.models.exchange_message import ExchangeMessage
    from matchmaker.models.exchange_participant import ExchangeParticipant
    from matchmaker.models.user import User


class ExchangeState(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


S = ExchangeState
_COMMON: dict[ExchangeState, frozenset[ExchangeState]] = {
    S.PROPOSED: frozenset({S.ACCEPTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN}),
    S.SCHEDULED: frozenset({S.COMPLETED, S.CANCELLED, S.NO_SHOW}),
}
# A residency is funded, so a coordinator approves it between acceptance and scheduling.
TRANSITIONS: dict[ExchangeKind, dict[ExchangeState, frozenset[ExchangeState]]] = {
    kind: {
        **_COMMON,
        S.ACCEPTED: frozenset(
            {S.PENDING_APPROVAL, S.CANCELLED}
            if kind is ExchangeKind.RESIDENCY
            else {S.SCHEDULED, S.CANCELLED}
        ),
        **(
            {
                S.PENDING_APPROVAL: frozenset({S.APPROVED, S.REJECTED, S.CANCELLED}),
                S.APPROVED: frozenset({S.SCHEDULED, S.CANCELLED}),
            }
            if kind is ExchangeKind.RESIDENCY
            else {}
        ),
    }
    for kind in ExchangeKind
}
FINAL_STATES = frozenset(
    {S.DECLINED, S.EXPIRED, S.WITHDRAWN, S.REJECTED, S.COMPLETED, S.CANCELLED, S.NO_SHOW}
)
OPEN_STATES = frozenset({S.PROPOSED})


class InvalidTransition(ValueError):
    """The exchange cannot move from its state to the one asked for."""


def next_states(kind: ExchangeKind, state: ExchangeState) -> frozenset[ExchangeState]:
    return TRANSITIONS[kind].get(state, frozenset())


class Exchange(TimestampMixin, Base):
    __tablename__ = "exchanges"
    __table_args__ = (
        CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
            name="ends_after_start",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ExchangeKind] = mapped_column(str_enum(ExchangeKind, "exchange_kind"), index=True)
    state: Mapped[ExchangeState] = mapped_column(
        str_enum(ExchangeState, "exchange_state"), default=ExchangeState.PROPOSED, index=True
    )
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # The personal message that comes with the proposal.
    message: Mapped[str] = mapped_column(Text, default="")
    # Why it was declined, rejected or cancelled, in the words of whoever did it.
    reason: Mapped[str] = mapped_column(Text, default="")
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The residency round that pays for a residency, and what it costs (set on approval).
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("residency_rounds.id", ondelete="RESTRICT"), index=True
    )
    cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # When it was completed: feedback is due from then, and reviews show after a while.
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When the host was reminded that the proposal is about to expire (once).
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    state_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
    # The calendar event's SEQUENCE (RFC 5545): raised by every move, so a subscribed
    # calendar replaces its copy when the exchange changes or is cancelled.
    calendar_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    proposed_by: Mapped[User | None] = relationship()
    participants: Mapped[list[ExchangeParticipant]] = relationship(
        back_populates="exchange",
        cascade="all, delete-orphan",
        order_by="ExchangeParticipant.position",
    )
    messages: Mapped[list[ExchangeMessage]] = relationship(
        back_populates="exchange", cascade="all, delete-orphan", order_by="ExchangeMessage.id"
    )

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    def can_move_to(self, state: ExchangeState) -> bool:
        return state in next_states(self.kind, self.state)

    def move_to(self, state: ExchangeState, reason: str = "", at: datetime | None = None) -> None:
        """Move to `state` and note when (`at`, the use case's clock, which tests fix;
        without it the database's clock at the next flush), so no caller has to remember
        `state_changed_at`."""
        if not self.can_move_to(state):
            allowed = ", ".join(sorted(next_states(self.kind, self.state))) or "none"
            raise InvalidTransition(
                f"a {self.kind.value} exchange cannot go from {self.state.value} to "
                f"{state.value} (allowed: {allowed})"
            )
        self.state = state
        self.calendar_sequence = (self.calendar_sequence or 0) + 1
        self.state_changed_at = func.now() if at is None else at
        if reason:
            self.reason = reason
