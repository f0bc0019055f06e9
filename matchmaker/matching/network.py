"""The network as plain, immutable data: what the engine reads.

A thin adapter outside the engine (`matchmaker.engine`) builds these from the
database; tests and benchmarks build them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind, NeedPriority


@dataclass(frozen=True, slots=True)
class Entry:
    """A service a hub offers or a need it has, in one of the shared categories."""

    id: int
    category: str
    title: str
    description: str = ""
    priority: NeedPriority = NeedPriority.MEDIUM  # meaningful for needs only
    language: str | None = None  # the one title and description are written in (ISO 639-1)

    @property
    def text(self) -> str:
        return f"{self.title}. {self.description}".strip()


@dataclass(frozen=True, slots=True)
class Window:
    """Dates in which a hub has desks free or residency places open."""

    kind: AvailabilityKind
    starts_on: date
    ends_on: date
    places: int

    def overlap_days(self, starts_on: date, ends_on: date) -> int:
        first, last = max(self.starts_on, starts_on), min(self.ends_on, ends_on)
        return max(0, (last - first).days + 1)


@dataclass(frozen=True, slots=True)
class Organisation:
    """A hub, or another organisation of the network (university, company...)."""

    id: int
    slug: str
    name: str
    country: str
    kind: str = "hub"
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    disciplines: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    desks: int = 0
    residency_places: int = 0
    accepts_visits: bool = True
    services: tuple[Entry, ...] = ()
    needs: tuple[Entry, ...] = ()
    windows: tuple[Window, ...] = ()

    @property
    def is_hub(self) -> bool:
        return self.kind == "hub"

    def windows_of(self, kind: AvailabilityKind) -> tuple[Window, ...]:
        return tuple(w for w in self.windows if w.kind is kind)


@dataclass(frozen=True, slots=True)
class Project:
    """A past or running project: who took part, in which call topics, from which year."""

    id: int
    members: tuple[int, ...]  # organisation ids
    coordinator: int | None = None
    parts: tuple[str, ...] = ()  # programme parts (call topics), e.g. "SC6"
    start_year: int | None = None
    title: str = ""


@dataclass(frozen=True, slots=True)
class PastExchange:
    """An exchange that happened or is under way, with the ratings it received (1 to 5)."""

    id: int
    kind: ExchangeKind
    hubs: tuple[int, ...]  # organisation ids taking part
    state: str
    ended_on: date | None = None
    ratings: tuple[int, ...] = ()
    # The organisation that gave each rating (parallel to `ratings`; None or missing:
    # unknown). A rating counts for the other members, never for the hub that gave it.
    raters: tuple[int | None, ...] = ()

    def rated(self) -> list[tuple[int, int | None]]:
        """Each rating with the organisation that gave it, if known."""
        return [
            (rating, self.raters[i] if i < len(self.raters) else None)
            for i, rating in enumerate(self.ratings)
        ]

    @property
    def completed(self) -> bool:
        return self.state == "completed"


@dataclass(frozen=True, slots=True)
class Network:
    """Everything the engine knows, as of one moment."""

    organisations: tuple[Organisation, ...] = ()
    projects: tuple[Project, ...] = ()
    exchanges: tuple[PastExchange, ...] = ()
    today: date = field(default_factory=date.today)
