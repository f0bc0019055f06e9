"""The directory of the network's hubs, with search, filters and sorts."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from matchmaker.errors import InputError
from matchmaker.hubs.directory import (
    HubFilters,
    filter_choices,
    hub_page,
    network_counts,
    origin_of,
)
from matchmaker.hubs.search import HubSort, Origin
from matchmaker.i18n.words import Capitalised, kind_name
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.web.views import ResponseValue

pages = Blueprint("pages", __name__)


def _origin() -> Origin | None:
    """The signed-in manager's hub, if it has a location: what "nearest" measures from."""
    if not current_user.is_authenticated:
        return None
    return origin_of(current_user.hub)


@pages.get("/")
def home() -> ResponseValue:
    page = request.args.get("page", 1, type=int)
    page = min(max(page, 1), 1_000_000)
    errors: dict[str, str] = {}
    origin = _origin()
    try:
        filters = HubFilters.read(request.args)
        hubs = hub_page(page, current_app.config["HUBS_PER_PAGE"], filters, origin)
    except InputError as error:
        filters, errors = HubFilters(), error.problems
        hubs = hub_page(page, current_app.config["HUBS_PER_PAGE"], filters, origin)
    # "Best match" (blank) is relevance with words and name without: a form sent with
    # words after a visit without them must not keep sorting by name.
    sorts = [s for s in HubSort if s is not HubSort.RELEVANCE]
    sorts = [s for s in sorts if s is not HubSort.DISTANCE or origin is not None]
    chosen = filters.sort if filters.sort in sorts else None
    # A page past the last says so (and links to the last) rather than showing nothing.
    missing = page > 1 and page > hubs.pages
    status = 400 if errors else 404 if missing else 200
    return render_template(
        "home.html",
        hubs=hubs,
        counts=network_counts(),
        filters=filters,
        choices=filter_choices(),
        kinds=[
            (k.value, str(Capitalised(kind_name(k))))
            for k in ExchangeKind
            if k is not ExchangeKind.PROJECT_PARTNERS
        ],
        sorts=sorts,
        chosen_sort=chosen.value if chosen else "",
        missing_page=page if missing else None,
        errors=errors,
    ), status
