"""The network's impact in figures: what exchanges happened, between which countries and
disciplines, how they went, and what the residency budget paid for. One function reads
the figures; the dashboard draws them and the CSV export lists them."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.approvals import spent
from matchmaker.models import (
    Exchange,
    ExchangeFeedback,
    ExchangeParticipant,
    ExchangeState,
    Organisation,
    ResidencyRound,
    User,
)
from matchmaker.permissions import require_coordinator

S = ExchangeState
AGREED = (S.SCHEDULED, S.COMPLETED, S.NO_SHOW, S.CANCELLED, S.APPROVED)
ENDED = (S.COMPLETED, S.CANCELLED, S.NO_SHOW)


@dataclass
class Impact:
    by_kind_and_state: dict[tuple[str, str], int] = field(default_factory=dict)
    completed_by_month: dict[str, int] = field(default_factory=dict)  # "2027-03" -> count
    country_pairs: dict[str, int] = field(default_factory=dict)  # "PT–ES" -> completed
    disciplines: dict[str, int] = field(default_factory=dict)  # completed, per discipline
    completion_rate: float | None = None  # completed / ended
    mean_rating: float | None = None
    satisfied_share: float | None = None  # ratings of 4 or 5
    collaborations: int = 0
    cross_border_share: float | None = None  # of completed exchanges
    budget: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)  # name, budget, spent

    def rows(self) -> list[tuple[str, str, str]]:
        """Every figure as (figure, key, value), for the CSV export."""
        out = [("exchanges", f"{kind} {state}", str(n))
               for (kind, state), n in sorted(self.by_kind_and_state.items())]  # fmt: skip
        out += [
            ("completed by month", month, str(n)) for month, n in self.completed_by_month.items()
        ]
        out += [
            ("completed by country pair", pair, str(n)) for pair, n in self.country_pairs.items()
        ]
        out += [("completed by discipline", d, str(n)) for d, n in self.disciplines.items()]
        for name in ("completion_rate", "mean_rating", "satisfied_share", "cross_border_share"):
            value = getattr(self, name)
            out.append((name.replace("_", " "), "", "" if value is None else f"{value:.4f}"))
        out.append(("collaborations", "", str(self.collaborations)))
        out += [("budget", name, f"{used} of {budget}") for name, budget, used in self.budget]
        return out


def network_impact(session: Session, user: User | None) -> Impact:
    require_coordinator(user)
    exchanges = session.scalars(
        select(Exchange).options(
            selectinload(Exchange.participants)
            .selectinload(ExchangeParticipant.organisation)
            .selectinload(Organisation.disciplines)
        )
    ).all()
    impact = Impact()
    impact.by_kind_and_state = dict(Counter((e.kind.value, e.state.value) for e in exchanges))
    completed = [e for e in exchanges if e.state is S.COMPLETED]
    months: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    disciplines: Counter[str] = Counter()
    cross_border = 0
    for exchange in completed:
        when = exchange.ends_on or (exchange.completed_at.date() if exchange.completed_at else None)
        if when:
            months[when.strftime("%Y-%m")] += 1
        countries = sorted({p.organisation.country for p in exchange.participants})
        pairs["–".join(countries)] += 1
        cross_border += len(countries) > 1
        for name in {d.name for p in exchange.participants for d in p.organisation.disciplines}:
            disciplines[name] += 1
    impact.completed_by_month = dict(sorted(months.items()))
    impact.country_pairs = dict(pairs.most_common())
    impact.disciplines = dict(disciplines.most_common())
    ended = [e for e in exchanges if e.state in ENDED]
    impact.completion_rate = len(completed) / len(ended) if ended else None
    impact.cross_border_share = cross_border / len(completed) if completed else None
    feedback = session.scalars(select(ExchangeFeedback)).all()
    ratings = [f.rating for f in feedback]
    impact.mean_rating = mean(ratings) if ratings else None
    impact.satisfied_share = sum(r >= 4 for r in ratings) / len(ratings) if ratings else None
    collaborations: dict[int, bool] = defaultdict(bool)
    for given in feedback:
        collaborations[given.exchange_id] |= given.collaboration
    impact.collaborations = sum(collaborations.values())
    impact.budget = [
        (r.name, r.budget, spent(session, r))
        for r in session.scalars(select(ResidencyRound).order_by(ResidencyRound.starts_on))
    ]
    return impact
