"""The network pictures as JSON for the web: which picture, its ETag, and its bytes from
the app's `PictureCache` (or computed afresh when `PICTURE_CACHE` is off).

The ETag needs only `engine.data_version`, so a browser's revalidation is answered
without computing or even reading the picture.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from matchmaker.engine import data_version
from matchmaker.hubs.directory import HubFilters
from matchmaker.hubs.network_map import hub_map
from matchmaker.hubs.network_picture import network_graph
from matchmaker.hubs.picture_cache import Compute, Picture, PictureCache, picture_key, serialise

# Each picture with the setting that bounds what it draws.
PICTURES: dict[str, tuple[Compute, str]] = {
    "graph": (network_graph, "PICTURE_MAX_NODES"),
    "map": (hub_map, "PICTURE_MAX_MARKERS"),
}
_CREATING = threading.Lock()


def picture_cache() -> PictureCache | None:
    """The app's cache (one per app, in its instance folder); None when switched off."""
    if not current_app.config.get("PICTURE_CACHE", True):
        return None
    with _CREATING:
        cache = current_app.extensions.get("picture_cache")
        if cache is None:
            cache = PictureCache(Path(current_app.instance_path) / "pictures")
            current_app.extensions["picture_cache"] = cache
        return cache


def picture_etag(session: Session, name: str, filters: HubFilters) -> str | None:
    """The picture's strong ETag as the data is now, or None without a cache."""
    if picture_cache() is None:
        return None
    database = str(session.get_bind().engine.url)  # its password masked
    shape = (name, current_app.config[PICTURES[name][1]])
    return picture_key(database, shape, data_version(session), filters)


def network_picture(session: Session, name: str, filters: HubFilters, etag: str | None) -> Picture:
    """The picture's JSON; `etag` from `picture_etag` in the same request."""
    compute, limit = PICTURES[name]
    bound = current_app.config[limit]
    cache = picture_cache()
    if cache is None or etag is None:
        return Picture("", serialise(compute(session, filters, bound)))
    return cache.get(etag, lambda: compute(session, filters, bound))


def picture_data(session: Session, name: str, filters: HubFilters) -> dict[str, Any]:
    """The picture as data, for the pages that list what they draw."""
    return json.loads(
        network_picture(session, name, filters, picture_etag(session, name, filters)).body
    )
