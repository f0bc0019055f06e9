"""The app factory: each registration step is a named function, called in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.exceptions import NotFound
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, UnicodeConverter

from matchmaker.config import ConfigError, from_environment
from matchmaker.extensions import (
    begins_writing,
    db,
    read_without_transaction,
    run_writes_after_reading,
)

PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"


def templates_dir() -> Path:
    """`matchmaker/templates` in an installed wheel, the top-level `templates/` in a checkout."""
    packaged = PACKAGE_DIR / "templates"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "templates"


def create_app(
    config: dict[str, Any] | None = None,
    instance_path: str | None = None,
    *,
    migrations: bool = True,
) -> Flask:
    """Build the app; `config` overrides what the environment says (tests use it).

    `instance_path` (default `./instance`, or the package's for an installed wheel) holds
    the SQLite database and the generated development key. gunicorn's workers pass
    `migrations=False`: they never migrate, and Flask-Migrate brings Alembic (11 MB a
    process) with it.
    """
    app = Flask(
        "matchmaker",
        template_folder=str(templates_dir()),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_path=instance_path,
        instance_relative_config=True,
    )
    configure(app, config or {})
    configure_logs(app)
    bound_requests(app)
    register_extensions(app, migrations)
    register_template_filters(app)
    register_blueprints(app)
    register_rate_limits(app)
    register_queue(app)
    register_commands(app)
    return app


def configure(app: Flask, overrides: dict[str, Any]) -> None:
    app.config.update(from_environment(Path(app.instance_path)))
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    trust_reverse_proxies(app)


def trust_reverse_proxies(app: Flask) -> None:
    """Behind `TRUSTED_PROXIES` reverse proxies, read the client's address, scheme and host
    from their X-Forwarded-* headers, so HSTS, secure links and the sign-in throttle's
    per-address count see the real client. Never trust those headers without a proxy."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops < 0:
        raise ConfigError(f"TRUSTED_PROXIES must be 0 or more, got {hops}")
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )


def configure_logs(app: Flask) -> None:
    """Every line of the process through one handler (`LOG_FORMAT`, `LOG_LEVEL`), and a
    request id with an access line for every request (`web/request_log.py`)."""
    from flask.logging import default_handler

    from matchmaker.logs import configure_logging
    from matchmaker.web.request_log import init_request_log

    configure_logging(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    app.logger.removeHandler(default_handler)  # the root's handler writes its lines
    init_request_log(app)


class DatabaseInteger(IntegerConverter):
    """An id in a URL: larger than the database's INTEGER, it names nothing (404).

    Not werkzeug's `max`: a value over it fails the match only after the method was
    checked, so another method's route on the same path answered 405 with an `Allow`
    header listing methods that would have answered 404."""

    LARGEST = 2**31 - 1

    def to_python(self, value: str) -> int:
        number = int(super().to_python(value))
        if number > self.LARGEST:
            raise NotFound(f"there is no item number {value}")
        return number


class StorableText(UnicodeConverter):
    """A text part of a URL (a hub's slug): one holding a NUL names nothing (404), rather
    than reaching a query PostgreSQL refuses to run."""

    def to_python(self, value: str) -> str:
        if "\x00" in value:
            raise NotFound("there is no such item")
        return value


class BoundedJSON(DefaultJSONProvider):
    """JSON nested too deeply to parse is bad input (400), not a crash."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None


def bound_requests(app: Flask) -> None:
    """Ids, bodies and JSON are bounded before any view runs (`MAX_CONTENT_LENGTH` is
    in config.py)."""
    app.url_map.converters["int"] = DatabaseInteger
    app.url_map.converters["default"] = app.url_map.converters["string"] = StorableText
    app.json = BoundedJSON(app)


def register_extensions(app: Flask, migrations: bool = True) -> None:
    db.init_app(app)
    if migrations:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            make_sqlite_transactional(db.engine, app.config["SQLITE_BUSY_SECONDS"])
    app.before_request(read_without_transaction)
    app.after_request(run_writes_after_reading)


def make_sqlite_transactional(engine: Engine, busy_seconds: float = 30.0) -> None:
    """Let SQLAlchemy, not pysqlite, begin transactions, so SAVEPOINTs and rollbacks work,
    enforce foreign keys (SQLite leaves them off by default), and write ahead."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Readers do not wait for a writer, and a commit does not wait for the disk (the
        # database stays consistent after a crash; the last commits may be lost on power
        # failure, which PostgreSQL in production does not allow).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # A writer waits its turn instead of failing with "database is locked".
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the lock up front: a transaction that read first and wrote later
        # could not wait for another writer (SQLite answers "locked" at once).
        connection.exec_driver_sql("BEGIN IMMEDIATE" if begins_writing() else "BEGIN")


def register_template_filters(app: Flask) -> None:
    from matchmaker.digest.message import person_token
    from matchmaker.i18n import init_i18n

    # Country and language names, dates, numbers and money in the reader's language.
    init_i18n(app)
    app.add_template_filter(zip, "zip")
    app.add_template_global(unread_messages, "unread_messages")
    app.add_template_global(lambda user_id: person_token(app.config, user_id), "digest_token")


def unread_messages() -> int:
    """The signed-in person's unread inbox messages, for the navigation."""
    from flask_login import current_user

    from matchmaker.extensions import db
    from matchmaker.notifications import unread_count

    if not current_user.is_authenticated:
        return 0
    return unread_count(db.session(), current_user)


def register_blueprints(app: Flask) -> None:
    from matchmaker.web.security import init_security
    from matchmaker.web.views import register_views

    init_security(app)
    register_views(app)


def register_rate_limits(app: Flask) -> None:
    """Sign-in, password resets, invitations and the API are rate limited, counted in
    `RATE_LIMIT_STORAGE_URI` (shared by every worker when it is Redis)."""
    from matchmaker.web.rate_limits import init_rate_limits

    init_rate_limits(app)


def register_queue(app: Flask) -> None:
    """The job queue (`QUEUE_URL`) with its tasks and schedule; with
    `QUEUE_EMBEDDED_WORKER`, a consumer in this process from its first request."""
    from matchmaker.jobs import init_queue

    init_queue(app)


def register_commands(app: Flask) -> None:
    from matchmaker.cli import register_commands as register

    register(app)
