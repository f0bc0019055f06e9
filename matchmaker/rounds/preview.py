"""What-if: a round's allocation as running it would make it, without closing
applications, asking hosts or storing anything.

The preview runs the very steps of `allocation.allocate` (the optimiser, then the places
on each applicant's own dates) inside the transaction, reads the outcome into plain
values and rolls the transaction back; so it never disagrees with what "Run the
allocation" would do on the same data, and nothing of it is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from matchmaker.models import Organisation, ResidencyRound, User
from matchmaker.rounds.allocation import (
    check_allocatable,
    locked_round,
    review_of,
    run_allocation,
)
from matchmaker.rounds.applications import get_round


@dataclass(frozen=True)
class PreviewRow:
    """One application's outcome in the preview."""

    hub: str
    hub_slug: str
    starts_on: date
    ends_on: date
    host: str | None  # its name; None: left out
    host_slug: str | None
    choice: int | None  # the host's rank in the application (1 = first choice)
    cost: Decimal | None
    outcome: str


@dataclass(frozen=True)
class AllocationPreview:
    round: ResidencyRound
    rows: list[PreviewRow]
    budget: Decimal  # the round's budget less what approved residencies spent
    cost: Decimal  # of the previewed placements
    explanation: str  # the optimiser's own summary

    @property
    def placed(self) -> int:
        return sum(1 for row in self.rows if row.host is not None)

    @property
    def budget_left(self) -> Decimal:
        return self.budget - self.cost


def preview_allocation(session: Session, user: User | None, round_id: int) -> AllocationPreview:
    """A coordinator's what-if of the round's allocation; the round and its applications
    are left exactly as they were."""
    round_ = locked_round(session, user, round_id)
    check_allocatable(round_)
    try:
        allocation, applications = run_allocation(session, round_)
        rows = []
        for application in applications:
            host = application.placed_host_id
            rows.append(
                PreviewRow(
                    application.hub.name,
                    application.hub.slug,
                    application.starts_on,
                    application.ends_on,
                    *_name_and_slug(session, host),
                    application.hosts.index(host) + 1 if host in application.hosts else None,
                    application.cost if host is not None else None,
                    application.outcome_message,
                )
            )
        budget = review_of(session, round_).budget
        cost = sum((row.cost or Decimal(0) for row in rows), Decimal(0))
    finally:
        session.rollback()
    return AllocationPreview(get_round(session, round_id), rows, budget, cost, allocation.reason)


def _name_and_slug(session: Session, organisation_id: int | None) -> tuple[str | None, str | None]:
    found = session.get(Organisation, organisation_id) if organisation_id is not None else None
    return (found.name, found.slug) if found else (None, None)
