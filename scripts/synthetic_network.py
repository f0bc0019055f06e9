"""A synthetic network of any size for benchmarks: hubs with about 20 services and needs
each, written from the demo's realistic texts with local detail, windows, projects and
past exchanges. Deterministic for a seed."""

from __future__ import annotations

import random
from datetime import date, timedelta

from matchmaker.demo.data import CITIES, NEED_TEXTS, SERVICE_TEXTS, City
from matchmaker.hubs.taxonomy import DEFAULT_DISCIPLINES
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind, NeedPriority
from matchmaker.matching.network import Entry, Network, Organisation, PastExchange, Project, Window

DISCIPLINES = [slug for slug, _ in DEFAULT_DISCIPLINES]
DETAILS = (
    "for {discipline} makers in {city}",
    "with partners from {city} and the region",
    "aimed at young {discipline} studios",
    "in our {city} building, in English and {language}",
    "started in {year} with the municipality",
    "for members working in {discipline}",
    "with a focus on {discipline} and circular materials",
)
PRIORITIES = (NeedPriority.HIGH, NeedPriority.MEDIUM, NeedPriority.MEDIUM, NeedPriority.LOW)


def _text(
    rng: random.Random,
    pool: dict[str, tuple[tuple[str, str], ...]],
    category: str,
    disciplines: tuple[str, ...],
    city: City,
) -> tuple[str, str]:
    """A title and description from the demo's texts, with a local detail."""
    title, description = rng.choice(pool[category])
    detail = rng.choice(DETAILS).format(
        discipline=rng.choice(disciplines).replace("-", " "),
        city=city.name,
        language=city.languages[0],
        year=rng.randint(2005, 2025),
    )
    return title, f"{description} {detail.capitalize()}."


def synthetic_network(hubs: int, seed: int = 7, today: date = date(2026, 11, 21)) -> Network:
    rng = random.Random(seed)
    categories = sorted(SERVICE_TEXTS)
    organisations = []
    entry_id = 0
    for i in range(hubs):
        city = CITIES[rng.randrange(len(CITIES))]
        disciplines = tuple(sorted(rng.sample(DISCIPLINES, rng.randint(1, 4))))
        languages = tuple(sorted({*city.languages, *(("en",) if rng.random() < 0.85 else ())}))

        services, needs = [], []
        for _ in range(rng.randint(8, 12)):
            entry_id += 1
            category = rng.choice(categories)
            services.append(
                Entry(entry_id, category, *_text(rng, SERVICE_TEXTS, category, disciplines, city))
            )
        for _ in range(rng.randint(8, 12)):
            entry_id += 1
            category = rng.choice(categories)
            needs.append(
                Entry(
                    entry_id,
                    category,
                    *_text(rng, NEED_TEXTS, category, disciplines, city),
                    rng.choice(PRIORITIES),
                )
            )
        desks = rng.choice((0, 0, 4, 8, 12, 20))
        places = rng.choice((0, 0, 0, 1, 2, 3))
        windows = []
        for kind, capacity, length in (
            (AvailabilityKind.DESKS, desks, 30),
            (AvailabilityKind.RESIDENCY, places, 56),
        ):
            if capacity:
                start = today + timedelta(days=rng.randint(0, 120))
                windows.append(
                    Window(kind, start, start + timedelta(days=length), rng.randint(1, capacity))
                )
        organisations.append(
            Organisation(
                id=i + 1,
                slug=f"hub-{i + 1}",
                name=f"Hub {i + 1} {city.name}",
                country=city.country,
                city=city.name,
                latitude=city.latitude + rng.uniform(-0.05, 0.05),
                longitude=city.longitude + rng.uniform(-0.05, 0.05),
                disciplines=disciplines,
                languages=languages,
                desks=desks,
                residency_places=places,
                accepts_visits=rng.random() < 0.85,
                services=tuple(services),
                needs=tuple(needs),
                windows=tuple(windows),
            )
        )
    parts = ("SC6", "LEIT", "ERC", "MSCA", "SWAFS", "Innovation in SMEs")
    projects = []
    for p in range(max(1, hubs // 4)):
        members = tuple(rng.sample(range(1, hubs + 1), min(hubs, rng.randint(3, 8))))
        projects.append(
            Project(
                p + 1,
                members,
                members[0],
                (rng.choice(parts),),
                rng.randint(2014, 2025),
                f"Project {p + 1}",
            )
        )
    exchanges = []
    for e in range(hubs // 10):
        pair = tuple(rng.sample(range(1, hubs + 1), 2)) if hubs > 1 else (1,)
        kind = rng.choice(list(ExchangeKind))
        ratings = tuple(rng.randint(2, 5) for _ in range(rng.randint(0, 2)))
        exchanges.append(PastExchange(e + 1, kind, pair, "completed", today, ratings))
    return Network(tuple(organisations), tuple(projects), tuple(exchanges), today=today)
