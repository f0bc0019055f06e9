"""Pictures of the network: a graph of hubs and their ties, and a map. Both pages list
what they draw as plain HTML too, so they work where scripts are blocked."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from matchmaker.extensions import db
from matchmaker.hubs.directory import HubFilters, filter_choices
from matchmaker.hubs.network_picture import hub_locations, network_graph
from matchmaker.web.views import ResponseValue

network = Blueprint("network", __name__, url_prefix="/network")


@network.get("/graph")
def graph() -> ResponseValue:
    filters = HubFilters.read(request.args)
    data = network_graph(db.session(), filters)
    return render_template(
        "network/graph.html",
        data=data,
        filters=filters,
        choices=filter_choices(),
        colour_by=request.args.get("colour", "country"),
    )


@network.get("/graph.json")
def graph_json() -> ResponseValue:
    return jsonify(network_graph(db.session(), HubFilters.read(request.args)))


@network.get("/map")
def map_page() -> ResponseValue:
    filters = HubFilters.read(request.args)
    hubs = hub_locations(db.session(), filters)
    return render_template("network/map.html", hubs=hubs, filters=filters, choices=filter_choices())


@network.get("/map.json")
def map_json() -> ResponseValue:
    return jsonify(hubs=hub_locations(db.session(), HubFilters.read(request.args)))
