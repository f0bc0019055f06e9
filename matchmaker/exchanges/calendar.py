"""An exchange as an iCalendar event (RFC 5545), to download or to receive by email."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event

from matchmaker.i18n.words import and_list, kind_name
from matchmaker.models import Exchange


def exchange_calendar(exchange: Exchange, base_url: str, now: datetime | None = None) -> str:
    """One all-day event from the first to the last day of the exchange, its summary and
    description in the current language (the reader's: `for_reader` around it)."""
    assert exchange.starts_on and exchange.ends_on, "only dated exchanges go in a calendar"
    calendar = Calendar()
    calendar.add("prodid", "-//matchmaker//exchanges//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    hubs = and_list(p.organisation.name for p in exchange.participants)
    kind = kind_name(exchange.kind)
    host = next((p.organisation for p in exchange.participants if p.role.value == "host"), None)
    event.add("uid", f"exchange-{exchange.id}@matchmaker")
    event.add("dtstamp", now or datetime.now(UTC))
    event.add("dtstart", exchange.starts_on)
    event.add("dtend", exchange.ends_on + timedelta(days=1))  # DTEND of a date is exclusive
    event.add("summary", _("%(kind)s: %(hubs)s", kind=kind[:1].upper() + kind[1:], hubs=hubs))
    if host is not None and host.city:
        event.add("location", f"{host.name}, {host.city}")
    event.add("url", f"{base_url}/exchanges/{exchange.id}")
    event.add(
        "description",
        _(
            "%(kind)s between %(hubs)s. Details: %(url)s",
            kind=kind[:1].upper() + kind[1:],
            hubs=hubs,
            url=f"{base_url}/exchanges/{exchange.id}",
        ),
    )
    calendar.add_component(event)
    return calendar.to_ical().decode()
