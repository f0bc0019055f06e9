"""The matching engine: plain data in, ranked and explained suggestions out.

No Flask and no database here (design.md section 5), so the engine can be tested and
benchmarked without an app; it imports nothing of the app. The app reaches it through one
door, `matchmaker.engine`, which reads the database as a `Network`.

The public face is below. Inside: the network's data (`network`, `kinds`); the index of
texts, places and history built from it (`index`, `text`, `places`, `collaboration`,
`partners`); the query's constraints and signals (`constraints`, `signals`, `scored`,
`weights`); the ranking (`ranking`); explanations (`explain`, `headline`, `names`); the
optimisers' inputs (`exchange_inputs`) and the optimisers as sub-packages (`swaps`,
`residency`, `consortia`). The offline checks (`offline`) are never used when serving.
"""

from matchmaker.matching.exchange_inputs import (
    consortium_inputs,
    residency_hosts,
    residency_inputs,
    swap_inputs,
)
from matchmaker.matching.graph import build_graph, export_graph
from matchmaker.matching.headline import headlines
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind, NeedPriority
from matchmaker.matching.network import Entry, Network, Organisation, PastExchange, Project, Window
from matchmaker.matching.query import MAX_LIMIT, MatchQuery
from matchmaker.matching.ranking import (
    QueryError,
    Suggestion,
    Suggestions,
    suggest,
    top_for_all,
    top_for_all_kinds,
)
from matchmaker.matching.weights import WeightsError, merge_weights

__all__ = [
    "MAX_LIMIT",
    "AvailabilityKind",
    "Entry",
    "ExchangeKind",
    "MatchIndex",
    "MatchQuery",
    "NeedPriority",
    "Network",
    "Organisation",
    "PastExchange",
    "Project",
    "QueryError",
    "Suggestion",
    "Suggestions",
    "WeightsError",
    "Window",
    "build_graph",
    "consortium_inputs",
    "export_graph",
    "headlines",
    "merge_weights",
    "residency_hosts",
    "residency_inputs",
    "suggest",
    "swap_inputs",
    "top_for_all",
    "top_for_all_kinds",
]
