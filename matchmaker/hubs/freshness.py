"""Whether a hub's profile is stale: not confirmed for six months, so the home page asks
its manager to look it over. One function, so the day a profile carries the date its
manager confirmed it, only `confirmed_at` changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from matchmaker.models import Organisation

STALE_AFTER = timedelta(days=183)  # six months


def confirmed_at(hub: Organisation) -> datetime:
    """When the profile was last known to be right: today, its last change."""
    return hub.updated_at


def profile_is_stale(hub: Organisation, now: datetime) -> bool:
    return confirmed_at(hub) < now - STALE_AFTER
