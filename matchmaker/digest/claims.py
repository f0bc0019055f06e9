"""Who may write a person's digest delivery for a period: one run at a time.

A run claims a delivery with one statement, committed before the message goes: an INSERT
of the delivery that, when the delivery exists (or a concurrent run inserted it first),
updates it only if it is neither sent nor skipped and no other run holds a fresh claim
on it. A claim older than `stale_after` belongs to a run that died, and is taken over.

The statements are built once with bound parameters: building and keying them for each
of 10,000 messages cost more than running them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from matchmaker.models import DeliveryState, DigestDelivery

D = DigestDelivery
STATE = D.__table__.c.state.type
MINE = (D.user_id == bindparam("of_user"), D.period == bindparam("of_period"))
FREE = and_(
    D.state.not_in([DeliveryState.SENT, DeliveryState.SKIPPED]),
    or_(D.state != DeliveryState.SENDING, D.updated_at < bindparam("stale_before")),
)
FINISH = (
    update(D)
    .where(*MINE, D.state == DeliveryState.SENDING)
    .values(
        state=bindparam("new_state", type_=STATE),
        reason=bindparam("new_reason"),
        updated_at=bindparam("clock"),
    )
)
STATE_NOW = select(D.state).where(*MINE)


@functools.cache
def _claim(dialect: str) -> Any:
    """One statement for every case: insert the delivery, or update it where it is free;
    RETURNING yields a row only if one of them happened."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    new = insert(D).values(
        user_id=bindparam("of_user"),
        period=bindparam("of_period"),
        state=bindparam("new_state", type_=STATE),
        reason=bindparam("new_reason"),
        message_id=bindparam("new_message_id"),
        updated_at=bindparam("clock"),
        attempts=bindparam("tries"),
    )
    changes = {
        name: getattr(new.excluded, name)
        for name in ("state", "reason", "message_id", "updated_at")
    }
    return new.on_conflict_do_update(
        index_elements=["user_id", "period"],
        set_={**changes, "attempts": D.attempts + new.excluded.attempts},
        where=FREE,
    ).returning(D.id)


@dataclass(frozen=True)
class Claims:
    """Claims on `period`'s deliveries. Times are the wall clock's, whatever `now` the
    content was composed for."""

    period: str
    stale_after: timedelta

    def take(
        self,
        session: Session,
        user_id: int,
        state: DeliveryState,
        reason: str = "",
        message_id: str = "",
    ) -> bool:
        """Move the delivery to `state` if nobody finished it and nobody else holds a
        fresh claim on it; False when another run has it. The caller commits."""
        clock = datetime.now(UTC)
        values = {
            "of_user": user_id,
            "of_period": self.period,
            "new_state": state,
            "new_reason": reason,
            "new_message_id": message_id,
            "clock": clock,
            "tries": int(state is DeliveryState.SENDING),
        }
        connection = session.connection()  # Core: no ORM bookkeeping for a one-row write
        claim = _claim(connection.dialect.name)
        return (
            connection.execute(claim, {**values, "stale_before": clock - self.stale_after}).first()
            is not None
        )

    def finish(
        self, session: Session, user_id: int, state: DeliveryState, reason: str = ""
    ) -> None:
        """Record how our claimed delivery ended. The caller commits."""
        session.connection().execute(
            FINISH,
            {
                "of_user": user_id,
                "of_period": self.period,
                "new_state": state,
                "new_reason": reason,
                "clock": datetime.now(UTC),
            },
        )

    def state(self, session: Session, user_id: int) -> DeliveryState | None:
        """Where the delivery stands (for telling why a claim was refused)."""
        return session.scalar(STATE_NOW, {"of_user": user_id, "of_period": self.period})
