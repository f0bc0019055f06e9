"""The scores of candidates for one requester (`Scored`) or a block of them (`ScoredBlock`).

Apart from the signals so that the constraints can name a block without importing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matchmaker.matching.message import Message
from matchmaker.matching.query import MatchQuery


@dataclass
class Scored:
    """Signals, scores and eligibility of every organisation for one requester."""

    requester: int
    query: MatchQuery
    values: dict[str, np.ndarray] = field(default_factory=dict)
    score: np.ndarray = field(default_factory=lambda: np.zeros(0))
    eligible: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    distances: np.ndarray = field(default_factory=lambda: np.zeros(0))
    overlap_days: np.ndarray | None = None
    overlap_window: np.ndarray | None = None  # index into the kind's WindowTable
    periods: list[tuple[date, date]] = field(default_factory=list)
    shown: dict[int, int] = field(default_factory=dict)  # position -> times already shown
    reason: Message | None = None  # why nobody is eligible
    notes: list[Message] = field(default_factory=list)


@dataclass
class ScoredBlock:
    """The same for a block of requesters: arrays are rows × organisations, or one row of
    organisations when equal for every requester (feedback, a shared period)."""

    rows: np.ndarray
    query: MatchQuery
    values: dict[str, np.ndarray]
    score: np.ndarray
    eligible: np.ndarray
    distances: np.ndarray | None = None
    overlap_days: np.ndarray | None = None
    overlap_window: np.ndarray | None = None
    periods: list[list[tuple[date, date]]] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
