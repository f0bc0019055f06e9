"""Fixtures: one app and one migrated database per run; every test runs in a transaction
that is rolled back, so tests never see each other's data.

The database is SQLite in a temporary folder, or `TEST_DATABASE_URL` (the PostgreSQL
leg of `make test` sets it).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask, g, request_started
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import downgrade, upgrade
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from matchmaker import create_app
from matchmaker.app import MIGRATIONS_DIR
from matchmaker.extensions import db
from tests.support.mailbox import Mailbox

# No app built in the test process runs a queue consumer of its own (its threads would
# share the test's database connection): tests run the queue's tasks themselves
# (tests/support/queue.py), and tests/jobs/ start real consumers as processes (their
# environment sets this again where they need it).
os.environ["QUEUE_EMBEDDED_WORKER"] = "false"

pytest_plugins = [
    "tests.support.exchange_fixtures",
    "tests.support.round_fixtures",
    "tests.support.digest_fixtures",
    "tests.support.browser_fixtures",
    "tests.support.log_lines",
    "tests.support.redis_server",
    "tests.support.outbox_fixtures",
    "tests.support.demo_hub",
]

# Machines differ in speed; a property test fails on a wrong answer, never on a slow one.
settings.register_profile("matchmaker", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("matchmaker")

# The rate limits stay on, high enough for the other tests; tests/web/test_rate_limits.py
# lowers them.
TEST_CONFIG = {
    "TESTING": True,
    # Indexes are built by the asking process: tests see their own uncommitted data, and
    # tests/engine/ try the shared builder on its own.
    "INDEX_BUILDER": "inline",
    "SECRET_KEY": "test-secret",
    "HUBS_PER_PAGE": 30,
    "RATE_LIMIT_SIGN_IN": "1000 per minute",
    "RATE_LIMIT_RESET": "1000 per hour",
    "RATE_LIMIT_INVITE": "1000 per hour",
    "RATE_LIMIT_API": "10000 per minute",
    # Tests run the queue's tasks themselves (tests/support/queue.py); tests/jobs/ runs
    # real consumers.
    "QUEUE_EMBEDDED_WORKER": False,
}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp("instance")
    queue = f"sqlite:///{instance / 'queue.sqlite3'}"
    app = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "QUEUE_URL": queue}, str(instance)
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        db.engine.dispose()


@pytest.fixture(autouse=True)
def empty_queue(app: Flask) -> None:
    """Each test starts with nothing on the queue: tasks a test left (its transaction is
    rolled back, its ids reused) must not run in another."""
    app.extensions["queue"].huey.flush()


@pytest.fixture(autouse=True)
def session(app: Flask) -> Iterator[Session]:
    """`db.session` bound to a connection whose transaction is rolled back after the test;
    commits inside the code under test only release a savepoint.

    The data stamp rolls back with it, so the next test's data may carry the same
    version: the indexes and network pictures built for an earlier test are forgotten."""
    from matchmaker.engine import INDEXES

    INDEXES.clear()
    with app.app_context():
        pictures = app.extensions.get("picture_cache")
        if pictures is not None:
            pictures.clear()
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        # A plain Session: Flask-SQLAlchemy's own ignores `bind` for mapped classes.
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        )
        try:
            yield db.session()
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


def _forget_the_last_user(sender: Flask, **extra: Any) -> None:
    """Requests in a test share the test's app context, and so `g`, where Flask-Login keeps
    the signed-in user, Flask-WTF its token and the API its token's owner: forget them, so
    each request finds its user from its own cookies or token."""
    g.pop("_login_user", None)
    g.pop("api_user", None)
    g.pop("api_caller", None)
    g.pop("csrf_token", None)  # Flask-WTF keeps the session's token there too


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    request_started.connect(_forget_the_last_user, app)
    yield app.test_client()
    request_started.disconnect(_forget_the_last_user, app)


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def shared_data() -> Path:
    return Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def mailbox(app: Flask) -> Iterator[Mailbox]:
    """An aiosmtpd server on a free loopback port; the app sends its mail there."""
    box = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {key: app.config[key] for key in ("SMTP_HOST", "SMTP_PORT")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    try:
        yield box
    finally:
        app.config.update(saved)
        controller.stop()


@pytest.fixture
def fresh_index_cache() -> Iterator[None]:
    """An empty engine index cache before and after: tests that build networks in their
    rolled-back transactions must not see each other's indexes."""
    from matchmaker.engine import INDEXES

    INDEXES.clear()
    yield
    INDEXES.clear()
