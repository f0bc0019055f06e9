"""Time the real `flask digest send` for N hub managers (issue 15: 10,000 in <= 60 s on two
cores, <= 500 MB for all its processes together), against a real SMTP server (aiosmtpd,
in this process) on loopback, then once more with one worker process more.

    .venv/bin/python scripts/bench_digest.py [--recipients 10000] [--workers N] [--json]

Seeds a temporary SQLite database with the demo network of N hubs and one manager per hub
once, then for each run copies it fresh and runs the command in its own process with
`--workers N` (default: one per core), then N + 1. Memory is the peak, sampled every
200 ms, of the proportional set size (PSS: shared pages counted once, split among the
processes sharing them) summed over the command and its worker processes (reading it
walks each process's page tables: every 50 ms, that took a tenth of a core from the
run); the peak RSS of the largest single process is given too. Prints one JSON object
as its last line: recipients, sent, seconds, peak_mb, workers, and `more_workers` with the
second run's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

SEED = """
import sys
from werkzeug.security import generate_password_hash
from matchmaker import create_app
from matchmaker.demo.seed import manage_every_hub, seed_demo
from matchmaker.extensions import db

app = create_app()
with app.app_context():
    session = db.session()
    seed_demo(session, hubs=int(sys.argv[1]))
    print(manage_every_hub(session, generate_password_hash("bench-password", "pbkdf2:sha256:1000")))
"""


class Counting:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.received += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tree(pid: int) -> list[int]:
    """`pid` and its descendants, from each thread's list of children (reading every
    process's status instead, 20 times a second, took a good share of a core)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            threads = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for thread in threads:
            try:
                children = Path(f"/proc/{current}/task/{thread}/children").read_text()
            except OSError:
                continue
            todo.extend(int(child) for child in children.split())
    return found


def pss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def run_once(base: list[str], env: dict[str, str], workers: int, log_path: Path) -> dict:
    peak = [0.0]
    with log_path.open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*base, "digest", "send", "--workers", str(workers)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parent.parent,
        )
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.2):
                peak[0] = max(peak[0], pss_mb(tree(process.pid)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4: the child's own resource use (largest RSS of it and its children).
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join()
    output = log_path.read_text(errors="replace")
    print("\n".join(output.strip().splitlines()[-8:]))
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"digest send failed ({os.waitstatus_to_exitcode(status)})")
    return {
        "seconds": round(elapsed, 1),
        "peak_mb": round(peak[0]),
        "largest_process_rss_mb": round(usage.ru_maxrss / 1024),
        "workers": workers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", action="store_true", help="(the JSON line is always printed)")
    arguments = parser.parse_args()
    port = free_port()
    mailbox = Counting()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    runs = []
    try:
        with tempfile.TemporaryDirectory() as workdir:
            seeded_db = Path(workdir) / "seeded.sqlite"
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{seeded_db}",
                "SECRET_KEY": "bench",
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(port),
                # Index files in the run's folder (a folder per database: each run builds).
                "INDEX_DIR": str(Path(workdir) / "index"),
            }
            base = [sys.executable, "-m", "flask", "--app", "matchmaker"]
            subprocess.run([*base, "db", "upgrade"], env=env, check=True, capture_output=True)
            seeded = subprocess.run(
                [sys.executable, "-c", SEED, str(arguments.recipients)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            managers = int(seeded.stdout.strip().splitlines()[-1])
            for number, workers in enumerate((arguments.workers, arguments.workers + 1)):
                database = Path(workdir) / f"run{number}.sqlite"
                shutil.copyfile(seeded_db, database)
                mailbox.received = 0
                run_env = {**env, "DATABASE_URL": f"sqlite:///{database}"}
                log = Path(workdir) / f"run{number}.log"
                figures = run_once(base, run_env, workers, log)
                figures["sent"] = mailbox.received
                runs.append(figures)
    finally:
        controller.stop()
    first, second = runs
    print(
        json.dumps(
            {
                "recipients": managers,
                **first,
                "more_workers": second,
                "target_seconds": 60,
                "target_peak_mb": 500,
            }
        )
    )


if __name__ == "__main__":
    main()
