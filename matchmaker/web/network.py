"""Pictures of the network: a graph of hubs and their ties, and a map. Both pages list
what they draw as plain HTML too, so they work where scripts are blocked, and say what
they leave out when the network is too large to draw whole.

The JSON is public and the same for everyone: it is served with a strong ETag and
`no-cache`, so a cache may keep it but asks each time whether it is still current, which
is answered 304 without computing anything. It is `public` (shared proxies may keep it
too) only for a request without cookies: a response to one with cookies might carry a
refreshed session cookie (Flask adds it after the view), which a proxy must never keep.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from matchmaker.extensions import db
from matchmaker.hubs.directory import HubFilters, filter_choices
from matchmaker.hubs.labels import discipline_names
from matchmaker.hubs.network_map import cluster_label
from matchmaker.hubs.pictures import network_picture, picture_data, picture_etag
from matchmaker.hubs.profiles import get_hub
from matchmaker.i18n.names import country_name
from matchmaker.web.views import ResponseValue

network = Blueprint("network", __name__, url_prefix="/network")


def picture_json(name: str) -> Response:
    filters = HubFilters.read(request.args)
    session = db.session()
    etag = picture_etag(session, name, filters)
    if etag is not None and request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        picture = network_picture(session, name, filters, etag)
        response = Response(picture.body, mimetype="application/json")
    if etag is not None:
        response.set_etag(etag)
        response.headers["Cache-Control"] = (
            "private, no-cache" if request.cookies else "public, no-cache"
        )
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


@network.get("/graph")
def graph() -> ResponseValue:
    """The graph; `?hub=<slug>` (linked from a hub's page) opens on that hub and its ties."""
    filters = HubFilters.read(request.args)
    session = db.session()
    slug = request.args.get("hub", "").strip()
    data = picture_data(session, "graph", filters)
    # The JSON is the same for everyone, in English: the script names the groups of its
    # legend with these, in the reader's language.
    names = {
        "countries": {node["country"]: country_name(node["country"]) for node in data["nodes"]},
        "disciplines": discipline_names({node["discipline"] for node in data["nodes"]}),
    }
    return render_template(
        "network/graph.html",
        data=data,
        names=names,
        filters=filters,
        choices=filter_choices(),
        colour_by=request.args.get("colour", "country"),
        focus=get_hub(session, slug) if slug else None,
    )


@network.get("/graph.json")
def graph_json() -> ResponseValue:
    return picture_json("graph")


@network.get("/map")
def map_page() -> ResponseValue:
    filters = HubFilters.read(request.args)
    data = picture_data(db.session(), "map", filters)
    # The groups' labels in the reader's language, for the list and for the script (keyed
    # by the group's place, as the JSON gives it).
    labels = {
        f"{c['latitude']:.5f},{c['longitude']:.5f}": cluster_label(c) for c in data["clusters"]
    }
    return render_template(
        "network/map.html",
        data=data,
        labels=labels,
        filters=filters,
        choices=filter_choices(),
    )


@network.get("/map.json")
def map_json() -> ResponseValue:
    return picture_json("map")
