"""Where organisations are and when they have room: distances and availability overlaps,
for one organisation against all others at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from matchmaker.matching.kinds import AvailabilityKind
from matchmaker.matching.network import Organisation, Window

EARTH_RADIUS_KM = 6371.0088


def distances_km(
    latitude: float | np.ndarray | None,
    longitude: float | np.ndarray | None,
    lats: np.ndarray,
    lons: np.ndarray,
) -> np.ndarray:
    """Great-circle distance from one point to many (or from a column of points, giving
    one row each); NaN where either side is unknown."""
    if latitude is None or longitude is None:
        return np.full(len(lats), np.nan)
    phi1, phi2 = np.radians(latitude), np.radians(lats)
    dphi = phi2 - phi1
    dlambda = np.radians(lons - longitude)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


class WindowTable:
    """Every organisation's windows of one kind, as arrays (day numbers are ordinals)."""

    def __init__(self, organisations: Sequence[Organisation], kind: AvailabilityKind) -> None:
        self.kind = kind
        self.size = len(organisations)
        windows = [(p, w) for p, o in enumerate(organisations) for w in o.windows_of(kind)]
        self.owner = np.array([p for p, _ in windows], dtype=np.int64)
        self.starts = np.array([w.starts_on.toordinal() for _, w in windows], dtype=np.int64)
        self.ends = np.array([w.ends_on.toordinal() for _, w in windows], dtype=np.int64)
        self.places = np.array([w.places for _, w in windows], dtype=np.int64)
        self.windows: list[Window] = [w for _, w in windows]
        # The windows are grouped by owner, in order: where each owner's group starts.
        if len(self.owner):
            self._group_start = np.flatnonzero(np.diff(self.owner, prepend=-1))
        else:
            self._group_start = np.zeros(0, dtype=np.int64)
        self._group_owner = self.owner[self._group_start]
        self._group_size = np.diff(np.append(self._group_start, len(self.owner)))
        self._position = np.arange(len(self.owner))

    def best_overlap(self, periods: Sequence[tuple[date, date]]) -> tuple[np.ndarray, np.ndarray]:
        """For each organisation, the most days any of its windows shares with any of the
        periods, and which window that is (-1 for none)."""
        best = np.zeros(self.size, dtype=np.int64)
        which = np.full(self.size, -1, dtype=np.int64)
        if not len(self.owner):
            return best, which
        for first, last in periods:
            days = np.minimum(self.ends, last.toordinal()) - np.maximum(
                self.starts, first.toordinal()
            )
            days = np.maximum(days + 1, 0)
            # Longest overlap per owner, and the last of its windows that has it: one pass
            # over each owner's group of windows (no sort).
            longest = np.maximum.reduceat(days, self._group_start)
            at_longest = days == np.repeat(longest, self._group_size)
            holder = np.maximum.reduceat(
                np.where(at_longest, self._position, -1), self._group_start
            )
            candidate = np.zeros(self.size, dtype=np.int64)
            chosen = np.full(self.size, -1, dtype=np.int64)
            candidate[self._group_owner] = longest
            chosen[self._group_owner] = holder
            better = candidate > best
            best = np.where(better, candidate, best)
            which = np.where(better, chosen, which)
        which[best == 0] = -1
        return best, which
