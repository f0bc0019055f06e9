"""The live matching index under load (issue 15): the real app under gunicorn on a
throwaway PostgreSQL, on loopback, with its index builder (and queue worker, when the
project has one), while hubs are edited and proposals made.

    .venv/bin/python scripts/bench_live.py [--hubs 10000] [--seconds 60] [--json]

For `--seconds`, 8 clients ask suggestions of mixed kinds as hub managers; an admin
renames one hub every second (a hub edit, applied to the index incrementally) and a
manager proposes a visit every five seconds. A watcher asks, every 100 ms, for the
suggestions of a hub that has the renamed hub first, and notes when each new name shows:
(an admin asks, so the rotation that lowers what a manager saw often stays out of it):
`edit_visible_s` is the longest wait from an edit's answer to its name in suggestions.
`p50_ms`, `p95_ms` and `max_ms` are the load's requests (the clients', the edits and the
proposals); the watcher is the instrument, timed apart (`watcher_p95_ms`) and asking for
the default ten suggestions (the renamed hub is the first), so it weighs on the load as
one more client at most; its errors count with the others.
`workers_rss_mb` adds up the web workers' resident memory (a page mapped by four
workers counts four times), `workers_pss_mb` shares each such page out between them
(what the workers take together). Then the same load runs with today's behaviour
(INDEX_BUILDER=inline: every worker rebuilds its own index in the request after a
change) for the `baseline_*` figures. The last line is one JSON object.

The broker is Redis, as in production (`production.env.example`): the job queue and
the rate limits' counters, on a redis-server this script starts on loopback (Debian's,
which `scripts/ensure_redis.py` installs). Without it, the queue runs on a SQLite file
and the rate limits count in each worker's memory, and the script says so.

`--keep-logs DIR` keeps the run's logs (gunicorn's, with the app's access line for each
request and its duration inside the app; the builder's; the queue worker's) and, in
`slow-*.json`, the requests that took the clients over 500 ms, by the `X-Request-ID`
they sent: whether a slow request was slow inside the app, and what its worker did then.
With LOG_FORMAT=json and LOG_LEVEL=DEBUG the lines carry the worker's pid, and each
worker's index loads show (with a request id when a request waited for one).

Without TEST_DATABASE_URL it runs itself under scripts/with_postgres.py.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("shadowing", "hot_desking", "residency")
SLOW_MS = 500  # a request this slow is listed in --keep-logs' slow-<builder>.json
MESSAGE = "We would love to spend a few days with your team to learn how you run things."


class Sink:
    """A mail server that accepts everything (the emails the proposals cause)."""

    received = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        Sink.received += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Stack:
    """Who asks: tokens of managers (with their hub slugs) and of an admin."""

    managers: list[tuple[str, str]]  # (slug, token)
    admin: str
    watched: str = ""  # a requester whose first suggestion is `renamed`
    watcher_token: str = ""
    renamed: str = ""


def seed(database_url: str, hubs: int, instance: Path) -> Stack:
    from flask_migrate import upgrade
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from matchmaker import create_app
    from matchmaker.accounts.tokens import create_token
    from matchmaker.app import MIGRATIONS_DIR
    from matchmaker.demo.seed import manage_every_hub, seed_demo
    from matchmaker.extensions import db
    from matchmaker.models import Role, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url}, str(instance))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        session = db.session()
        seed_demo(session, hubs=hubs, seed=11)
        manage_every_hub(session, generate_password_hash("bench-password"))
        session.commit()
        managers = session.scalars(
            select(User).where(User.role == Role.MANAGER).order_by(User.id).limit(60)
        ).all()
        tokens = [(user.hub.slug, create_token(session, user, "bench")[1]) for user in managers]
        admin = session.scalars(select(User).where(User.role == Role.ADMIN)).first()
        stack = Stack(tokens, create_token(session, admin, "bench")[1])
        session.commit()
        db.session.remove()
        db.engine.dispose()
    return stack


def call(
    base: str, token: str, method: str, path: str, body: object = None, request_id: str = ""
) -> tuple[int, dict]:
    """One request on a connection of its own (as a browser's or a script's would be:
    gunicorn's sync workers close it after each answer). `http.client` rather than
    urllib's opener, whose handlers cost the load generator, on the same two cores as
    the server, about twice as much CPU per request."""
    host, _, port = base.removeprefix("http://").partition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if request_id:  # the app logs it on the request's access line (see --keep-logs)
            headers["X-Request-ID"] = request_id
        data = None if body is None else json.dumps(body).encode()
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read()
    finally:
        connection.close()
    if response.status >= 400:
        return response.status, {}
    return response.status, json.loads(text or b"{}")


@contextmanager
def process(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("w") as output:
        child = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            yield child
        finally:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


@contextmanager
def broker(folder: Path) -> Iterator[str | None]:
    """A redis-server on a free loopback port (no persistence), or None without one."""
    binary = shutil.which("redis-server")
    if binary is None:
        print("redis-server not found: queue on SQLite, rate limits in memory", flush=True)
        yield None
        return
    port = free_port()
    arguments = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    with process(arguments, dict(os.environ), folder / "redis.log"):
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}"


def flask(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "matchmaker", *arguments]


def memory_of_workers(master: int) -> tuple[float, float]:
    """(RSS, PSS) of the master's worker processes together, in MB."""
    rss = pss = 0.0
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0, 0.0
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) / 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) / 1024
        except OSError:
            continue
    return rss, pss


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    edits: dict[str, float] = field(default_factory=dict)  # name -> when its edit answered
    seen: dict[str, float] = field(default_factory=dict)  # name -> first seen
    order: list[str] = field(default_factory=list)
    rss: float = 0.0
    pss: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    watched: list[float] = field(default_factory=list)  # the watcher's latencies
    slow: list[dict] = field(default_factory=list)  # requests over SLOW_MS, for --keep-logs
    numbered: int = 0

    def timed(
        self,
        base: str,
        token: str,
        method: str,
        path: str,
        body: object = None,
        latencies: list[float] | None = None,
    ):
        with self.lock:
            self.numbered += 1
            request_id = f"bench-{self.numbered:08d}"
        at, started = time.time(), time.perf_counter()
        try:
            status, data = call(base, token, method, path, body, request_id)
        except (OSError, http.client.HTTPException) as error:
            with self.lock:
                self.errors.append(f"{method} {path}: {error}")
            return 0, {}
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            (self.latencies if latencies is None else latencies).append(elapsed)
            self.statuses[status] += 1
            if status >= 500:
                self.errors.append(f"{method} {path}: {status}")
            if elapsed > SLOW_MS:
                self.slow.append(
                    {"request_id": request_id, "at": at, "ms": round(elapsed, 1), "path": path}
                )
        return status, data

    def figures(self) -> dict[str, float | int]:
        ordered = sorted(self.latencies)

        def percentile(q: float, ordered: list[float] = ordered) -> float:
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

        # An edit not seen itself is visible once a later name is (it was applied).
        visible = []
        for number, name in enumerate(self.order):
            later = [self.seen[n] for n in self.order[number:] if n in self.seen]
            if later:
                visible.append(min(later) - self.edits[name])
        return {
            "requests": len(ordered),
            "errors": len(self.errors),
            "client_errors": sum(n for s, n in self.statuses.items() if 400 <= s < 500),
            "p50_ms": percentile(0.50) if ordered else 0,
            "p95_ms": percentile(0.95) if ordered else 0,
            "max_ms": round(ordered[-1], 1) if ordered else 0,
            "watcher_requests": len(self.watched),
            "watcher_p95_ms": percentile(0.95, sorted(self.watched)) if self.watched else 0,
            "edits": len(self.order),
            "edits_seen": len(visible),
            "edit_visible_s": round(max(visible), 2) if visible else -1,
            "workers_rss_mb": round(self.rss),
            "workers_pss_mb": round(self.pss),
        }


def load(base: str, stack: Stack, seconds: float, master: int) -> Run:
    run = Run()
    stop = threading.Event()
    rng = random.Random(5)

    def client(number: int) -> None:
        mine = random.Random(number)
        # Not the watched hub: its manager's views would move the rotation on it.
        askers = [(slug, token) for slug, token in stack.managers if slug != stack.watched]
        while not stop.is_set():
            slug, token = mine.choice(askers)
            kind = mine.choice(KINDS)
            run.timed(base, token, "GET", f"/api/v1/hubs/{slug}/suggestions?kind={kind}")

    def editor() -> None:
        number = 0
        while not stop.wait(1.0):
            number += 1
            name = f"Renamed Hub {number}"
            status, _ = run.timed(
                base, stack.admin, "PATCH", f"/api/v1/hubs/{stack.renamed}", {"name": name}
            )
            if status == 200:
                with run.lock:
                    run.edits[name] = time.monotonic()
                    run.order.append(name)

    def watcher() -> None:
        path = f"/api/v1/hubs/{stack.watched}/suggestions?kind=shadowing"
        while not stop.wait(0.1):
            _, data = run.timed(base, stack.watcher_token, "GET", path, latencies=run.watched)
            for item in data.get("suggestions", ()):
                if item["slug"] == stack.renamed:
                    with run.lock:
                        run.seen.setdefault(item["name"], time.monotonic())

    def proposer() -> None:
        hosts = [slug for slug, _ in stack.managers]
        number = 0
        while not stop.wait(5.0):
            number += 1
            slug, token = stack.managers[number % len(stack.managers)]
            host = rng.choice([h for h in hosts if h != slug])
            starts = date.today() + timedelta(days=60 + 7 * number)
            run.timed(
                base,
                token,
                "POST",
                f"/api/v1/hubs/{host}/proposals",
                {
                    "kind": "shadowing",
                    "message": MESSAGE,
                    "starts_on": starts.isoformat(),
                    "ends_on": (starts + timedelta(days=2)).isoformat(),
                },
            )

    def sampler() -> None:
        while not stop.wait(0.5):
            rss, pss = memory_of_workers(master)
            run.rss, run.pss = max(run.rss, rss), max(run.pss, pss)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    threads += [threading.Thread(target=t) for t in (editor, watcher, proposer, sampler)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return run


def choose_watched(base: str, stack: Stack) -> None:
    """A hub and the hub first in its shadowing suggestions (the one renamed), as the
    admin sees them: the admin watches, since a hub's own manager's views lower what was
    shown often (the rotation), which would hide the renamed hub in time."""
    for slug, _ in stack.managers:
        path = f"/api/v1/hubs/{slug}/suggestions?kind=shadowing"
        _, data = call(base, stack.admin, "GET", path)
        if data.get("suggestions"):
            stack.watched, stack.watcher_token = slug, stack.admin
            stack.renamed = data["suggestions"][0]["slug"]
            return
    raise SystemExit("no hub has suggestions")


def serve(env: dict[str, str], folder: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**env, "BASE_URL": f"http://127.0.0.1:{port}"}
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--timeout", "120"]
    if (ROOT / "gunicorn.conf.py").exists():
        command += ["--config", str(ROOT / "gunicorn.conf.py")]
    command += ["--bind", f"127.0.0.1:{port}", "matchmaker:create_app(migrations=False)"]
    log = (folder / f"gunicorn-{env['INDEX_BUILDER']}.log").open("w")
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=5):
                return server, base
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(log.name) from None
            time.sleep(0.3)


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def measure(
    env: dict[str, str], folder: Path, stack: Stack, seconds: float, workers: int
) -> dict[str, float | int]:
    server, base = serve(env, folder, workers)
    try:
        if not stack.renamed:
            choose_watched(base, stack)
        for slug, token in stack.managers[: 4 * workers]:  # every worker has an index
            if slug != stack.watched:  # its views would move the rotation (see load)
                call(base, token, "GET", f"/api/v1/hubs/{slug}/suggestions?kind=shadowing")
        run = load(base, stack, seconds, server.pid)
        slow = folder / f"slow-{env['INDEX_BUILDER']}.json"
        slow.write_text(json.dumps(run.slow, indent=1))
        return run.figures()
    finally:
        stop(server)


def builds_of(log: Path) -> dict[str, float | int]:
    """How many builds the builder made, and how long they took (its report lines)."""
    seconds = [
        float(match.group(1))
        for match in re.finditer(r"organisations in ([0-9.]+) s", log.read_text())
    ]
    incremental = len(re.findall(r"\(\d+ hubs\)", log.read_text()))
    return {
        "builds": len(seconds),
        "incremental_builds": incremental,
        "build_max_s": max(seconds, default=0.0),
        "build_mean_s": round(sum(seconds) / len(seconds), 2) if seconds else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hubs", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--json", action="store_true", help="(the last line is always JSON)")
    parser.add_argument(
        "--keep-logs",
        type=Path,
        metavar="DIR",
        help="copy the logs (gunicorn's, with an access line per request, the builder's, "
        "the queue worker's) and slow-*.json (requests over 500 ms, by X-Request-ID) to DIR",
    )
    args = parser.parse_args()
    base_url = os.environ.get("TEST_DATABASE_URL")
    if not base_url:
        helper = [sys.executable, str(ROOT / "scripts" / "with_postgres.py"), "--"]
        sys.exit(subprocess.call([*helper, sys.executable, *sys.argv]))

    from sqlalchemy import create_engine, make_url

    name = f"bench_live_{secrets.token_hex(4)}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    database_url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per command
    mail = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    mail.start()
    try:
        with tempfile.TemporaryDirectory() as temporary, ExitStack() as stack_of_contexts:
            folder = Path(temporary)
            started = time.monotonic()
            stack = seed(database_url, args.hubs, folder / "instance")
            print(f"seeded {args.hubs} hubs in {time.monotonic() - started:.0f} s", flush=True)
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "SECRET_KEY": "bench-secret",
                "INDEX_DIR": str(folder / "index"),
                "MAX_OPEN_PROPOSALS": "1000",
                "RATE_LIMIT_API": "100000 per minute",
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(mail.port),
                "QUEUE_EMBEDDED_WORKER": "false",
            }
            redis = stack_of_contexts.enter_context(broker(folder))
            if redis:
                env.update(QUEUE_URL=f"{redis}/0", RATE_LIMIT_STORAGE_URI=f"{redis}/1")
            else:
                env.update(QUEUE_URL=f"sqlite:///{folder / 'queue.sqlite3'}")
            live = {**env, "INDEX_BUILDER": "external"}
            with (
                process(flask("index", "builder"), live, folder / "builder.log"),
                process(flask("jobs", "worker", "--workers", "1"), live, folder / "jobs.log"),
            ):
                started = time.monotonic()
                # The builder's own first index, not just any: when the queue's upkeep
                # (every 5 minutes) takes the machine's lock first, it writes one, and the
                # builder builds everything again once it holds the lock.
                while "organisations in" not in (folder / "builder.log").read_text():
                    time.sleep(0.2)
                print(f"first index in {time.monotonic() - started:.1f} s", flush=True)
                figures = measure(live, folder, stack, args.seconds, args.workers)
            figures.update(builds_of(folder / "builder.log"))
            print("live:", json.dumps(figures), flush=True)
            if not args.no_baseline:
                today = {**env, "INDEX_BUILDER": "inline"}
                baseline = measure(today, folder, stack, args.seconds, args.workers)
                print("today:", json.dumps(baseline), flush=True)
                figures.update({f"baseline_{k}": v for k, v in baseline.items()})
            figures.update(
                hubs=args.hubs, seconds=args.seconds, workers=args.workers, emails=Sink.received
            )
            if args.keep_logs:
                args.keep_logs.mkdir(parents=True, exist_ok=True)
                for kept in [*folder.glob("*.log"), *folder.glob("slow-*.json")]:
                    shutil.copy(kept, args.keep_logs / kept.name)
    finally:
        mail.stop()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
