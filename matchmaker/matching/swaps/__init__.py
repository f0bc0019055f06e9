"""Hot-desking swap clearing: rings of hubs hosting each other's members, packed exactly.

The public face: the clearing's data (`types`), `clear_swaps` and its compatibility graph
(`clearing`), the desk-day ledger that weighs hubs by what they gave and took (`ledger`),
and the dates as a ring's explanation writes them (`explanations`). The ring enumeration
(`cycles`), pricing (`pricing`) and packing (`packing`) are the clearing's inner parts.
"""

from matchmaker.matching.swaps.clearing import clear_swaps, compatibility_graph, participant_from
from matchmaker.matching.swaps.explanations import format_dates
from matchmaker.matching.swaps.ledger import DeskStay, desk_day_ledger, ledger_factor, stays_of
from matchmaker.matching.swaps.types import (
    METHOD,
    LeftOutHub,
    Leg,
    SwapClearing,
    SwapEdge,
    SwapGraph,
    SwapParticipant,
    SwapRing,
    SwapRules,
    SwapScore,
)

__all__ = [
    "METHOD",
    "DeskStay",
    "LeftOutHub",
    "Leg",
    "SwapClearing",
    "SwapEdge",
    "SwapGraph",
    "SwapParticipant",
    "SwapRing",
    "SwapRules",
    "SwapScore",
    "clear_swaps",
    "compatibility_graph",
    "desk_day_ledger",
    "format_dates",
    "ledger_factor",
    "participant_from",
    "stays_of",
]
