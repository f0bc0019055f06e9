"""Is a hub's profile still what its manager would write today? A profile counts as stale
when nobody confirmed it (saved it, or said it is still right) for six months: the home
page and the monthly digest then ask the manager to look at it."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

from matchmaker.models import Organisation

STALE_AFTER_MONTHS = 6


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day when it
    is shorter: six months before 31 August is 28 or 29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def profile_confirmed_at(hub: Organisation) -> datetime:
    """When the profile was last confirmed; a hub from before confirmations were kept (or
    written past the app) counts from when it was added."""
    return hub.profile_confirmed_at or hub.created_at


def profile_is_stale(hub: Organisation, now: datetime | None = None) -> bool:
    """True when the profile was last confirmed more than six months before `now`."""
    now = now or datetime.now(UTC)
    return profile_confirmed_at(hub) < months_before(now, STALE_AFTER_MONTHS)
