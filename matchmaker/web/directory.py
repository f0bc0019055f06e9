"""The directory of the network's hubs, with search and filters."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from matchmaker.errors import InputError
from matchmaker.hubs.directory import HubFilters, filter_choices, hub_page, network_counts
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.web.views import ResponseValue

pages = Blueprint("pages", __name__)


@pages.get("/")
def home() -> ResponseValue:
    page = request.args.get("page", 1, type=int)
    page = min(max(page, 1), 1_000_000)  # beyond the last page shows an empty page, never a 500
    errors: dict[str, str] = {}
    try:
        filters = HubFilters.read(request.args)
    except InputError as error:
        filters, errors = HubFilters(), error.problems
    hubs = hub_page(page, current_app.config["HUBS_PER_PAGE"], filters)
    return render_template(
        "home.html",
        hubs=hubs,
        counts=network_counts(),
        filters=filters,
        choices=filter_choices(),
        kinds=[k for k in ExchangeKind if k is not ExchangeKind.PROJECT_PARTNERS],
        errors=errors,
    ), 400 if errors else 200
