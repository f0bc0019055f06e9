"""`/healthz`: whether this web worker reaches the database and the job queue, for load
balancers and monitors. `{"database": "ok", "queue": "ok"}` with 200, or 503 naming what
is unreachable (each check gives up after `TIMEOUT_SECONDS`)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Blueprint, copy_current_request_context, jsonify
from sqlalchemy import text

from matchmaker.extensions import db
from matchmaker.jobs import app_queue
from matchmaker.jobs.queue import ping
from matchmaker.web.views import ResponseValue

health = Blueprint("health", __name__)
logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2.0


def _database() -> None:
    db.session.execute(text("SELECT 1"))
    db.session.rollback()


def _queue() -> None:
    ping(app_queue().huey)


def _check(name: str, check: Callable[[], None]) -> str:
    """'ok', or why not; run in a thread of its own so a hung connection cannot hold the
    answer longer than the timeout."""
    outcome: list[str] = []

    @copy_current_request_context
    def run() -> None:
        try:
            check()
            outcome.append("ok")
        except Exception as error:  # whatever the driver raises: it is unreachable
            logger.warning("health check of the %s failed: %s", name, error)
            outcome.append(f"unreachable: {type(error).__name__}")

    thread = threading.Thread(target=run, name=f"healthz-{name}", daemon=True)
    thread.start()
    thread.join(TIMEOUT_SECONDS)
    return outcome[0] if outcome else f"unreachable: no answer within {TIMEOUT_SECONDS:g} s"


@health.get("/healthz")
def healthz() -> ResponseValue:
    status = {"database": _check("database", _database), "queue": _check("queue", _queue)}
    healthy = all(value == "ok" for value in status.values())
    return jsonify(status), 200 if healthy else 503
