"""A host's free dates where dates are chosen (the proposal form, a round application):
its availability windows of one kind as month grids a page draws as a small calendar
(readable without scripts), and their overlap with the dates someone asks for.

Plain values in, plain values out: the pages read the windows, this lays them out.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from matchmaker.matching.kinds import AvailabilityKind
from matchmaker.models import AvailabilityWindow

MAX_MONTHS = 4  # months a calendar shows, from its first


@dataclass(frozen=True)
class Day:
    """One day of a month's grid: its places (0 when none is offered) and whether it is
    within the dates asked for."""

    day: date
    places: int
    asked: bool

    @property
    def free(self) -> bool:
        return self.places > 0


@dataclass(frozen=True)
class Month:
    """A month as weeks from Monday; None pads the days of other months."""

    first: date
    weeks: list[list[Day | None]]

    @property
    def free_days(self) -> int:
        return sum(1 for week in self.weeks for day in week if day and day.free)


def places_by_day(
    windows: Iterable[AvailabilityWindow], kind: AvailabilityKind, first: date, last: date
) -> dict[date, int]:
    """The places offered each day from `first` to `last` (the most any window offers)."""
    found: dict[date, int] = {}
    for window in windows:
        if window.kind is not kind or window.places <= 0:
            continue
        day = max(window.starts_on, first)
        while day <= min(window.ends_on, last):
            found[day] = max(found.get(day, 0), window.places)
            day += timedelta(days=1)
    return found


def months(
    windows: Iterable[AvailabilityWindow],
    kind: AvailabilityKind,
    first: date,
    last: date,
    asked: tuple[date, date] | None = None,
) -> list[Month]:
    """Month grids from `first`'s month to `last`'s (at most `MAX_MONTHS`)."""
    start = first.replace(day=1)
    grids: list[Month] = []
    while start <= last and len(grids) < MAX_MONTHS:
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        places = places_by_day(windows, kind, start, end)
        weeks: list[list[Day | None]] = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(start.year, start.month):
            weeks.append(
                [
                    Day(d, places.get(d, 0), asked is not None and asked[0] <= d <= asked[1])
                    if d.month == start.month
                    else None
                    for d in week
                ]
            )
        grids.append(Month(start, weeks))
        start = end + timedelta(days=1)
    return grids


def overlap(
    windows: Iterable[AvailabilityWindow], kind: AvailabilityKind, starts_on: date, ends_on: date
) -> list[tuple[date, date]]:
    """The spans of `starts_on`..`ends_on` on which the host offers places of this kind."""
    free = places_by_day(windows, kind, starts_on, ends_on)
    spans: list[tuple[date, date]] = []
    for day in sorted(free):
        if spans and spans[-1][1] + timedelta(days=1) == day:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def covers(spans: Sequence[tuple[date, date]], starts_on: date, ends_on: date) -> bool:
    return len(spans) == 1 and spans[0] == (starts_on, ends_on)
