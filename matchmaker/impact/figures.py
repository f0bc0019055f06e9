"""The network's impact in figures: what exchanges happened, between which countries and
disciplines, how they went, and what the residency budget paid for. One function reads
the figures, for all time or a period; the dashboard draws them and the CSV export lists
them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from statistics import mean
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.errors import InputError
from matchmaker.field_input import FieldReader
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
from matchmaker.rounds.funding import spent

S = ExchangeState
AGREED = (S.SCHEDULED, S.COMPLETED, S.NO_SHOW, S.CANCELLED, S.APPROVED)
ENDED = (S.COMPLETED, S.CANCELLED, S.NO_SHOW)


Series = dict[str, dict[str, int]]  # month ("2027-03") -> key -> count


@dataclass(frozen=True)
class Period:
    """The exchanges whose date (their first day, or the day proposed when undated) falls
    from `since` to `until`, both included; None is open-ended."""

    since: date | None = None
    until: date | None = None

    @classmethod
    def from_input(cls, data: Mapping[str, Any]) -> Period:
        fields = FieldReader(data)
        period = cls(fields.day("from"), fields.day("to"))
        if period.since and period.until and period.until < period.since:
            fields.problem("to", _("must be on or after the start of the period"))
        if fields.problems:
            raise InputError(fields.problems)
        return period

    def holds(self, day: date | None) -> bool:
        if day is None:
            return self.since is None and self.until is None
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )


def exchange_day(exchange: Exchange) -> date | None:
    """When an exchange happens, for the figures over time."""
    if exchange.starts_on:
        return exchange.starts_on
    return exchange.created_at.date() if exchange.created_at else None


@dataclass
class Impact:
    period: Period = field(default_factory=Period)
    by_kind_and_state: dict[tuple[str, str], int] = field(default_factory=dict)
    by_month_and_kind: Series = field(default_factory=dict)  # every exchange
    by_month_and_state: Series = field(default_factory=dict)
    completed_by_month: dict[str, int] = field(default_factory=dict)  # "2027-03" -> count
    country_pairs_by_month: Series = field(default_factory=dict)  # completed
    disciplines_by_month: Series = field(default_factory=dict)  # completed
    country_pairs: dict[str, int] = field(default_factory=dict)  # "PT–ES" -> completed
    disciplines: dict[str, int] = field(default_factory=dict)  # completed, per discipline
    completion_rate: float | None = None  # completed / ended
    mean_rating: float | None = None
    satisfied_share: float | None = None  # ratings of 4 or 5
    collaborations: int = 0
    cross_border_share: float | None = None  # of completed exchanges
    # name, budget, spent, currency
    budget: list[tuple[str, Decimal, Decimal, str]] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str, str]]:
        """Every figure as (figure, key, value), for the CSV export."""
        out = [
            ("exchanges", f"{kind} {state}", str(n))
            for (kind, state), n in sorted(self.by_kind_and_state.items())
        ]
        out += [
            ("completed by month", month, str(n)) for month, n in self.completed_by_month.items()
        ]
        for figure, series in (
            ("exchanges by month and kind", self.by_month_and_kind),
            ("exchanges by month and state", self.by_month_and_state),
            ("completed by month and country pair", self.country_pairs_by_month),
            ("completed by month and discipline", self.disciplines_by_month),
        ):
            out += [
                (figure, f"{month} {key}", str(n))
                for month, counts in series.items()
                for key, n in counts.items()
            ]
        out += [
            ("completed by country pair", pair, str(n)) for pair, n in self.country_pairs.items()
        ]
        out += [("completed by discipline", d, str(n)) for d, n in self.disciplines.items()]
        for name in ("completion_rate", "mean_rating", "satisfied_share", "cross_border_share"):
            value = getattr(self, name)
            out.append((name.replace("_", " "), "", "" if value is None else f"{value:.4f}"))
        out.append(("collaborations", "", str(self.collaborations)))
        out += [
            ("budget", name, f"{used} of {budget}") for name, budget, used, _currency in self.budget
        ]
        return out


def _add(series: Series, month: str | None, key: str) -> None:
    if month is not None:
        counts = series.setdefault(month, {})
        counts[key] = counts.get(key, 0) + 1


def _sorted(series: Series) -> Series:
    return {month: dict(sorted(series[month].items())) for month in sorted(series)}


def network_impact(session: Session, user: User | None, period: Period | None = None) -> Impact:
    require_coordinator(user)
    period = period or Period()
    exchanges = [
        e
        for e in session.scalars(
            select(Exchange).options(
                selectinload(Exchange.participants)
                .selectinload(ExchangeParticipant.organisation)
                .selectinload(Organisation.disciplines)
            )
        )
        if period.holds(exchange_day(e))
    ]
    impact = Impact(period)
    impact.by_kind_and_state = dict(Counter((e.kind.value, e.state.value) for e in exchanges))
    for exchange in exchanges:
        day = exchange_day(exchange)
        month = day.strftime("%Y-%m") if day else None
        _add(impact.by_month_and_kind, month, exchange.kind.value)
        _add(impact.by_month_and_state, month, exchange.state.value)
    completed = [e for e in exchanges if e.state is S.COMPLETED]
    months: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    disciplines: Counter[str] = Counter()
    cross_border = 0
    for exchange in completed:
        when = exchange.ends_on or (exchange.completed_at.date() if exchange.completed_at else None)
        month = when.strftime("%Y-%m") if when else None
        if month:
            months[month] += 1
        countries = sorted({p.organisation.country for p in exchange.participants})
        pairs["–".join(countries)] += 1
        _add(impact.country_pairs_by_month, month, "–".join(countries))
        cross_border += len(countries) > 1
        for name in {d.name for p in exchange.participants for d in p.organisation.disciplines}:
            disciplines[name] += 1
            _add(impact.disciplines_by_month, month, name)
    impact.completed_by_month = dict(sorted(months.items()))
    impact.by_month_and_kind = _sorted(impact.by_month_and_kind)
    impact.by_month_and_state = _sorted(impact.by_month_and_state)
    impact.country_pairs_by_month = _sorted(impact.country_pairs_by_month)
    impact.disciplines_by_month = _sorted(impact.disciplines_by_month)
    impact.country_pairs = dict(pairs.most_common())
    impact.disciplines = dict(disciplines.most_common())
    ended = [e for e in exchanges if e.state in ENDED]
    impact.completion_rate = len(completed) / len(ended) if ended else None
    impact.cross_border_share = cross_border / len(completed) if completed else None
    counted = {e.id for e in exchanges}
    feedback = [f for f in session.scalars(select(ExchangeFeedback)) if f.exchange_id in counted]
    ratings = [f.rating for f in feedback]
    impact.mean_rating = mean(ratings) if ratings else None
    impact.satisfied_share = sum(r >= 4 for r in ratings) / len(ratings) if ratings else None
    collaborations: dict[int, bool] = defaultdict(bool)
    for given in feedback:
        collaborations[given.exchange_id] |= given.collaboration
    impact.collaborations = sum(collaborations.values())
    impact.budget = [
        (r.name, r.budget, spent(session, r), r.currency)
        for r in session.scalars(select(ResidencyRound).order_by(ResidencyRound.starts_on))
    ]
    return impact
