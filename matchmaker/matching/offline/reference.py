"""The engine's scores computed the slow way: pair by pair, walking the networkx graph and
calling networkx's own functions. It shares only the fitted TF-IDF vectors with the
engine, so it is an independent check of the sparse index (tests) and the baseline the
benchmark measures the index against.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

import networkx as nx
import numpy as np

from matchmaker.matching.constraints import FULL_DAYS, MIN_DAYS, NEED_BASED_KINDS, WINDOW_KIND
from matchmaker.matching.graph import organisation_node
from matchmaker.matching.index import ACTIVE_STATES, MatchIndex
from matchmaker.matching.kinds import ExchangeKind, NeedPriority
from matchmaker.matching.network import Organisation
from matchmaker.matching.places import EARTH_RADIUS_KM
from matchmaker.matching.query import DEFAULT_HORIZON, MatchQuery
from matchmaker.matching.signals import MUTUAL_KINDS
from matchmaker.matching.weights import REPEAT_PENALTY, SIGNALS

K = ExchangeKind


def _neighbours(graph: nx.MultiGraph, node: str, relation: str) -> list[tuple[str, dict]]:
    return [
        (other, data)
        for _, other, data in graph.edges(node, data=True)
        if data["relation"] == relation
    ]


def _answers(index: MatchIndex, graph: nx.MultiGraph, needer: int, offerer: int) -> float:
    """Half text cosine of the two profiles, half the need weight in offered categories."""
    text = float(index.text.need_profile[needer].multiply(index.text.offer_profile[offerer]).sum())
    needs = [graph.nodes[n] for n, _ in _neighbours(graph, _node(index, needer), "needs")]
    offered = {
        graph.nodes[s]["category"] for s, _ in _neighbours(graph, _node(index, offerer), "offers")
    }
    weights = [(NeedPriority(n["priority"]).weight, n["category"]) for n in needs]
    total = sum(w for w, _ in weights)
    covered = sum(w for w, c in weights if c in offered) / total if total else 0.0
    return min(1.0, max(0.0, 0.5 * text + 0.5 * covered))


def _node(index: MatchIndex, position: int) -> str:
    return organisation_node(int(index.ids[position]))


def _distance(a: Organisation, b: Organisation) -> float:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return math.nan
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)  # type: ignore[arg-type]
    dphi = phi2 - phi1
    dlambda = math.radians(b.longitude - a.longitude)  # type: ignore[operator]
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def _periods(me: Organisation, query: MatchQuery, today: date) -> list[tuple[date, date]]:
    wanted = (
        (query.starts_on, query.ends_on)
        if query.starts_on and query.ends_on
        else (today, today + DEFAULT_HORIZON)
    )
    if query.kind is not K.HOT_DESKING:
        return [wanted]  # type: ignore[list-item]
    out = []
    for w in me.windows_of(WINDOW_KIND[K.HOT_DESKING]):
        first, last = max(w.starts_on, wanted[0]), min(w.ends_on, wanted[1])  # type: ignore[type-var]
        if first <= last:
            out.append((first, last))
    return out


def reference_scores(
    index: MatchIndex,
    graph: nx.MultiGraph,
    collaboration: nx.Graph,
    requester_id: int,
    query: MatchQuery,
    shown: Mapping[int, int] | None = None,
) -> dict[int, float]:
    """Score of every eligible candidate id, one pair at a time."""
    kind = query.kind
    r = index.position[requester_id]
    me = index.organisations[r]
    weights = index.weights[kind]
    periods = _periods(me, query, index.network.today) if kind in WINDOW_KIND else []
    my_disciplines = {n for n, _ in _neighbours(graph, _node(index, r), "works_in")}
    partner_scores = (
        index.partners.scores(requester_id, query.programme_part)
        if kind is K.PROJECT_PARTNERS
        else None
    )
    scores: dict[int, float] = {}
    for c, them in enumerate(index.organisations):
        if c == r or (kind is not K.PROJECT_PARTNERS and not them.is_hub):
            continue
        if kind is K.SHADOWING and not them.accepts_visits:
            continue
        values: dict[str, float] = {}
        one_way = _answers(index, graph, r, c)
        if kind in MUTUAL_KINDS:
            other = _answers(index, graph, c, r)
            values["complementarity"] = (
                2 * one_way * other / (one_way + other) if one_way + other else 0.0
            )
        else:
            values["complementarity"] = one_way
        theirs = {n for n, _ in _neighbours(graph, _node(index, c), "works_in")}
        union = my_disciplines | theirs
        values["disciplines"] = len(my_disciplines & theirs) / len(union) if union else 0.0
        values["languages"] = float(bool(set(me.languages) & set(them.languages)))
        a, b = _node(index, r), _node(index, c)
        aa = (
            next(nx.adamic_adar_index(collaboration, [(a, b)]))[2]
            if collaboration.degree(a) and collaboration.degree(b)
            else 0.0
        )
        values["network"] = 1 - math.exp(-aa)
        values["feedback"] = float(index.feedback[c])
        if kind is K.PROJECT_PARTNERS:
            # The partner recommender's walks are its own component (tests/test_partners.py).
            values["collaboration"] = float(
                partner_scores[index.partner_position[c]]  # type: ignore[index]
            )
            values["cross_border"] = float(them.country != me.country)
        if kind in WINDOW_KIND:
            best = 0
            for w in them.windows_of(WINDOW_KIND[kind]):
                for first, last in periods:
                    days = (min(w.ends_on, last) - max(w.starts_on, first)).days + 1
                    best = max(best, days)
            capacity = them.desks if kind is K.HOT_DESKING else them.residency_places
            if capacity <= 0 or best < MIN_DAYS[kind]:
                continue
            values["availability"] = min(1.0, best / FULL_DAYS[kind])
        total = sum(weights.get(s, 0.0) for s in SIGNALS if s in values)
        score = sum(weights.get(s, 0.0) * values[s] for s in SIGNALS if s in values) / total
        repeats = (shown or {}).get(them.id, 0) + 2 * sum(
            1
            for e in index.network.exchanges
            if e.completed and e.kind is kind and me.id in e.hubs and them.id in e.hubs
        )
        score /= 1 + weights.get(REPEAT_PENALTY, 0.0) * repeats
        if kind in NEED_BASED_KINDS and one_way <= 0:
            continue
        if kind is K.PROJECT_PARTNERS and not (
            one_way > 0
            or other > 0
            or values["collaboration"] > 0
            or aa > 0
            or values["disciplines"] > 0
        ):
            continue
        if any(
            e.kind is kind and e.state in ACTIVE_STATES and me.id in e.hubs and them.id in e.hubs
            for e in index.network.exchanges
        ):
            continue
        if query.countries and them.country not in query.countries:
            continue
        if query.disciplines and not set(them.disciplines) & query.disciplines:
            continue
        if query.languages and not set(them.languages) & query.languages:
            continue
        if query.max_distance_km is not None and me.latitude is not None:
            distance = _distance(me, them)
            if np.isnan(distance) or distance > query.max_distance_km:
                continue
        scores[them.id] = score
    return scores
