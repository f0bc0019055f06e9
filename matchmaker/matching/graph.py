"""The network as a networkx graph, for people who want to look at it in their own tools
(GraphML for Gephi or yEd, node-link JSON for d3) and as the reference the engine's sparse
signals are checked against.

Nodes: organisations, services, needs, disciplines, countries and projects. Edges carry a
`relation`: offers, needs, works_in, located_in, took_part_in, exchanged_with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

from matchmaker.matching.network import Network

RELATIONS = ("offers", "needs", "works_in", "located_in", "took_part_in", "exchanged_with")


def organisation_node(organisation_id: int) -> str:
    return f"organisation:{organisation_id}"


def build_graph(network: Network) -> nx.MultiGraph:
    """Every entity a node, every relation an edge (several exchanges make several edges)."""
    import networkx as nx  # here, not at import: a web worker that never exports saves ~10 MB

    graph = nx.MultiGraph()
    for o in network.organisations:
        node = organisation_node(o.id)
        graph.add_node(
            node,
            type="organisation",
            label=o.name,
            slug=o.slug,
            kind=o.kind,
            country=o.country,
            city=o.city or "",
            latitude=o.latitude or 0.0,
            longitude=o.longitude or 0.0,
            desks=o.desks,
            residency_places=o.residency_places,
        )
        graph.add_node(f"country:{o.country}", type="country", label=o.country)
        graph.add_edge(node, f"country:{o.country}", relation="located_in")
        for slug in o.disciplines:
            graph.add_node(f"discipline:{slug}", type="discipline", label=slug)
            graph.add_edge(node, f"discipline:{slug}", relation="works_in")
        for entries, relation in ((o.services, "offers"), (o.needs, "needs")):
            kind = "service" if relation == "offers" else "need"
            for entry in entries:
                graph.add_node(
                    f"{kind}:{entry.id}",
                    type=kind,
                    label=entry.title,
                    category=entry.category,
                    priority=entry.priority.value,
                )
                graph.add_edge(node, f"{kind}:{entry.id}", relation=relation)
    known = {organisation_node(o.id) for o in network.organisations}
    for p in network.projects:
        graph.add_node(
            f"project:{p.id}",
            type="project",
            label=p.title,
            parts=" ".join(p.parts),
            start_year=p.start_year or 0,
        )
        for member in p.members:
            if organisation_node(member) in known:
                role = "coordinator" if member == p.coordinator else "partner"
                graph.add_edge(
                    organisation_node(member), f"project:{p.id}", relation="took_part_in", role=role
                )
    for e in network.exchanges:
        hubs = [organisation_node(h) for h in e.hubs if organisation_node(h) in known]
        # Around the ring for a swap of several hubs; one edge between two.
        pairs = zip(hubs, hubs[1:] + hubs[:1], strict=True) if len(hubs) > 2 else [tuple(hubs)]
        for a, b in (p for p in pairs if len(p) == 2):
            if a != b:
                graph.add_edge(
                    a, b, relation="exchanged_with", kind=e.kind.value, state=e.state, exchange=e.id
                )
    return graph


def collaboration_graph(graph: nx.MultiGraph) -> nx.Graph:
    """Organisations linked when they took part in a project together (simple graph)."""
    import networkx as nx

    projected = nx.Graph()
    projected.add_nodes_from(n for n, d in graph.nodes(data=True) if d["type"] == "organisation")
    for node, data in graph.nodes(data=True):
        if data["type"] != "project":
            continue
        members = sorted(
            {m for m in graph.neighbors(node) if graph.nodes[m]["type"] == "organisation"}
        )
        projected.add_edges_from((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return projected


def export_graph(graph: nx.MultiGraph, path: Path, fmt: str) -> None:
    """Write GraphML (`graphml`) or node-link JSON (`json`)."""
    import networkx as nx

    if fmt == "graphml":
        nx.write_graphml(graph, path)
    elif fmt == "json":
        data: dict[str, Any] = nx.node_link_data(graph, edges="links")
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        raise ValueError(f"unknown graph format {fmt!r} (graphml or json)")
