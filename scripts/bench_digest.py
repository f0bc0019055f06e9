"""Time the real `flask digest send` for N hub managers (issue 7: 10,000 in <= 120 s, peak
RSS <= 500 MB), against a real SMTP server (aiosmtpd) on loopback.

    .venv/bin/python scripts/bench_digest.py [--recipients 10000] [--json]

Seeds a temporary SQLite database with the demo network of N hubs and one manager per hub,
then runs the command in its own process and measures that process alone. Prints one JSON
object as its last line: recipients, sent, seconds, peak_rss_mb.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="(the JSON line is always printed)")
    arguments = parser.parse_args()
    port = free_port()
    mailbox = Counting()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as workdir:
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite",
                "SECRET_KEY": "bench",
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(port),
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
            # The child's output goes to a file, not a pipe: nothing to read while waiting,
            # so a chatty child can never fill a pipe and stall (wait4 measures it alone).
            log_path = Path(workdir) / "digest-send.log"
            with log_path.open("wb") as log:
                started = time.perf_counter()
                process = subprocess.Popen(
                    [*base, "digest", "send"],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=Path(__file__).resolve().parent.parent,
                )
                _pid, status, usage = os.wait4(process.pid, 0)
                elapsed = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            output = log_path.read_text(errors="replace")
    finally:
        controller.stop()
    print("\n".join(output.strip().splitlines()[-8:]))
    if process.returncode != 0:
        sys.exit(f"digest send failed ({process.returncode})")
    print(
        json.dumps(
            {
                "recipients": managers,
                "sent": mailbox.received,
                "seconds": round(elapsed, 1),
                "peak_rss_mb": round(usage.ru_maxrss / 1024),
                "target_seconds": 120,
                "target_peak_rss_mb": 500,
            }
        )
    )


if __name__ == "__main__":
    main()
