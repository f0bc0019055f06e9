"""Where organisations are and when they have room: distances and availability overlaps,
for one organisation against all others at once."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date

import numpy as np

from matchmaker.matching.kinds import AvailabilityKind
from matchmaker.matching.network import Organisation, Window

EARTH_RADIUS_KM = 6371.0088


def unit_vectors(latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
    """Each place as a unit vector from the earth's centre, a column each (3 × n), NaN
    where it is unknown: the index keeps them, so a query's distances need no sines or
    cosines (`distances_km`)."""
    phi, lam = np.radians(latitudes), np.radians(longitudes)
    return np.array([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def distances_km(places: np.ndarray, rows: int | np.ndarray) -> np.ndarray:
    """Great-circle distances from the place at `rows` to every one of `places`
    (`unit_vectors`), or from each of an array of rows (a row each); NaN where either
    side is unknown. The chord between two unit vectors is 2·sin(θ/2): three differences
    and one arcsine a place (~8× faster than the haversine on the coordinates)."""
    at = places[:, rows]
    if at.ndim == 2:  # several rows: a column each, against every place
        at = at[:, :, None]
    chord = (places[0] - at[0]) ** 2
    chord += (places[1] - at[1]) ** 2
    chord += (places[2] - at[2]) ** 2
    np.sqrt(chord, out=chord)
    chord *= 0.5
    np.minimum(chord, 1.0, out=chord)  # rounding may pass 1 for antipodes (NaN stays)
    np.arcsin(chord, out=chord)
    chord *= 2 * EARTH_RADIUS_KM
    return chord


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
        # The windows themselves are the organisations' (`window`): a list of them here
        # would be tens of thousands of references for every index file to write and read.
        self.organisations = organisations
        # Windows by first day: a period can only meet those that start at most the
        # longest window's length before it, a slice found by bisection, so a query reads
        # a few windows near its period, not all of them.
        self._by_start = np.argsort(self.starts, kind="stable")
        self._sorted_starts = self.starts[self._by_start]
        self._longest = int((self.ends - self.starts).max()) if len(self.owner) else 0
        # For queries: last days in order of first day, and where each owner's run of
        # windows starts and whose it is (windows are listed owner by owner).
        self._sorted_ends = self.ends[self._by_start]
        self._run_starts = np.flatnonzero(np.diff(self.owner, prepend=-1))
        self._run_owners = self.owner[self._run_starts]

    def over(self, organisations: Sequence[Organisation]) -> WindowTable:
        """This table for a newer version of the same organisations whose windows are all
        the same (an edit of something else): shares its arrays."""
        table = copy.copy(self)
        table.organisations = organisations
        return table

    def window(self, number: int) -> Window:
        """The window at `number` (as `best_overlap` names them)."""
        owner = int(self.owner[number])
        first = int(np.searchsorted(self.owner, owner, "left"))  # its owner's first window
        return self.organisations[owner].windows_of(self.kind)[number - first]

    def best_overlap(self, periods: Sequence[tuple[date, date]]) -> tuple[np.ndarray, np.ndarray]:
        """For each organisation, the most days any of its windows shares with any of the
        periods, and which window that is (-1 for none): the last of its windows with that
        many days; an earlier period keeps its window on a tie."""
        best = np.zeros(self.size, dtype=np.int64)
        which = np.full(self.size, -1, dtype=np.int64)
        if not len(self.owner) or not len(periods):
            return best, which
        stride, count = len(self.owner) + 1, len(periods)
        # Per window (in order of first day) the best of its keys over the periods: larger
        # for more days, then for an earlier period, then for a later window; -1 for none.
        keys = np.full(len(self.owner), -1, dtype=np.int64)
        for number, (first, last) in enumerate(periods):
            lo = np.searchsorted(self._sorted_starts, first.toordinal() - self._longest, "left")
            hi = np.searchsorted(self._sorted_starts, last.toordinal(), "right")
            days = np.minimum(self._sorted_ends[lo:hi], last.toordinal())
            days -= np.maximum(self._sorted_starts[lo:hi], first.toordinal())
            days += 1
            key = (days * count + (count - 1 - number)) * stride + self._by_start[lo:hi]
            np.maximum(keys[lo:hi], np.where(days > 0, key, -1), out=keys[lo:hi])
        # Back in window order, each owner's windows are one run: its best key is the run's.
        in_order = np.empty_like(keys)
        in_order[self._by_start] = keys
        top = np.maximum.reduceat(in_order, self._run_starts)
        met = top >= 0
        owners, top = self._run_owners[met], top[met]
        best[owners] = top // stride // count
        which[owners] = top % stride
        return best, which
