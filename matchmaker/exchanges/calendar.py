"""Exchanges as iCalendar events (RFC 5545): one to download or to receive by email, or
many in a person's subscribed feed (`feed.py`).

Each exchange is one event with a stable UID, whichever file carries it, and a SEQUENCE
that every change of state raises (`Exchange.move_to`), so a calendar that already holds
the event replaces it; a cancelled exchange stays in the feed as `STATUS:CANCELLED`, which
removes it from the calendars that had it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event

from matchmaker.i18n.words import and_list, kind_name
from matchmaker.models import Exchange, ExchangeState

S = ExchangeState
# Agreed by the hubs but still waiting for a coordinator's approval (residencies).
TENTATIVE = frozenset({S.ACCEPTED, S.PENDING_APPROVAL, S.APPROVED})
# Agreed once, then called off: calendars that hold the event remove it.
CALLED_OFF = frozenset({S.CANCELLED, S.REJECTED})


def exchange_event(exchange: Exchange, base_url: str, now: datetime) -> Event:
    """One all-day event from the first to the last day of the exchange, its summary and
    description in the current language (the reader's: `for_reader` around it)."""
    assert exchange.starts_on and exchange.ends_on, "only dated exchanges go in a calendar"
    event = Event()
    hubs = and_list(p.organisation.name for p in exchange.participants)
    kind = kind_name(exchange.kind)
    host = next((p.organisation for p in exchange.participants if p.role.value == "host"), None)
    event.add("uid", f"exchange-{exchange.id}@matchmaker")
    event.add("dtstamp", now)
    event.add("sequence", exchange.calendar_sequence or 0)
    cancelled = exchange.state in CALLED_OFF
    event.add(
        "status",
        "CANCELLED" if cancelled else "TENTATIVE" if exchange.state in TENTATIVE else "CONFIRMED",
    )
    event.add("dtstart", exchange.starts_on)
    event.add("dtend", exchange.ends_on + timedelta(days=1))  # DTEND of a date is exclusive
    title = _("%(kind)s: %(hubs)s", kind=kind[:1].upper() + kind[1:], hubs=hubs)
    event.add("summary", _("Cancelled: %(title)s", title=title) if cancelled else title)
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
    return event


def calendar_file(
    exchanges: Iterable[Exchange], base_url: str, now: datetime | None = None, name: str = ""
) -> str:
    """The exchanges' events in one calendar (one file, or a feed when `name` is given)."""
    now = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//matchmaker//exchanges//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    for exchange in exchanges:
        calendar.add_component(exchange_event(exchange, base_url, now))
    return calendar.to_ical().decode()


def exchange_calendar(exchange: Exchange, base_url: str, now: datetime | None = None) -> str:
    """One exchange's calendar file."""
    return calendar_file([exchange], base_url, now)
