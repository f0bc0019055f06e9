"""Time the network pictures' JSON at 10,000 hubs, served for real (issue 15: ≤ 200 ms once
computed).

    .venv/bin/python scripts/bench_pictures.py [--hubs 10000] [--before-ref REF] [--json]

Seeds a fresh SQLite database with `flask seed-demo --hubs N` (the benchmark network: hubs
in ~150 real cities, CORDIS-like projects between them), then serves the app with
gunicorn (4 workers, on loopback) and measures, for each mode in turn (one server at a
time, so they do not share the two cores):
- `cached`: this code, `PICTURE_CACHE=on`;
- `uncached`: this code with `PICTURE_CACHE=off` (every request computes, no ETag);
- `before`: the code of `--before-ref` (default 771d6fc, main before this change), taken
  with `git archive` into a temporary folder and served from there against the same
  database (skipped with `--before-ref ""`): issue 15's "today".
Figures per mode: the first request of each picture (computing it), warm requests p50/p95
of each picture's JSON, 304 revalidations (If-None-Match), 8 concurrent clients asking
both pictures for `--seconds` with their p50/p95, a hub page's latency meanwhile, and the
first request after a hub is edited (a new ETag, computed again). Prints readable lines,
then one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from statistics import quantiles
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PICTURES = ("graph", "map")
WORKERS = 4
CLIENTS = 8
# main just before the pictures were cached: what issue 15 measured.
BEFORE = "771d6fc"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, float, dict[str, str]]:
    """(status, milliseconds, headers) of one GET, the body read whole."""
    started = time.perf_counter()
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            status, found = response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        error.read()
        status, found = error.code, dict(error.headers)
    return status, (time.perf_counter() - started) * 1000, found


def summary(times: list[float]) -> dict[str, float]:
    if not times:
        return {"n": 0}
    if len(times) == 1:
        return {"n": 1, "p50_ms": round(times[0], 1), "p95_ms": round(times[0], 1)}
    cuts = quantiles(times, n=100, method="inclusive")
    return {
        "n": len(times),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "max_ms": round(max(times), 1),
    }


def repeated(url: str, count: int, budget_s: float, headers: dict[str, str] | None = None) -> dict:
    """Up to `count` requests one after another, within about `budget_s` seconds."""
    times, statuses = [], set()
    deadline = time.monotonic() + budget_s
    for _ in range(count):
        status, ms, _ = get(url, headers)
        times.append(ms)
        statuses.add(status)
        if time.monotonic() > deadline:
            break
    return {**summary(times), "statuses": sorted(statuses)}


def under_load(base: str, hub_slug: str, seconds: float) -> dict[str, Any]:
    """8 clients ask for the pictures in turn while one more reads a hub's page."""
    stop = time.monotonic() + seconds
    times: list[float] = []
    errors: list[int] = []
    hub_times: list[float] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        i = n
        while time.monotonic() < stop:
            status, ms, _ = get(f"{base}/network/{PICTURES[i % 2]}.json")
            i += 1
            with lock:
                times.append(ms)
                if status != 200:
                    errors.append(status)

    def reader() -> None:
        while time.monotonic() < stop:
            status, ms, _ = get(f"{base}/hubs/{hub_slug}")
            with lock:
                hub_times.append(ms)
                if status != 200:
                    errors.append(status)
            time.sleep(0.2)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    threads.append(threading.Thread(target=reader))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "pictures": summary(times),
        "errors": len(errors),
        "hub_page": summary(hub_times),
    }


def edit_a_hub(database: Path, slug: str) -> None:
    """A manager's edit as the app makes it (through the ORM, which bumps the data stamp):
    a new name."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Organisation

    app = bench_app(database)
    with app.app_context():
        hub = db.session.scalars(select(Organisation).where(Organisation.slug == slug)).one()
        hub.name = f"{hub.name} (edited)"
        db.session.commit()
        db.engine.dispose()


def bench_app(database: Path) -> Any:
    """The app on the benchmark's database, in this process."""
    from matchmaker import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench"},
        str(database.parent / "instance-bench"),
    )


def measure(base: str, database: Path, hub_slug: str, seconds: float, slow: bool) -> dict:
    figures: dict[str, Any] = {}
    budget = 20.0 if slow else 10.0
    for name in PICTURES:
        url = f"{base}/network/{name}.json"
        status, first_ms, headers = get(url)
        etag = headers.get("ETag")
        figures[name] = {
            "first_ms": round(first_ms, 1),
            "first_status": status,
            "bytes": int(headers.get("Content-Length", 0) or 0),
            "etag": bool(etag),
            "warm": repeated(url, 100, budget),
            "revalidated_304": repeated(url, 100, budget, {"If-None-Match": etag})
            if etag
            else None,
        }
        print(f"  {name}.json: first {first_ms:.0f} ms, warm {figures[name]['warm']}", flush=True)
        if etag:
            print(f"  {name}.json 304: {figures[name]['revalidated_304']}", flush=True)
    figures["page_graph"] = repeated(f"{base}/network/graph", 20, budget)
    figures["page_map"] = repeated(f"{base}/network/map", 20, budget)
    figures["hub_page_idle"] = repeated(f"{base}/hubs/{hub_slug}", 20, 5)
    figures["concurrent"] = under_load(base, hub_slug, seconds)
    print(f"  pages: graph {figures['page_graph']}, map {figures['page_map']}", flush=True)
    print(f"  {CLIENTS} clients: {figures['concurrent']}", flush=True)
    url = f"{base}/network/graph.json"
    before = get(url)[2].get("ETag")
    edit_a_hub(database, hub_slug)
    _, after_edit_ms, headers = get(url)
    figures["after_edit_first_ms"] = round(after_edit_ms, 1)
    figures["after_edit_new_etag"] = headers.get("ETag") != before if before else None
    figures["after_edit_warm"] = repeated(url, 20, 5)
    print(
        f"  after an edit: first {after_edit_ms:.0f} ms, "
        f"new ETag: {figures['after_edit_new_etag']}",
        flush=True,
    )
    return figures


@contextmanager
def served(database: Path, folder: Path, cache: bool, code: Path | None) -> Iterator[str]:
    """gunicorn with 4 workers on loopback; `code` serves another checkout's package."""
    port = free_port()
    instance = folder / f"instance-{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "bench",
        "PICTURE_CACHE": "on" if cache else "off",
        "RATE_LIMIT_API": "100000 per minute",
    }
    if code is not None:
        env["PYTHONPATH"] = str(code)
    log = (folder / f"gunicorn-{port}.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            f"matchmaker:create_app(instance_path={str(instance)!r})",
        ],
        env=env,
        cwd=code or ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/static/favicon.svg", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit((folder / f"gunicorn-{port}.log").read_text())
                time.sleep(0.3)
        time.sleep(1)  # every worker up
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def version_cost(database: Path) -> dict[str, float]:
    """`engine.data_version` alone, which every picture request (and a 304) asks first:
    most of a warm request's time is this, until it becomes the one cheap query."""
    sys.path.insert(0, str(ROOT))
    from matchmaker.engine import data_version
    from matchmaker.extensions import db

    app = bench_app(database)
    times = []
    with app.app_context():
        for _ in range(50):
            started = time.perf_counter()
            data_version(db.session())
            times.append((time.perf_counter() - started) * 1000)
        db.engine.dispose()
    return summary(times)


def checkout(ref: str, folder: Path) -> Path:
    """The package as it is at `ref`, without touching any worktree."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "matchmaker", "templates"],
        check=True,
        capture_output=True,
    ).stdout
    target = folder / f"code-{ref.replace('/', '-')}"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hubs", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=15.0, help="of 8 concurrent clients")
    parser.add_argument(
        "--before-ref",
        default=BEFORE,
        help='git ref of the code before this change (issue 15\'s "today"), "" to skip',
    )
    parser.add_argument("--json", action="store_true", help="(the last line is JSON anyway)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        folder = Path(workdir)
        database = folder / "bench.sqlite"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench"}
        flask = [sys.executable, "-m", "flask", "--app", "matchmaker"]
        started = time.perf_counter()
        subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run(
            [*flask, "seed-demo", "--hubs", str(arguments.hubs)],
            env=env,
            check=True,
            capture_output=True,
        )
        print(f"seeded {arguments.hubs} hubs in {time.perf_counter() - started:.1f} s", flush=True)
        with sqlite3.connect(database) as connection:
            (hub_slug,) = connection.execute(
                "SELECT slug FROM organisations WHERE kind = 'hub' ORDER BY id LIMIT 1"
            ).fetchone()
        modes: list[tuple[str, bool, Path | None]] = [
            ("cached", True, None),
            ("uncached", False, None),
        ]
        if arguments.before_ref:
            modes.append(("before", True, checkout(arguments.before_ref, folder)))
        results: dict[str, Any] = {"data_version": version_cost(database)}
        print(f"engine.data_version alone: {results['data_version']}", flush=True)
        for mode, cache, code in modes:
            print(f"{mode}:", flush=True)
            with served(database, folder, cache, code) as base:
                load = os.getloadavg()[0]
                results[mode] = measure(
                    base, database, hub_slug, arguments.seconds, mode != "cached"
                )
                # Another program's turns count in wall-clock times: say how busy it was.
                results[mode]["load_average_1min"] = [round(load, 2), round(os.getloadavg()[0], 2)]
    cached = results["cached"]
    print(
        json.dumps(
            {
                "hubs": arguments.hubs,
                "server": f"gunicorn {WORKERS} workers, SQLite, loopback",
                "warm_p95_ms": {n: cached[n]["warm"]["p95_ms"] for n in PICTURES},
                "target_warm_ms": 200,
                "before_ref": arguments.before_ref or None,
                **results,
            }
        )
    )


if __name__ == "__main__":
    main()
