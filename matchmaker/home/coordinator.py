"""A coordinator's home: the residencies waiting for approval (each with its round's
budget left and the host's places left), the rounds still running with their deadlines
and money, and the network's month at a glance (from the impact figures and the digest's
network moves, so the numbers agree with the dashboard and the emails).

Hubs waiting for validation are not listed: the model has no such step yet (a hub is a
member or not, set by a coordinator's import), so there is nothing to wait for.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.digest.content import NetworkMoves, network_moves
from matchmaker.i18n.formats import month
from matchmaker.impact.figures import Impact, Period, network_impact
from matchmaker.models import (
    Exchange,
    ResidencyRound,
    RoundApplication,
    RoundState,
    User,
)
from matchmaker.permissions import require_coordinator
from matchmaker.rounds.applications import applications_close_on
from matchmaker.rounds.approvals import approval_queue
from matchmaker.rounds.funding import Funding, budget_left

RUNNING = (RoundState.OPEN, RoundState.ALLOCATED)


@dataclass(frozen=True)
class RunningRound:
    round: ResidencyRound
    closes_on: date
    applications: int
    budget_left: Decimal


@dataclass
class CoordinatorHome:
    month: str  # "2027-03"
    approvals: list[tuple[Exchange, Funding]] = field(default_factory=list)
    rounds: list[RunningRound] = field(default_factory=list)
    # Exchanges starting this month, by state (`exchanges.words` names them).
    by_state: dict[str, int] = field(default_factory=dict)
    moves: NetworkMoves = field(default_factory=lambda: NetworkMoves(0, 0))
    figures: Impact = field(default_factory=Impact)

    @property
    def month_label(self) -> str:
        """The month as the reader names it: "March 2027", "березень 2027"."""
        return month(datetime.strptime(self.month, "%Y-%m"))


def coordinator_home(
    session: Session, user: User | None, now: datetime | None = None
) -> CoordinatorHome:
    require_coordinator(user)
    now = now or datetime.now(UTC)
    first = now.date().replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    home = CoordinatorHome(month=first.strftime("%Y-%m"))
    home.approvals = approval_queue(session, user)
    counts = dict(
        session.execute(
            select(RoundApplication.round_id, func.count()).group_by(RoundApplication.round_id)
        ).all()
    )
    running = session.scalars(
        select(ResidencyRound)
        .where(ResidencyRound.state.in_(RUNNING))
        .order_by(ResidencyRound.starts_on, ResidencyRound.id)
    )
    home.rounds = [
        RunningRound(r, applications_close_on(r), counts.get(r.id, 0), budget_left(session, r))
        for r in running
    ]
    home.figures = network_impact(session, user, Period(first, last))
    by_state: Counter[str] = Counter()
    for (_kind, state), count in home.figures.by_kind_and_state.items():
        by_state[state] += count
    home.by_state = dict(by_state.most_common())
    home.moves = network_moves(session, home.month)
    return home
