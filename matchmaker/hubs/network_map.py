"""What the map draws: each hub with a place, or, beyond `max_markers` hubs
(`PICTURE_MAX_MARKERS`), groups of hubs with their count.

Thousands of markers make a map unreadable and a browser slow, so above the threshold
hubs are grouped by city (a hub without a city by the 1° cell of the grid it lies in);
should there still be more groups than the threshold, by coarser and coarser grid cells
alone. A group of one is drawn as its hub. The hubs drawn one by one and the groups'
counts always add up to `located`, the hubs that matched and have a place.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any

from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from matchmaker.hubs.directory import HubFilters, hub_columns
from matchmaker.i18n import current_language
from matchmaker.i18n.names import country_name as local_country_name
from matchmaker.matching.names import country_name
from matchmaker.models import Organisation

# Grid cells tried, in degrees, when the cities alone are still too many groups.
CELLS = (1.0, 2.0, 4.0, 8.0, 16.0, 45.0, 180.0)

Key = Callable[[Any], Hashable]


def _cell(hub: Any, size: float) -> tuple[int, int]:
    return (math.floor(hub.latitude / size), math.floor(hub.longitude / size))


def _by_city(hub: Any) -> Hashable:
    if hub.city and hub.city.strip():
        return ("city", hub.country, hub.city.strip().casefold())
    return ("cell", *_cell(hub, 1.0))


def _by_cell(size: float) -> Key:
    return lambda hub: ("cell", *_cell(hub, size))


def _groups(hubs: list[Any], max_markers: int) -> list[list[Any]]:
    """The finest grouping with at most `max_markers` groups."""
    for key in (_by_city, *(_by_cell(size) for size in CELLS)):
        groups: dict[Hashable, list[Any]] = defaultdict(list)
        for hub in hubs:
            groups[key(hub)].append(hub)
        if len(groups) <= max_markers:
            break
    return list(groups.values())


def _place(hub: Any) -> dict[str, Any]:
    return {
        "slug": hub.slug,
        "name": hub.name,
        "city": hub.city,
        "country": hub.country,
        "latitude": hub.latitude,
        "longitude": hub.longitude,
    }


def _cluster(members: list[Any]) -> dict[str, Any]:
    """A group as one marker at its members' mean position; a group within one city and
    country says so and can be searched for in the directory."""
    cities = {(m.city.strip() if m.city else "", m.country) for m in members}
    city, country = next(iter(cities)) if len(cities) == 1 else ("", "")
    countries = sorted({m.country for m in members})
    latitude = round(sum(m.latitude for m in members) / len(members), 5)
    longitude = round(sum(m.longitude for m in members) / len(members), 5)
    if city:
        label = f"{city}, {country_name(country)}"
    else:
        names = ", ".join(country_name(c) for c in countries[:3])
        more = f" and {len(countries) - 3} more" if len(countries) > 3 else ""
        label = f"Around {latitude:.1f}, {longitude:.1f} ({names}{more})"
    return {
        "label": label,
        "count": len(members),
        "latitude": latitude,
        "longitude": longitude,
        "countries": countries,
        "search": {"country": country, "q": city} if city else {},
    }


def hub_map(session: Session, filters: HubFilters, max_markers: int) -> dict[str, Any]:
    hubs = list(
        session.execute(
            hub_columns(
                filters,
                Organisation.slug,
                Organisation.name,
                Organisation.city,
                Organisation.country,
                Organisation.latitude,
                Organisation.longitude,
            ).where(Organisation.latitude.is_not(None), Organisation.longitude.is_not(None))
        )
    )
    singles, clusters = (
        ([_place(h) for h in hubs], []) if len(hubs) <= max_markers else _grouped(hubs, max_markers)
    )
    return {"hubs": singles, "clusters": clusters, "located": len(hubs), "max_markers": max_markers}


def _grouped(
    hubs: list[Any], max_markers: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The hubs alone in their group, drawn as themselves, and the other groups."""
    singles: list[dict[str, Any]] = []
    clusters: list[dict[str, Any]] = []
    for members in _groups(hubs, max_markers):
        if len(members) == 1:
            singles.append(_place(members[0]))
        else:
            clusters.append(_cluster(members))
    singles.sort(key=lambda h: (h["name"], h["slug"]))
    clusters.sort(key=lambda c: (-c["count"], c["label"]))
    return singles, clusters


def cluster_label(group: dict[str, Any]) -> str:
    """A group's label in the reader's language (the JSON, the same for everyone, keeps
    the English one): its city and country, or where it lies and its first countries."""
    if group["search"]:
        return f"{group['search']['q']}, {local_country_name(group['search']['country'])}"
    language = current_language()
    where = {
        "latitude": format_decimal(group["latitude"], "0.0", locale=language),
        "longitude": format_decimal(group["longitude"], "0.0", locale=language),
        "countries": ", ".join(local_country_name(c) for c in group["countries"][:3]),
    }
    more = len(group["countries"]) - 3
    if more <= 0:
        return _("Around %(latitude)s, %(longitude)s (%(countries)s)", **where)
    return ngettext(
        "Around %(latitude)s, %(longitude)s (%(countries)s and %(num)d more)",
        "Around %(latitude)s, %(longitude)s (%(countries)s and %(num)d more)",
        more,
        **where,
    )
