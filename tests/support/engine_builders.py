"""Small hand-made networks for the matching engine's tests: plain dataclasses, no database.

Entry ids are derived from the organisation id (services id*100+i, needs id*100+50+i), so
two networks built by the same calls are equal, whatever ran before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from matchmaker.matching.index import MatchIndex
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind, NeedPriority
from matchmaker.matching.network import Entry, Network, Organisation, PastExchange, Project, Window
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.ranking import Suggestion, Suggestions, suggest

K = ExchangeKind
HIGH, MEDIUM, LOW = NeedPriority.HIGH, NeedPriority.MEDIUM, NeedPriority.LOW
TODAY = date(2026, 3, 2)

# (category, title) or (category, title, priority) for needs.
EntrySpec = tuple[Any, ...]

# Real places, so distances and country names are the ones a manager would see.
PORTO = {"country": "PT", "city": "Porto", "latitude": 41.1579, "longitude": -8.6291}
LISBON = {"country": "PT", "city": "Lisbon", "latitude": 38.7223, "longitude": -9.1393}
BERLIN = {"country": "DE", "city": "Berlin", "latitude": 52.52, "longitude": 13.405}
LYON = {"country": "FR", "city": "Lyon", "latitude": 45.764, "longitude": 4.8357}
VIGO = {"country": "ES", "city": "Vigo", "latitude": 42.2406, "longitude": -8.7207}


def org(
    id: int,
    name: str | None = None,
    *,
    offers: Iterable[EntrySpec] = (),
    needs: Iterable[EntrySpec] = (),
    country: str = "PT",
    **fields: Any,
) -> Organisation:
    """An organisation (a hub unless `kind=` says otherwise) with its services and needs."""
    services = tuple(
        Entry(id * 100 + i, spec[0], spec[1], *spec[2:]) for i, spec in enumerate(offers)
    )
    wants = tuple(
        Entry(id * 100 + 50 + i, spec[0], spec[1], "", spec[2] if len(spec) > 2 else MEDIUM)
        for i, spec in enumerate(needs)
    )
    return Organisation(
        id=id,
        slug=f"org-{id}",
        name=name or f"Hub {id}",
        country=country,
        services=services,
        needs=wants,
        **fields,
    )


def desks(starts_on: date, ends_on: date, places: int = 2) -> Window:
    return Window(AvailabilityKind.DESKS, starts_on, ends_on, places)


def residency(starts_on: date, ends_on: date, places: int = 1) -> Window:
    return Window(AvailabilityKind.RESIDENCY, starts_on, ends_on, places)


def project(id: int, *members: int, title: str = "", parts: tuple[str, ...] = ()) -> Project:
    return Project(id, tuple(members), members[0], parts, 2020, title or f"Project {id}")


def exchange(
    id: int,
    kind: ExchangeKind,
    *hubs: int,
    state: str = "completed",
    ratings: tuple[int, ...] = (),
    raters: tuple[int | None, ...] = (),
) -> PastExchange:
    ended = date(2025, 6, 30) if state == "completed" else None
    return PastExchange(id, kind, tuple(hubs), state, ended, ratings, raters)


def network(
    *organisations: Organisation,
    projects: Iterable[Project] = (),
    exchanges: Iterable[PastExchange] = (),
) -> Network:
    return Network(
        organisations=tuple(organisations),
        projects=tuple(projects),
        exchanges=tuple(exchanges),
        today=TODAY,
    )


def run(
    net: Network,
    requester: int,
    kind: ExchangeKind,
    shown: Mapping[int, int] | None = None,
    **query: Any,
) -> Suggestions:
    """Suggestions of `kind` for `requester`, from a fresh index of `net`; `shown`: how
    often each candidate id was already suggested to the requester for this kind."""
    return suggest(MatchIndex(net), requester, MatchQuery(kind, **query), shown)


def ids(result: Suggestions) -> list[int]:
    return [s.organisation.id for s in result.items]


def item(result: Suggestions, organisation_id: int) -> Suggestion:
    found = [s for s in result.items if s.organisation.id == organisation_id]
    assert found, f"organisation {organisation_id} not suggested: {ids(result)} ({result.reason})"
    return found[0]


def texts(suggestion: Suggestion, kind: str) -> list[str]:
    """The reasons of one kind (match, shared, place, availability, history, weak)."""
    return [r.text for r in suggestion.reasons if r.kind == kind]


GRANT_NEED = ("funding", "Writing EU grant applications", HIGH)
GRANT_OFFER = ("funding", "Coaching on EU grant applications")
LASER_OFFER = ("fablab", "Laser cutting workshop")
LASER_NEED = ("fablab", "Access to laser cutting")
