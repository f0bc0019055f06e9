"""The real app under gunicorn on loopback, for tests that need several workers at once
(the stress suite, the live index): its workers forked from one master."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(
    env: Mapping[str, str], folder: Path, workers: int, *, configured: bool = False
) -> Iterator[str]:
    """Serve with `env` added to this environment; yields the base URL. The log is
    `folder/gunicorn.log`, shown when the server does not come up. `configured`: with the
    project's gunicorn.conf.py too (its hooks and log handler; these arguments win)."""
    port = free_port()
    log = (folder / "gunicorn.log").open("w")
    config = ["--config", str(ROOT / "gunicorn.conf.py")] if configured else []
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            *config,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "matchmaker:create_app(migrations=False)",
        ],
        env={**os.environ, "BASE_URL": f"http://127.0.0.1:{port}", **env},
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError((folder / "gunicorn.log").read_text()) from None
                time.sleep(0.3)
        yield base
    finally:
        stop(server)
        log.close()


def stop(child: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 30 s."""
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
