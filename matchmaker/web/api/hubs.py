"""Hubs in the JSON API: the directory, a hub's profile, services, needs and availability,
and its suggestions; the same use cases as the pages."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request, url_for

from matchmaker.extensions import db, reads_only
from matchmaker.field_input import FieldReader
from matchmaker.hubs.directory import HubFilters, hub_page, origin_of
from matchmaker.hubs.freshness import profile_confirmed_at
from matchmaker.hubs.logos import SIZES, LogoLimits, remove_logo, save_logo
from matchmaker.hubs.profiles import (
    confirm_profile,
    delete_entry,
    delete_window,
    find_entry,
    find_window,
    get_hub,
    hub_to_edit,
    save_entry,
    save_window,
    update_profile,
)
from matchmaker.models import AvailabilityWindow, Need, Organisation, Service
from matchmaker.suggestions.matches import api_matches, suggestions_as_dict
from matchmaker.web.api.blueprint import api, asker, body
from matchmaker.web.uploads import file_limit, upload_route
from matchmaker.web.views import ResponseValue

MAX_PER_PAGE = 100


def entry_json(entry: Service | Need) -> dict[str, Any]:
    data = {
        "id": entry.id,
        "category": entry.category.slug,
        "title": entry.title,
        "description": entry.description,
        "language": entry.language,
    }
    if isinstance(entry, Need):
        data["priority"] = entry.priority.value
    return data


def window_json(window: AvailabilityWindow) -> dict[str, Any]:
    return {
        "id": window.id,
        "kind": window.kind.value,
        "starts_on": window.starts_on.isoformat(),
        "ends_on": window.ends_on.isoformat(),
        "places": window.places,
        "note": window.note,
    }


def hub_json(hub: Organisation, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": hub.slug,
        "name": hub.name,
        "city": hub.city,
        "country": hub.country,
        "latitude": hub.latitude,
        "longitude": hub.longitude,
        "website": hub.website,
        "founded_year": hub.founded_year,
        "description": hub.description,
        "disciplines": hub.discipline_slugs,
        "languages": list(hub.languages),
        "desks": hub.desks,
        "residency_places": hub.residency_places,
        "accepts_visits": hub.accepts_visits,
        "membership": hub.membership_kind.value if hub.membership_kind else None,
        "profile_confirmed_at": profile_confirmed_at(hub).isoformat(),
        "logo": logo_json(hub),
    }
    if full:
        data["services"] = [entry_json(s) for s in hub.services]
        data["needs"] = [entry_json(n) for n in hub.needs]
        data["availability"] = [window_json(w) for w in hub.availability]
    return data


def logo_json(hub: Organisation) -> dict[str, str] | None:
    if not hub.logo_key:
        return None
    large, thumbnail = (
        url_for("hubs.logo", slug=hub.slug, key=hub.logo_key, size=size, _external=True)
        for size in SIZES
    )
    return {"url": large, "thumbnail_url": thumbnail}


@api.get("/hubs")
def list_hubs() -> ResponseValue:
    fields = FieldReader(request.args)
    page = fields.integer("page", minimum=1, maximum=1_000_000) or 1
    per_page = fields.integer("per_page", minimum=1, maximum=MAX_PER_PAGE) or 30
    fields.done()
    hubs = hub_page(page, per_page, HubFilters.read(request.args), origin_of(asker().hub))
    return jsonify(
        hubs=[hub_json(hub) for hub in hubs.items],
        page=page,
        per_page=per_page,
        total=hubs.total,
        pages=hubs.pages,
    )


@api.get("/hubs/<slug>")
def get_one(slug: str) -> ResponseValue:
    return jsonify(hub_json(get_hub(db.session(), slug), full=True))


@api.patch("/hubs/<slug>")
def patch_hub(slug: str) -> ResponseValue:
    session = db.session()
    hub = get_hub(session, slug)
    update_profile(session, asker(), hub, body())
    return jsonify(hub_json(get_hub(session, slug), full=True))


@api.post("/hubs/<slug>/confirm")
def confirm_hub_profile(slug: str) -> ResponseValue:
    session = db.session()
    confirm_profile(session, asker(), get_hub(session, slug))
    return jsonify(hub_json(get_hub(session, slug), full=True))


@api.put("/hubs/<slug>/logo")
def upload_logo(slug: str) -> ResponseValue:
    """The request's body is the picture."""
    session = db.session()
    hub = hub_to_edit(session, asker(), slug)  # refused before the body is read
    data = request.stream.read(file_limit() + 1)
    save_logo(session, asker(), hub, data, LogoLimits.of(current_app.config))
    return jsonify(hub_json(get_hub(session, slug), full=True))


@api.delete("/hubs/<slug>/logo")
def delete_logo(slug: str) -> ResponseValue:
    session = db.session()
    remove_logo(session, asker(), get_hub(session, slug), LogoLimits.of(current_app.config))
    return Response(status=204)


upload_route(api, "upload_logo", "LOGO_MAX_BYTES", "picture")


@api.get("/hubs/<slug>/<any(services, needs):kind>")
def list_entries(slug: str, kind: str) -> ResponseValue:
    hub = get_hub(db.session(), slug)
    return jsonify([entry_json(e) for e in getattr(hub, kind)])


@api.post("/hubs/<slug>/<any(services, needs):kind>")
def add_entry(slug: str, kind: str) -> ResponseValue:
    session = db.session()
    hub = get_hub(session, slug)
    entry = save_entry(session, asker(), hub, kind, body())
    return jsonify(entry_json(entry)), 201


@api.get("/hubs/<slug>/<any(services, needs):kind>/<int:entry_id>")
def get_entry(slug: str, kind: str, entry_id: int) -> ResponseValue:
    session = db.session()
    return jsonify(entry_json(find_entry(session, get_hub(session, slug), kind, entry_id)))


@api.patch("/hubs/<slug>/<any(services, needs):kind>/<int:entry_id>")
def patch_entry(slug: str, kind: str, entry_id: int) -> ResponseValue:
    session = db.session()
    hub = get_hub(session, slug)
    return jsonify(entry_json(save_entry(session, asker(), hub, kind, body(), entry_id)))


@api.delete("/hubs/<slug>/<any(services, needs):kind>/<int:entry_id>")
def remove_entry(slug: str, kind: str, entry_id: int) -> ResponseValue:
    session = db.session()
    delete_entry(session, asker(), get_hub(session, slug), kind, entry_id)
    return Response(status=204)


@api.get("/hubs/<slug>/availability")
def list_windows(slug: str) -> ResponseValue:
    return jsonify([window_json(w) for w in get_hub(db.session(), slug).availability])


@api.post("/hubs/<slug>/availability")
def add_window(slug: str) -> ResponseValue:
    session = db.session()
    window = save_window(session, asker(), get_hub(session, slug), body())
    return jsonify(window_json(window)), 201


@api.get("/hubs/<slug>/availability/<int:window_id>")
def get_window(slug: str, window_id: int) -> ResponseValue:
    session = db.session()
    return jsonify(window_json(find_window(session, get_hub(session, slug), window_id)))


@api.patch("/hubs/<slug>/availability/<int:window_id>")
def patch_window(slug: str, window_id: int) -> ResponseValue:
    session = db.session()
    window = save_window(session, asker(), get_hub(session, slug), body(), window_id)
    return jsonify(window_json(window))


@api.delete("/hubs/<slug>/availability/<int:window_id>")
def remove_window(slug: str, window_id: int) -> ResponseValue:
    session = db.session()
    delete_window(session, asker(), get_hub(session, slug), window_id)
    return Response(status=204)


@api.get("/hubs/<slug>/suggestions")
@reads_only
def suggestions(slug: str) -> ResponseValue:
    result = api_matches(db.session(), asker(), slug, request.args)
    return jsonify(suggestions_as_dict(result))
