"""What the network pictures draw: hubs as nodes with their country and main discipline,
edges for projects done together and exchanges completed; and hubs on a map.

A browser can draw a few hundred nodes at a readable size, so the graph holds at most
`MAX_NODES` hubs: the best connected ones first, within the chosen country or discipline.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from matchmaker.hubs.directory import HubFilters, hub_query
from matchmaker.models import (
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    Organisation,
    OrganisationKind,
    Participation,
)

MAX_NODES = 400


def _hub_pairs(
    session: Session, ids: list[int]
) -> tuple[Counter[tuple[int, int]], Counter[tuple[int, int]]]:
    """Projects and completed exchanges shared by each pair of the given hubs."""
    mine, theirs = aliased(Participation), aliased(Participation)
    projects = Counter(
        {
            (a, b): n
            for a, b, n in session.execute(
                select(mine.organisation_id, theirs.organisation_id, func.count())
                .join(
                    theirs,
                    and_(
                        mine.project_id == theirs.project_id,
                        mine.organisation_id < theirs.organisation_id,
                    ),
                )
                .where(mine.organisation_id.in_(ids), theirs.organisation_id.in_(ids))
                .group_by(mine.organisation_id, theirs.organisation_id)
            ).all()
        }
    )
    first, second = aliased(ExchangeParticipant), aliased(ExchangeParticipant)
    exchanges = Counter(
        {
            (a, b): n
            for a, b, n in session.execute(
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
            ).all()
        }
    )
    return projects, exchanges


def network_graph(session: Session, filters: HubFilters) -> dict[str, Any]:
    hubs = list(session.scalars(hub_query(filters)))
    truncated = len(hubs) > MAX_NODES
    if truncated:
        degree = Counter(
            dict(
                session.execute(
                    select(Participation.organisation_id, func.count())
                    .where(Participation.organisation_id.in_([h.id for h in hubs]))
                    .group_by(Participation.organisation_id)
                ).all()
            )
        )
        hubs = sorted(hubs, key=lambda h: (-degree[h.id], h.name))[:MAX_NODES]
    projects, exchanges = _hub_pairs(session, [h.id for h in hubs])
    nodes = [
        {
            "id": hub.slug,
            "name": hub.name,
            "country": hub.country,
            "discipline": hub.disciplines[0].name if hub.disciplines else "none",
        }
        for hub in hubs
    ]
    slug = {hub.id: hub.slug for hub in hubs}
    edges = [
        {"source": slug[a], "target": slug[b], "kind": kind, "count": n}
        for kind, pairs in (("project", projects), ("exchange", exchanges))
        for (a, b), n in sorted(pairs.items())
    ]
    return {"nodes": nodes, "edges": edges, "truncated": truncated, "max_nodes": MAX_NODES}


def hub_locations(session: Session, filters: HubFilters) -> list[dict[str, Any]]:
    query = hub_query(filters).where(Organisation.latitude.is_not(None))
    return [
        {
            "slug": hub.slug,
            "name": hub.name,
            "city": hub.city,
            "country": hub.country,
            "latitude": hub.latitude,
            "longitude": hub.longitude,
        }
        for hub in session.scalars(query)
        if hub.kind is OrganisationKind.HUB
    ]
