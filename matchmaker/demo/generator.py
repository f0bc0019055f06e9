"""Build a demo network as plain records, deterministically from a seed and a start date.

No database here: `matchmaker.demo.seed` stores what this builds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import zip_longest

from matchmaker.demo.data import (
    BUILDINGS,
    CITIES,
    HUB_DESCRIPTIONS,
    HUB_NAME_PATTERNS,
    NAME_WORDS,
    NEED_TEXTS,
    PROJECT_PROGRAMMES,
    PROJECT_TITLES,
    SERVICE_TEXTS,
    City,
)
from matchmaker.demo.local_texts import LOCAL_NEEDS, LOCAL_SERVICES
from matchmaker.hubs.records import HubRecord, NeedRecord, ServiceRecord
from matchmaker.hubs.taxonomy import DEFAULT_DISCIPLINES
from matchmaker.models import AvailabilityKind, NeedPriority, OrganisationKind, Role
from matchmaker.validation import unique_slug

DEMO_PASSWORD = "matchmaker-demo"
DISCIPLINE_NAMES = dict(DEFAULT_DISCIPLINES)


@dataclass(frozen=True)
class AvailabilityRecord:
    slug: str
    kind: AvailabilityKind
    starts_on: date
    ends_on: date
    places: int
    note: str


@dataclass(frozen=True)
class ProjectRecord:
    external_id: str
    title: str
    programme: str
    start_year: int
    duration_months: int
    coordinator: str  # slug
    partners: tuple[str, ...]  # slugs, without the coordinator


@dataclass(frozen=True)
class AccountRecord:
    email: str
    name: str
    role: Role
    hub_slug: str | None
    password: str = DEMO_PASSWORD
    language: str | None = None  # pages and emails in it (the demo shows several)


@dataclass
class DemoNetwork:
    organisations: list[HubRecord]
    availability: list[AvailabilityRecord]
    projects: list[ProjectRecord]
    accounts: list[AccountRecord]


def cities_by_country_rounds(rng: random.Random) -> list[City]:
    """Cities in an order that visits every country before any country twice."""
    by_country: dict[str, list[City]] = {}
    for city in CITIES:
        by_country.setdefault(city.country, []).append(city)
    countries = sorted(by_country)
    rng.shuffle(countries)
    for cities in by_country.values():
        rng.shuffle(cities)
    rounds = zip_longest(*(by_country[country] for country in countries))
    return [city for round_ in rounds for city in round_ if city is not None]


def build_demo_network(hubs: int, seed: int, today: date) -> DemoNetwork:
    rng = random.Random(seed)
    cities = cities_by_country_rounds(rng)
    used_slugs: set[str] = set()
    organisations = [
        _hub(rng, cities[i % len(cities)], i // len(cities), used_slugs) for i in range(hubs)
    ]
    partners = [
        _partner(rng, cities[(i * 7) % len(cities)], used_slugs) for i in range(max(6, hubs // 10))
    ]
    availability = [window for hub in organisations for window in _availability(rng, hub, today)]
    projects = _projects(rng, organisations, partners, today)
    managed = organisations[:3]
    languages = ("en", "fr", "uk")
    accounts = [
        AccountRecord(
            f"manager{n}@example.org",
            f"Manager of {hub.name}",
            Role.MANAGER,
            hub.slug,
            language=languages[(n - 1) % len(languages)],
        )
        for n, hub in enumerate(managed, start=1)
    ] + [
        AccountRecord(
            "coordinator@example.org",
            "Programme coordinator",
            Role.COORDINATOR,
            None,
            language="de",
        ),
        AccountRecord("admin@example.org", "Administrator", Role.ADMIN, None, language="en"),
    ]
    return DemoNetwork(organisations + partners, availability, projects, accounts)


def _unique_slug(name: str, used: set[str]) -> str:
    slug = unique_slug(name, used.__contains__)
    used.add(slug)
    return slug


def _place(rng: random.Random, city: City, lap: int) -> tuple[float, float]:
    """The city centre for the first hub there, then other neighbourhoods."""
    if lap == 0:
        return city.latitude, city.longitude
    return (
        round(city.latitude + rng.uniform(-0.06, 0.06), 4),
        round(city.longitude + rng.uniform(-0.08, 0.08), 4),
    )


def _hub(rng: random.Random, city: City, lap: int, used: set[str]) -> HubRecord:
    name = rng.choice(HUB_NAME_PATTERNS).format(city=city.name, word=rng.choice(NAME_WORDS))
    slug = _unique_slug(name, used)
    disciplines = tuple(rng.sample(sorted(DISCIPLINE_NAMES), rng.randint(1, 4)))
    desks = rng.choice((0, 4, 6, 8, 10, 12, 15, 20, 25, 30))
    residency_places = rng.choice((0, 0, 0, 1, 2, 2, 3, 4))
    services = _services(rng, desks, residency_places)
    offered = {service.category for service in services}
    needs = _needs(rng, [c for c in sorted(NEED_TEXTS) if c not in offered])
    if lap == 0 and city.languages[0] in LOCAL_SERVICES:  # no draw: the network stays as it was
        services, needs = _in_own_language(city.languages[0], services, needs)
    languages = list(city.languages)
    if "en" not in languages and rng.random() < 0.85:
        languages.append("en")
    if rng.random() < 0.2:
        languages.append(rng.choice(("de", "fr", "es", "it")))
    is_member = rng.random() < 0.9
    criteria = [True] * 4 if rng.random() < 0.75 else [rng.random() < 0.6 for _ in range(4)]
    latitude, longitude = _place(rng, city, lap)
    focus = " and ".join(DISCIPLINE_NAMES[d].lower() for d in disciplines[:2])
    return HubRecord(
        slug=slug,
        name=name,
        kind=OrganisationKind.HUB,
        city=city.name,
        country=city.country,
        latitude=latitude,
        longitude=longitude,
        website=f"https://{slug}.example",
        founded_year=rng.randint(1995, 2023),
        description=rng.choice(HUB_DESCRIPTIONS).format(
            name=name, city=city.name, building=rng.choice(BUILDINGS), focus=focus
        ),
        disciplines=disciplines,
        languages=tuple(dict.fromkeys(languages)),
        desks=desks,
        residency_places=residency_places,
        accepts_visits=rng.random() < 0.85,
        is_member=is_member,
        supports_ccis=criteria[0],
        hosts_ccis_community=criteria[1],
        has_physical_space=criteria[2],
        develops_community=criteria[3],
        services=services,
        needs=needs,
    )


def _in_own_language(
    language: str, services: tuple[ServiceRecord, ...], needs: tuple[NeedRecord, ...]
) -> tuple[tuple[ServiceRecord, ...], tuple[NeedRecord, ...]]:
    """The entries with a text in the hub's language, written in it."""
    own_services, own_needs = LOCAL_SERVICES[language], LOCAL_NEEDS[language]
    return (
        tuple(
            ServiceRecord(s.category, *own_services[s.category])
            if s.category in own_services
            else s
            for s in services
        ),
        tuple(
            NeedRecord(n.category, *own_needs[n.category], priority=n.priority)
            if n.category in own_needs
            else n
            for n in needs
        ),
    )


def _services(rng: random.Random, desks: int, residency_places: int) -> tuple[ServiceRecord, ...]:
    required = (["coworking"] if desks else []) + (["residency"] if residency_places else [])
    others = [c for c in sorted(SERVICE_TEXTS) if c not in required]
    count = rng.randint(max(2, len(required)), 6)
    categories = required + rng.sample(others, count - len(required))
    return tuple(ServiceRecord(c, *rng.choice(SERVICE_TEXTS[c])) for c in categories)


def _needs(rng: random.Random, categories: list[str]) -> tuple[NeedRecord, ...]:
    chosen = rng.sample(categories, rng.randint(1, 4))
    priorities = (NeedPriority.HIGH, NeedPriority.MEDIUM, NeedPriority.MEDIUM, NeedPriority.LOW)
    return tuple(
        NeedRecord(c, *rng.choice(NEED_TEXTS[c]), priority=rng.choice(priorities)) for c in chosen
    )


PARTNER_PATTERNS = (
    (OrganisationKind.UNIVERSITY, "{city} University of Applied Arts"),
    (OrganisationKind.PUBLIC_BODY, "City of {city} – Culture Department"),
    (OrganisationKind.NETWORK, "{city} Creative Industries Network"),
    (OrganisationKind.COMPANY, "{word} Studio {city}"),
)


def _partner(rng: random.Random, city: City, used: set[str]) -> HubRecord:
    kind, pattern = rng.choice(PARTNER_PATTERNS)
    name = pattern.format(city=city.name, word=rng.choice(NAME_WORDS))
    slug = _unique_slug(name, used)
    return HubRecord(
        slug=slug,
        name=name,
        kind=kind,
        city=city.name,
        country=city.country,
        latitude=city.latitude,
        longitude=city.longitude,
        languages=city.languages,
        accepts_visits=False,
        description=f"A project partner of hubs in {city.name}.",
    )


def _availability(rng: random.Random, hub: HubRecord, today: date) -> list[AvailabilityRecord]:
    windows = []
    for kind, capacity, count, lengths in (
        (AvailabilityKind.DESKS, hub.desks, rng.randint(1, 3), (14, 21, 30, 45, 60)),
        (AvailabilityKind.RESIDENCY, hub.residency_places, rng.randint(1, 2), (28, 42, 56, 70)),
    ):
        if not capacity:
            continue
        start = today + timedelta(days=rng.randint(7, 45))
        for _ in range(count):
            length = rng.choice(lengths)
            note = (
                "Desks in the open studio, keys from the front desk."
                if kind is AvailabilityKind.DESKS
                else "Room in the residents' flat, studio space and a stipend-friendly canteen."
            )
            windows.append(
                AvailabilityRecord(
                    hub.slug,
                    kind,
                    start,
                    start + timedelta(days=length - 1),
                    rng.randint(1, capacity),
                    note,
                )
            )
            start += timedelta(days=length + rng.randint(14, 60))
    return windows


def _projects(
    rng: random.Random, hubs: list[HubRecord], partners: list[HubRecord], today: date
) -> list[ProjectRecord]:
    projects = []
    for number in range(max(10, len(hubs) // 6)):
        size = rng.randint(3, 6)
        members: list[HubRecord] = []
        countries: set[str] = set()
        # Cross-border by construction: at most one member per country.
        for hub in rng.sample(hubs, min(len(hubs), size * 3)):
            if hub.country not in countries:
                members.append(hub)
                countries.add(hub.country)
            if len(members) == size:
                break
        if rng.random() < 0.5:
            members.append(rng.choice(partners))
        title = PROJECT_TITLES[number % len(PROJECT_TITLES)]
        if number >= len(PROJECT_TITLES):
            title = f"{title} ({number // len(PROJECT_TITLES) + 1})"
        projects.append(
            ProjectRecord(
                external_id=f"demo-{number + 1}",
                title=title,
                programme=rng.choice(PROJECT_PROGRAMMES),
                start_year=rng.randint(2015, today.year - 1),
                duration_months=rng.choice((18, 24, 30, 36, 48)),
                coordinator=members[0].slug,
                partners=tuple(m.slug for m in members[1:]),
            )
        )
    return projects
