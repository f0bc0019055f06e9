"""How well does the partner recommender find the partners who really joined? Real Horizon
2020 consortia, imported the way the product imports them.

Protocol (matchmaker/matching/evaluation.py): history is every project that started before
2019. Each later project whose coordinator has history asks "the coordinator's top 10
partners for the project's programme part" (a project in several parts: the first in
sorted order); the truth is its other members with history. The recommender's weights are
fitted in this run on history alone (signals before 2017, labels 2017-2018), or with
--default-weights taken from the module (fitted the same way, once). Three
baselines on the same history: popularity in the part, the coordinator's most frequent past
partners, Adamic–Adar on the co-participation graph (each tie-broken by popularity).
Target: recall@10 at least 25% above the best baseline.

    .venv/bin/python scripts/evaluate_partners.py --json [--default-weights] [--data DIR]

The last line (with --json) is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from flask_migrate import upgrade

from matchmaker import create_app
from matchmaker.app import MIGRATIONS_DIR
from matchmaker.engine import load_network
from matchmaker.extensions import db
from matchmaker.hubs.cordis import read_cordis, write_cordis
from matchmaker.matching.network import Organisation, Project
from matchmaker.matching.offline.evaluation import (
    Baselines,
    HeldOut,
    evaluate,
    fit_weights,
    held_out,
)
from matchmaker.matching.partners import DEFAULT_WEIGHTS, PartnerRecommender

REPO = Path(__file__).resolve().parents[1]
SPLIT_YEAR = 2019
TARGET = 1.25
BASELINES = ("popularity", "past_partners", "adamic_adar")


def log(started: float, message: str) -> None:
    print(f"[{time.perf_counter() - started:6.1f} s] {message}", flush=True)


def import_network(
    data_dir: Path, started: float
) -> tuple[tuple[Organisation, ...], tuple[Project, ...]]:
    """CORDIS files -> a fresh, migrated SQLite database of the app -> the engine's data."""
    with tempfile.TemporaryDirectory() as workdir:
        config = {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/evaluate.sqlite",
            "SECRET_KEY": "evaluate-partners",
        }
        app = create_app(config, str(Path(workdir) / "instance"))
        with app.app_context():
            upgrade(directory=str(MIGRATIONS_DIR))
            data = read_cordis(data_dir / "h2020.csv.gz", data_dir / "programme_parts.csv.gz")
            if data.errors:
                sys.exit(f"{len(data.errors)} problem(s) in {data_dir}, first: {data.errors[0]}")
            write_cordis(db.session(), data)
            db.session.commit()
            log(started, f"imported {data.rows} participations into a fresh SQLite database")
            network = load_network(db.session())
            db.session.remove()
            db.engine.dispose()
    return network.organisations, network.projects


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument(
        "--default-weights", action="store_true", help="use DEFAULT_WEIGHTS, do not fit"
    )
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/data/cordis-h2020")
    arguments = parser.parse_args()

    started = time.perf_counter()
    organisations, projects = import_network(arguments.data, started)
    log(started, f"loaded {len(organisations)} organisations, {len(projects)} projects")
    if arguments.default_weights:
        weights, source = dict(DEFAULT_WEIGHTS), "the module's DEFAULT_WEIGHTS"
    else:
        weights = fit_weights(organisations, projects, before_year=SPLIT_YEAR)
        source = f"fitted on history before {SPLIT_YEAR}"
    shown = ", ".join(f"{name} {value:.3f}" for name, value in weights.items() if value)
    log(started, f"weights {source}: {shown}")
    recommender = PartnerRecommender(organisations, projects, before_year=SPLIT_YEAR)
    queries = held_out(projects, split_year=SPLIT_YEAR)
    log(started, f"{len(recommender.projects)} history projects, {len(queries)} test projects")

    def ours(query: HeldOut) -> list[int]:
        return [candidate for candidate, _ in recommender.top(query.requester, query.part, 10)]

    results: dict[str, Any] = {"test_projects": len(queries)}
    query_started = time.perf_counter()
    results |= evaluate(ours, queries)
    per_query = (time.perf_counter() - query_started) / max(len(queries), 1) * 1000
    log(started, f"recommender: {results} ({per_query:.1f} ms per query)")
    baselines = Baselines(recommender)
    for name in BASELINES:
        results[name] = evaluate(getattr(baselines, name), queries)
        log(started, f"{name}: {results[name]}")
    best = max(results[name]["recall_at_10"] for name in BASELINES)
    ratio = results["recall_at_10"] / best if best else float("inf")
    verdict = "meets" if ratio >= TARGET else "misses"
    log(started, f"recall@10 is {ratio:.2f} x the best baseline: {verdict} the {TARGET} target")
    if arguments.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
