"""Who a run of the digest is for: everyone reachable with the digest on whose delivery
for the period is not yet sent or skipped, cut into chunks that any worker can send.

A plan is a list of ids, not of contents: each chunk composes its own people when it
runs, so a chunk is a small task for a queue and a killed chunk loses nothing that the
next run does not find again (its people are still due).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.models import DeliveryState, DigestDelivery, Role, User

REACHABLE = (
    User.is_active,
    User.invited_at.is_(None),
    User.role.in_([Role.MANAGER, Role.COORDINATOR, Role.ADMIN]),
)
DONE = (DeliveryState.SENT, DeliveryState.SKIPPED)


@dataclass
class Plan:
    period: str
    chunks: list[list[int]] = field(default_factory=list)  # user ids, in id order
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def people(self) -> int:
        return sum(len(chunk) for chunk in self.chunks)

    def cut(self, size: int) -> None:
        """Cut the people again into chunks of `size`."""
        due = [user_id for chunk in self.chunks for user_id in chunk]
        self.chunks = [due[start : start + size] for start in range(0, len(due), max(1, size))]


def recipients(session: Session, among: list[int] | None = None) -> list[User]:
    """Everyone who may get a digest (active, with a password set, digest not off), or
    those of them whose ids are `among`."""
    query = select(User).where(*REACHABLE, User.digest != "off")
    if among is not None:
        query = query.where(User.id.in_(among))
    return list(session.scalars(query.options(selectinload(User.hub)).order_by(User.id)))


def switched_off(session: Session) -> int:
    """People who would get a digest but switched it off: counted in the summary."""
    return session.scalar(select(func.count()).where(*REACHABLE, User.digest == "off")) or 0


def done_for(session: Session, period: str, among: list[int] | None = None) -> set[int]:
    """The people whose delivery for `period` is sent or skipped."""
    query = select(DigestDelivery.user_id).where(
        DigestDelivery.period == period, DigestDelivery.state.in_(DONE)
    )
    if among is not None:
        query = query.where(DigestDelivery.user_id.in_(among))
    return set(session.scalars(query))


def plan_run(session: Session, period: str, chunk_size: int, limit: int | None = None) -> Plan:
    """The people due for `period`, at most `limit`, in chunks of `chunk_size`."""
    plan = Plan(period)
    if off := switched_off(session):
        plan.skipped["digest switched off"] = off
    everyone = list(
        session.scalars(select(User.id).where(*REACHABLE, User.digest != "off").order_by(User.id))
    )
    done = done_for(session, period)
    due = [user_id for user_id in everyone if user_id not in done]
    if len(due) < len(everyone):
        plan.skipped["already done this period"] = len(everyone) - len(due)
    if limit is not None and len(due) > limit:
        plan.skipped["over the limit: left for the next run"] = len(due) - limit
        due = due[:limit]
    plan.chunks = [due]
    plan.cut(chunk_size)
    return plan
