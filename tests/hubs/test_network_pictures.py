"""What the network pictures draw on a generated network of 600 hubs, checked against an
oracle that reads the same data its own way (objects, plain Python): the graph keeps
exactly the most connected hubs and every tie between them, the map's groups add up to
the hubs with a place, and the pages say what they leave out exactly when they do."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import combinations, product
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.demo.seed import seed_demo
from matchmaker.hubs.directory import HubFilters
from matchmaker.hubs.network_map import hub_map
from matchmaker.hubs.network_picture import network_graph
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import (
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    Organisation,
    OrganisationKind,
    ParticipantRole,
    Participation,
)

HUBS = 600
TODAY = date.today()


@pytest.fixture
def network(session: Session) -> list[Organisation]:
    """The demo network at 600 hubs, with 80 completed (and 20 other) exchanges."""
    seed_demo(session, hubs=HUBS, seed=11, today=TODAY)
    hubs = list(session.scalars(select(Organisation).where(Organisation.kind == "hub")))
    rng = random.Random(5)
    for n in range(100):
        first, second = rng.sample(hubs, 2)
        exchange = Exchange(
            kind=ExchangeKind.SHADOWING,
            state=ExchangeState.COMPLETED if n < 80 else ExchangeState.SCHEDULED,
            starts_on=TODAY - timedelta(days=30),
            ends_on=TODAY - timedelta(days=28),
        )
        exchange.participants = [
            ExchangeParticipant(organisation=first, role=ParticipantRole.GUEST),
            ExchangeParticipant(organisation=second, role=ParticipantRole.HOST),
        ]
        session.add(exchange)
    session.flush()
    return hubs


def matching(hubs: list[Organisation], filters: HubFilters) -> list[Organisation]:
    return [
        h
        for h in hubs
        if h.kind is OrganisationKind.HUB
        and (not filters.country or h.country == filters.country)
        and (not filters.discipline or filters.discipline in h.discipline_slugs)
    ]


def oracle_ties(session: Session, kept: set[int]) -> dict[str, Counter[tuple[int, int]]]:
    """Projects and completed exchanges shared by each pair of the kept hubs."""
    members: dict[tuple[str, int], set[int]] = defaultdict(set)
    for p in session.scalars(select(Participation)):
        if p.organisation_id in kept:
            members["project", p.project_id].add(p.organisation_id)
    for exchange in session.scalars(select(Exchange)):
        if exchange.state is ExchangeState.COMPLETED:
            for participant in exchange.participants:
                if participant.organisation_id in kept:
                    members["exchange", exchange.id].add(participant.organisation_id)
    ties: dict[str, Counter[tuple[int, int]]] = {"project": Counter(), "exchange": Counter()}
    for (kind, _), ids in members.items():
        for pair in combinations(sorted(ids), 2):
            ties[kind][pair] += 1
    return ties


FILTERS = [HubFilters(), HubFilters(country="PT"), HubFilters(discipline="design")]


def test_the_graph_keeps_the_most_connected_hubs_and_every_tie_between_them(
    session: Session, network: list[Organisation]
) -> None:
    for filters, max_nodes in product(FILTERS, [1, 25, 120, 599, 600, 2000]):
        kept = matching(network, filters)
        ties = oracle_ties(session, {h.id for h in kept})
        neighbours: dict[int, set[int]] = defaultdict(set)
        for pairs in ties.values():
            for a, b in pairs:
                neighbours[a].add(b)
                neighbours[b].add(a)
        ranked = sorted(kept, key=lambda h: (-len(neighbours[h.id]), h.name, h.id))
        expected = (
            ranked[:max_nodes]
            if len(kept) > max_nodes
            else sorted(kept, key=lambda h: (h.name, h.id))
        )
        graph = network_graph(session, filters, max_nodes)

        assert [n["id"] for n in graph["nodes"]] == [h.slug for h in expected]
        assert [n["ties"] for n in graph["nodes"]] == [len(neighbours[h.id]) for h in expected]
        assert graph["hubs"] == len(kept)
        assert graph["truncated"] is (len(kept) > max_nodes)
        drawn = {n["id"] for n in graph["nodes"]}
        assert all(e["source"] in drawn and e["target"] in drawn for e in graph["edges"])
        slug = {h.id: h.slug for h in expected}
        assert sorted(
            (e["kind"], e["source"], e["target"], e["count"]) for e in graph["edges"]
        ) == sorted(
            (kind, slug[a], slug[b], n)
            for kind, pairs in ties.items()
            for (a, b), n in pairs.items()
            if a in slug and b in slug
        )
    assert any(e["kind"] == "exchange" for e in network_graph(session, HubFilters(), 600)["edges"])


def located(hubs: list[Organisation], filters: HubFilters) -> list[Organisation]:
    return [h for h in matching(hubs, filters) if h.latitude is not None]


def test_the_map_groups_add_up_to_the_hubs_with_a_place(
    session: Session, network: list[Organisation]
) -> None:
    for filters, max_markers in product(FILTERS, [3, 40, 200, 599, 600, 5000]):
        placed = located(network, filters)
        drawn = hub_map(session, filters, max_markers)
        assert drawn["located"] == len(placed)
        singles = [h["slug"] for h in drawn["hubs"]]
        assert len(singles) == len(set(singles)) and set(singles) <= {h.slug for h in placed}
        assert len(singles) + sum(c["count"] for c in drawn["clusters"]) == len(placed)
        if len(placed) <= max_markers:
            assert drawn["clusters"] == [] and set(singles) == {h.slug for h in placed}
            continue
        assert len(singles) + len(drawn["clusters"]) <= max_markers
        assert all(c["count"] >= 2 for c in drawn["clusters"])
        for cluster in drawn["clusters"]:
            assert -90 <= cluster["latitude"] <= 90 and -180 <= cluster["longitude"] <= 180
            if cluster["search"]:  # grouped by city: exactly that city's hubs
                city, country = cluster["search"]["q"], cluster["search"]["country"]
                in_city = [
                    h for h in placed if h.country == country and (h.city or "").strip() == city
                ]
                assert cluster["count"] == len(in_city)
                assert not {h.slug for h in in_city} & set(singles)


def test_the_map_groups_by_city_when_the_cities_fit(
    session: Session, network: list[Organisation]
) -> None:
    drawn = hub_map(session, HubFilters(), 500)
    cities = {(h.country, (h.city or "").strip()) for h in located(network, HubFilters())}
    assert len(drawn["clusters"]) + len(drawn["hubs"]) == len(cities)
    assert all(c["search"] for c in drawn["clusters"])


@pytest.mark.parametrize(
    ("setting", "limit", "page", "notice"),
    [
        (
            "PICTURE_MAX_NODES",
            50,
            "/network/graph",
            f"Showing the 50 most connected of {HUBS} hubs",
        ),
        ("PICTURE_MAX_NODES", HUBS, "/network/graph", None),
        (
            "PICTURE_MAX_MARKERS",
            200,
            "/network/map",
            f"{HUBS} hubs are too many to show one by one",
        ),
        ("PICTURE_MAX_MARKERS", HUBS, "/network/map", None),
    ],
)
def test_the_pages_say_what_they_leave_out_exactly_when_they_do(
    app: Any,
    client: Any,
    network: list[Organisation],
    monkeypatch: pytest.MonkeyPatch,
    setting: str,
    limit: int,
    page: str,
    notice: str | None,
) -> None:
    monkeypatch.setitem(app.config, setting, limit)
    text = client.get(page).get_data(as_text=True)
    assert ('id="picture-notice"' in text) is (notice is not None)
    if notice:
        assert notice in text and "search or filter to see" in text
    data = client.get(page + ".json").get_json()
    if page.endswith("graph"):
        assert f"{len(data['nodes'])} hubs and their ties" in text
        assert data["truncated"] is (notice is not None)
    else:
        assert bool(data["clusters"]) is (notice is not None)
        assert f"{HUBS} hubs with a place on the map" in text
