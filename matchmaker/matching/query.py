"""What a manager asks the engine for: a kind of exchange and optional filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.message import said

MAX_LIMIT = 100
# Without dates, residencies are looked for in the coming year.
DEFAULT_HORIZON = timedelta(days=365)


@dataclass(frozen=True)
class MatchQuery:
    kind: ExchangeKind
    countries: frozenset[str] = frozenset()  # candidate in one of these (ISO codes)
    disciplines: frozenset[str] = frozenset()  # candidate works in one of these
    languages: frozenset[str] = frozenset()  # candidate speaks one of these
    max_distance_km: float | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    programme_part: str | None = None  # the call topic, for project partners
    limit: int = 10

    def problems(self) -> dict[str, str]:
        """Field → reason for every value the engine cannot use."""
        problems: dict[str, str] = {}
        if not 1 <= self.limit <= MAX_LIMIT:
            problems["limit"] = said("must be between 1 and %(most)s", most=MAX_LIMIT)
        if self.max_distance_km is not None and not self.max_distance_km > 0:
            problems["max_distance_km"] = said("must be a distance above 0 km")
        if (self.starts_on is None) != (self.ends_on is None):
            missing = "ends_on" if self.ends_on is None else "starts_on"
            problems[missing] = said("give both dates of the period, or neither")
        elif self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            problems["ends_on"] = said("must be on or after the start date")
        return problems
