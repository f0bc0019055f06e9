"""Benchmark the matching engine on a synthetic network (issue 3).

    .venv/bin/python scripts/bench_matching.py --hubs 10000 --json

Builds the index, times at least 200 mixed-kind queries with their explanations, every
hub's top 20 (`refresh_all_s`, for shadowing), and the same queries computed pair by pair
with networkx over the graph (`matchmaker.matching.offline.reference`) on a sample, in the same
run; the baseline's scores are checked to equal the engine's. `peak_rss_mb` is the
engine's peak (network, index, queries, refresh), read before the baseline builds its
networkx graph; `peak_rss_with_baseline_mb` includes that graph. The last line is one
JSON object. Targets at 10,000 hubs: query_p95_ms ≤ 25, refresh_all_s ≤ 10,
speedup_vs_networkx ≥ 100; at 100,000 hubs query_p95_ms ≤ 250 and peak_rss_mb ≤ 4000.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_network import synthetic_network

from matchmaker.matching.graph import build_graph, collaboration_graph
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.offline.reference import reference_scores
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.ranking import suggest, top_for_all
from matchmaker.matching.signals import score_candidates

KINDS = list(ExchangeKind)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hubs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--baseline-queries", type=int, default=8)
    parser.add_argument(
        "--refresh",
        choices=["full", "sample", "skip"],
        default=None,
        help="full below 20,000 hubs, a timed sample above (default)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="(the last line is always JSON)")
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)

    started = time.perf_counter()
    network = synthetic_network(arguments.hubs, seed=arguments.seed)
    entries = sum(len(o.services) + len(o.needs) for o in network.organisations)
    print(
        f"network: {arguments.hubs} hubs, {entries} services and needs, "
        f"{len(network.projects)} projects ({time.perf_counter() - started:.1f} s)"
    )

    started = time.perf_counter()
    index = MatchIndex(network)
    build_s = time.perf_counter() - started
    print(f"index built in {build_s:.1f} s (vocabulary {index.text.vocabulary_size} terms)")

    hubs = [o.id for o in network.organisations]
    suggest(index, hubs[0], MatchQuery(ExchangeKind.SHADOWING))  # warm-up (lazy imports)
    timings: list[float] = []
    per_kind: dict[str, list[float]] = {k.value: [] for k in KINDS}
    for n in range(arguments.queries):
        kind = KINDS[n % len(KINDS)]
        hub = rng.choice(hubs)
        began = time.perf_counter()
        suggest(index, hub, MatchQuery(kind, limit=10))
        elapsed = (time.perf_counter() - began) * 1000
        timings.append(elapsed)
        per_kind[kind.value].append(elapsed)
    for kind_name, values in per_kind.items():
        print(
            f"  {kind_name:17} p50 {statistics.median(values):6.1f} ms   "
            f"p95 {percentile(values, 95):6.1f} ms"
        )

    refresh = arguments.refresh or ("full" if arguments.hubs <= 20_000 else "sample")
    refresh_all_s: float | None = None
    if refresh != "skip":
        sub = index
        began = time.perf_counter()
        if refresh == "full":
            top = top_for_all(sub, MatchQuery(ExchangeKind.SHADOWING, limit=20))
            refresh_all_s = time.perf_counter() - began
            print(f"refresh: top 20 for all {len(top)} hubs in {refresh_all_s:.1f} s")
        else:
            sample = rng.sample(range(len(index)), 500)
            query = MatchQuery(ExchangeKind.SHADOWING, limit=20)
            for position in sample:
                score_candidates(index, position, query, with_distances=False)
            per_hub = (time.perf_counter() - began) / len(sample)
            refresh_all_s = per_hub * len(index)
            print(f"refresh: estimated {refresh_all_s:.0f} s from a timed sample of 500 hubs")

    # The engine's own peak, before the baseline builds its (much larger) networkx graph.
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    graph = build_graph(network)
    collaboration = collaboration_graph(graph)
    baseline: list[float] = []
    engine: list[float] = []
    agreed = 0
    for n in range(arguments.baseline_queries):
        kind = KINDS[n % len(KINDS)]
        hub = rng.choice(hubs)
        query = MatchQuery(kind, limit=10)
        began = time.perf_counter()
        expected = reference_scores(index, graph, collaboration, hub, query)
        baseline.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        suggest(index, hub, query)
        engine.append((time.perf_counter() - began) * 1000)
        scored = score_candidates(index, index.position[hub], query)
        ours = {int(index.ids[p]): float(scored.score[p]) for p in np.flatnonzero(scored.eligible)}
        if ours.keys() == expected.keys() and all(abs(ours[k] - expected[k]) < 1e-6 for k in ours):
            agreed += 1
    baseline_ms = statistics.median(baseline)
    speedup = baseline_ms / statistics.median(engine)
    print(
        f"networkx pair-by-pair baseline: {baseline_ms:.0f} ms a query "
        f"({agreed}/{len(baseline)} queries scored identically)"
    )
    with_baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "hubs": arguments.hubs,
                "build_s": round(build_s, 2),
                "query_p50_ms": round(statistics.median(timings), 2),
                "query_p95_ms": round(percentile(timings, 95), 2),
                "queries": len(timings),
                "refresh_all_s": None if refresh_all_s is None else round(refresh_all_s, 2),
                "refresh_all_estimated": refresh == "sample",
                "peak_rss_mb": round(peak_rss_mb),
                "peak_rss_with_baseline_mb": round(with_baseline_mb),
                "baseline_query_ms": round(baseline_ms, 1),
                "baseline_queries": len(baseline),
                "baseline_agrees": agreed == len(baseline),
                "speedup_vs_networkx": round(speedup, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
