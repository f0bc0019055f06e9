"""Time the directory's search at 10,000 hubs on SQLite (issue 16: search must stay fast).

    .venv/bin/python scripts/bench_search.py [--hubs 10000] [--runs 30] [--database PATH]

Seeds a fresh SQLite database with the benchmark network (`seed_demo`, as
`flask seed-demo --hubs N`; kept with `--database` to time again without seeding), then
times, for each query, the search's use case (`hub_page`: the count and the first page
of 30 hubs) and the whole directory page through the app (rendering included). Prints the
median and p95 in milliseconds, then one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from statistics import median, quantiles
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = [
    "laser",
    "ceramics",
    "funding",
    "Albania",
    "Kobenhavn",
    "laser cutting Porto",
    "design residency",
    "zzzz",  # nothing matches: every row is read
]


def timed(action: Any, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": round(median(samples), 1),
        "p95_ms": round(quantiles(samples, n=20)[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hubs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database", type=Path, help="kept between runs (seeded if new)")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from matchmaker import create_app
    from matchmaker.app import MIGRATIONS_DIR
    from matchmaker.demo.seed import seed_demo
    from matchmaker.extensions import db
    from matchmaker.hubs.directory import HubFilters, hub_page
    from matchmaker.models import Organisation, OrganisationKind

    folder = Path(tempfile.mkdtemp(prefix="bench-search-"))
    database = args.database or folder / "bench.sqlite"
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "QUEUE_EMBEDDED_WORKER": False,
            "QUEUE_URL": f"sqlite:///{folder / 'queue.sqlite3'}",
        },
        str(folder),
    )
    results: dict[str, Any] = {"hubs": args.hubs, "queries": {}}
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        if not db.session.scalar(select(func.count()).select_from(Organisation)):
            start = time.perf_counter()
            seed_demo(db.session(), hubs=args.hubs)
            results["seed_s"] = round(time.perf_counter() - start, 1)
            print(f"seeded {args.hubs} hubs in {results['seed_s']} s")
        results["hubs"] = db.session.scalar(
            select(func.count()).where(Organisation.kind == OrganisationKind.HUB)
        )
        client = app.test_client()
        for query in QUERIES:
            filters = HubFilters(search=query)
            total = hub_page(1, 30, filters).total
            use_case = timed(lambda f=filters: hub_page(1, 30, f).items, args.runs)
            page = timed(lambda q=query: client.get("/", query_string={"q": q}), args.runs)
            results["queries"][query] = {"total": total, "use_case": use_case, "page": page}
            print(
                f"{query!r:24} {total:6} hubs  use case median {use_case['median_ms']:6} ms"
                f" p95 {use_case['p95_ms']:6} ms   page median {page['median_ms']:6} ms"
                f" p95 {page['p95_ms']:6} ms"
            )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
