"""An exchange as an iCalendar event (RFC 5545), to download or to receive by email."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from matchmaker.models import Exchange


def exchange_calendar(exchange: Exchange, base_url: str, now: datetime | None = None) -> str:
    """One all-day event from the first to the last day of the exchange."""
    assert exchange.starts_on and exchange.ends_on, "only dated exchanges go in a calendar"
    calendar = Calendar()
    calendar.add("prodid", "-//matchmaker//exchanges//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    hubs = " and ".join(p.organisation.name for p in exchange.participants)
    host = next((p.organisation for p in exchange.participants if p.role.value == "host"), None)
    event.add("uid", f"exchange-{exchange.id}@matchmaker")
    event.add("dtstamp", now or datetime.now(UTC))
    event.add("dtstart", exchange.starts_on)
    event.add("dtend", exchange.ends_on + timedelta(days=1))  # DTEND of a date is exclusive
    event.add("summary", f"{exchange.kind.label.capitalize()}: {hubs}")
    if host is not None and host.city:
        event.add("location", f"{host.name}, {host.city}")
    event.add("url", f"{base_url}/exchanges/{exchange.id}")
    event.add(
        "description",
        f"{exchange.kind.label.capitalize()} between {hubs}. "
        f"Details: {base_url}/exchanges/{exchange.id}",
    )
    calendar.add_component(event)
    return calendar.to_ical().decode()
