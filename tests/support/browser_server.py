"""The app served for real on loopback, on a database of its own, for the browser tests.

The other tests share one connection whose transaction is rolled back after each test; a
server thread answering a browser must not touch it. So the browser tests get their own
database, migrated and filled with the demo network once: a temporary SQLite file, or,
when `TEST_DATABASE_URL` names a PostgreSQL server, a throwaway database created next to
the test database and dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url
from werkzeug.serving import WSGIRequestHandler, make_server

from matchmaker import create_app
from matchmaker.app import MIGRATIONS_DIR
from matchmaker.engine import stop_embedded_builder
from matchmaker.extensions import db
from tests.support.english_demo import seed_demo_in_english

CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium, kept quiet: no sandbox (containers, root), no GPU, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextmanager
def own_database(folder: Path) -> Iterator[str]:
    """The URL of an empty database that only the served app uses."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{folder / 'browser.sqlite'}"
        return
    name = f"matchmaker_browser_{secrets.token_hex(6)}"
    # CREATE/DROP DATABASE cannot run inside a transaction.
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(base).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


def demo_app(database_url: str, instance: Path) -> Flask:
    """An app on `database_url`, migrated and seeded with the README's demo network."""
    app = create_app(
        {
            "SECRET_KEY": secrets.token_hex(16),
            "SQLALCHEMY_DATABASE_URI": database_url,
            # Served in a thread of the test process: no queue consumer beside it (the
            # emails the journeys cause wait in the outbox; tests/jobs/ runs consumers).
            "QUEUE_EMBEDDED_WORKER": False,
        },
        str(instance),
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        seed_demo_in_english(db.session())
        db.session.remove()
    return app


@contextmanager
def demo_on_own_database(folder: Path) -> Iterator[Flask]:
    """`demo_app` on a database of its own (`own_database`), which requests in threads
    each reach on their own connection, as a served app's do."""
    with own_database(folder) as url:
        app = demo_app(url, folder / "instance")
        try:
            yield app
        finally:
            with app.app_context():
                db.engine.dispose()


class QuietRequestHandler(WSGIRequestHandler):
    """No line per request in the test output; errors are still logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """Serve `app` on a free loopback port in a thread; yields its base URL.

    Threaded, as browsers open several connections at once (and preconnect some they may
    never use, which would block a single-threaded server).
    """
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="browser-test-server")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        stop_embedded_builder(app)  # before its database goes: it would poll a missing one
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
