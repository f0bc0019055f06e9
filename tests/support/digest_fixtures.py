"""Fixtures for the digest tests, loaded as a pytest plugin by conftest.py: the demo
network in the test's transaction, and a database of its own (migrated and seeded) for
running the real `flask digest send` in another process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from matchmaker.app import make_sqlite_transactional
from matchmaker.demo.seed import manage_every_hub, seed_demo
from matchmaker.models import User
from tests.support.browser_server import own_database

ROOT = Path(__file__).resolve().parents[2]
PERIOD = "2026-11"


@pytest.fixture
def demo_people(app: Flask, session: Session) -> dict[str, User]:
    """The small demo network (three managers, a coordinator, an admin), by account."""
    seed_demo(session, hubs=16, seed=4)
    app.config["DIGEST_RETRY_SECONDS"] = 0.01
    return {u.email.split("@")[0]: u for u in session.scalars(select(User))}


@dataclass
class Separate:
    """A database only the commands run here use, and how to run them on it."""

    engine: Engine
    env: dict[str, str]

    def flask(self, *args: str, **popen: object) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "flask", "--app", "matchmaker", *args]
        return subprocess.Popen(command, env=self.env, cwd=ROOT, **popen)  # type: ignore[call-overload, no-any-return]

    def run(self, *args: str, log: Path) -> int:
        """Run a command to its end, its output in `log`; returns its exit status."""
        with log.open("wb") as out:
            return self.flask(*args, stdout=out, stderr=subprocess.STDOUT).wait(timeout=300)


@pytest.fixture
def separate_network(app: Flask, tmp_path: Path) -> Iterator[Separate]:
    """The demo network with a manager for each of its 16 hubs, in a database of its own
    (a temporary SQLite file, or a throwaway PostgreSQL database next to the test one),
    migrated by the real `flask db upgrade`; mail goes to `SMTP_PORT` of the app's config,
    so ask for `mailbox` first."""
    with own_database(tmp_path) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "separate-test-secret",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(app.config["SMTP_PORT"]),
            "DIGEST_CLAIM_STALE_SECONDS": "1",
        }
        network = Separate(create_engine(url), env)
        assert network.run("db", "upgrade", log=tmp_path / "upgrade.log") == 0
        if network.engine.dialect.name == "sqlite":
            make_sqlite_transactional(network.engine)
        with Session(network.engine) as session:
            seed_demo(session, hubs=16, seed=4)
            manage_every_hub(session, generate_password_hash("unused-pass", "pbkdf2:sha256:1000"))
        try:
            yield network
        finally:
            network.engine.dispose()


def recipients_of(mailbox: Any) -> list[str]:
    return sorted(m["To"] for m in mailbox.messages)
