"""A database of its own for the outbox and queue tests that run real processes (queue
workers, `flask notifications send`): migrated by the real `flask db upgrade`, its
emails written and read back here. Loaded as a pytest plugin by conftest.py."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import make_msgid
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from matchmaker.app import make_sqlite_transactional
from matchmaker.models import OutgoingEmail
from tests.support.browser_server import own_database

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class OutboxDatabase:
    """A database only the processes started here use, and how to start them on it."""

    engine: Engine
    env: dict[str, str]
    folder: Path

    def flask(self, *args: str, log: str | None = None) -> subprocess.Popen[bytes]:
        """`flask --app matchmaker ARGS` on this database; its output in `log` (a file
        name in the test's folder) or discarded."""
        command = [sys.executable, "-m", "flask", "--app", "matchmaker", *args]
        if log is None:
            return subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL)
        with (self.folder / log).open("wb") as out:  # the child keeps its own copy
            return subprocess.Popen(
                command, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
            )

    def log(self, name: str) -> str:
        return (self.folder / name).read_text()

    def write(self, count: int) -> list[OutgoingEmail]:
        """`count` emails to person0@x.org, person1@x.org..., committed."""
        with Session(self.engine, expire_on_commit=False) as session:
            emails = [
                OutgoingEmail(
                    topic="test",
                    recipient=f"person{n}@x.org",
                    subject=f"Message {n}",
                    text=f"Hello {n}.",
                    message_id=make_msgid(domain="matchmaker"),
                )
                for n in range(count)
            ]
            session.add_all(emails)
            session.commit()
            return emails

    def emails(self) -> list[OutgoingEmail]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)))


@pytest.fixture
def outbox_database(app: Flask, tmp_path: Path) -> Iterator[OutboxDatabase]:
    """An empty migrated database (a SQLite file, or a throwaway PostgreSQL database on
    that leg) with a queue file of its own; mail goes to the app's SMTP_PORT, so ask for
    `mailbox` first. A claim turns stale after 1 s."""
    with own_database(tmp_path) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "outbox-test-secret",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(app.config["SMTP_PORT"]),
            "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
            "OUTBOX_STALE_SECONDS": "1",
        }
        database = OutboxDatabase(create_engine(url), env, tmp_path)
        assert database.flask("db", "upgrade", log="upgrade.log").wait(timeout=120) == 0
        if database.engine.dialect.name == "sqlite":
            make_sqlite_transactional(database.engine)
        try:
            yield database
        finally:
            database.engine.dispose()
