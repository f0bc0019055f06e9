"""A real Redis server on loopback for the tests that need a broker or shared storage
(rate limits shared by workers, the job queue on Redis), loaded as a pytest plugin by
conftest.py."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def free_port() -> int:
    """A port nothing listens on now, on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """Debian's redis-server on a free loopback port, without persistence, in a temporary
    folder; stopped afterwards. Skipped without the binary, except under CI=true
    (`scripts/ensure_redis.py` installs it there)."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server not found: install the Debian package redis-server"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (scripts/ensure_redis.py does under CI=true)")
        pytest.skip(message + " to run the shared-storage test")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise AssertionError("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
