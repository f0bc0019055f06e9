"""What the network graph draws: hubs as nodes with their country and main discipline,
edges for projects done together and exchanges completed.

A browser draws a few hundred nodes at a readable size, so the graph holds at most
`max_nodes` hubs (`PICTURE_MAX_NODES`): the most connected ones (most other hubs tied to
them) within the chosen search and filters, and every tie between them. `hubs` counts every hub that
matched, so the page can say what it leaves out. Everything is read as plain columns in a
few grouped queries: at 10,000 hubs loading them as objects took seconds.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement, Select

from matchmaker.hubs.directory import HubFilters, hub_columns
from matchmaker.matching.names import country_name
from matchmaker.models import (
    Discipline,
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    Organisation,
    Participation,
    organisation_disciplines,
)

Pairs = Counter[tuple[int, int]]


def _project_pairs(session: Session, ids: Select[Any]) -> Pairs:
    """Projects shared by each pair (lower id first) of the hubs `ids` selects."""
    mine, theirs = aliased(Participation), aliased(Participation)
    rows = session.execute(
        select(
            mine.organisation_id, theirs.organisation_id, func.count(func.distinct(mine.project_id))
        )
        .join(
            theirs,
            and_(
                mine.project_id == theirs.project_id,
                mine.organisation_id < theirs.organisation_id,
            ),
        )
        .where(mine.organisation_id.in_(ids), theirs.organisation_id.in_(ids))
        .group_by(mine.organisation_id, theirs.organisation_id)
    )
    return Counter({(a, b): n for a, b, n in rows})


def _exchange_pairs(session: Session, ids: Select[Any]) -> Pairs:
    """Completed exchanges shared by each pair (lower id first) of the hubs `ids` selects."""
    first, second = aliased(ExchangeParticipant), aliased(ExchangeParticipant)
    rows = session.execute(
        select(first.organisation_id, second.organisation_id, func.count())
        .join(
            second,
            and_(
                first.exchange_id == second.exchange_id,
                first.organisation_id < second.organisation_id,
            ),
        )
        .join(Exchange, Exchange.id == first.exchange_id)
        .where(Exchange.state == ExchangeState.COMPLETED)
        .where(first.organisation_id.in_(ids), second.organisation_id.in_(ids))
        .group_by(first.organisation_id, second.organisation_id)
    )
    return Counter({(a, b): n for a, b, n in rows})


def _main_disciplines(session: Session, ids: list[int]) -> dict[int, str]:
    """Each hub's first discipline by slug, as its page lists them."""
    main: dict[int, str] = {}
    hub_id_column: ColumnElement[int] = organisation_disciplines.c.organisation_id
    rows = session.execute(
        select(hub_id_column, Discipline.name)
        .join(Discipline, Discipline.id == organisation_disciplines.c.discipline_id)
        .where(organisation_disciplines.c.organisation_id.in_(ids))
        .order_by(organisation_disciplines.c.organisation_id, Discipline.slug)
    )
    for hub_id, name in rows:
        main.setdefault(hub_id, name)
    return main


def most_connected(hubs: list[Any], degree: Counter[int], limit: int) -> list[Any]:
    """The `limit` hubs with the most ties, ties broken by name (as the directory sorts)."""
    if len(hubs) <= limit:
        return hubs
    return sorted(hubs, key=lambda h: (-degree[h.id], h.name, h.id))[:limit]


def network_graph(session: Session, filters: HubFilters, max_nodes: int) -> dict[str, Any]:
    ids = hub_columns(filters, Organisation.id).order_by(None)
    hubs = list(
        session.execute(
            hub_columns(
                filters, Organisation.id, Organisation.slug, Organisation.name, Organisation.country
            )
        )
    )
    projects, exchanges = _project_pairs(session, ids), _exchange_pairs(session, ids)
    neighbours: dict[int, set[int]] = {}
    for a, b in (*projects, *exchanges):
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    degree = Counter({hub_id: len(others) for hub_id, others in neighbours.items()})
    drawn = most_connected(hubs, degree, max_nodes)
    slug = {hub.id: hub.slug for hub in drawn}
    discipline = _main_disciplines(session, list(slug))
    nodes = [
        {
            "id": hub.slug,
            "name": hub.name,
            "country": hub.country,
            "country_name": country_name(hub.country),
            "discipline": discipline.get(hub.id, "none"),
            "ties": degree[hub.id],
        }
        for hub in drawn
    ]
    edges = [
        {"source": slug[a], "target": slug[b], "kind": kind, "count": n}
        for kind, pairs in (("project", projects), ("exchange", exchanges))
        for (a, b), n in sorted(pairs.items())
        if a in slug and b in slug
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "hubs": len(hubs),
        "truncated": len(drawn) < len(hubs),
        "max_nodes": max_nodes,
    }
