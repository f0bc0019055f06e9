"""The queue's tasks. Each is thin: it calls a use case inside the app's context, and the
use case owns its transactions and its idempotence (a task may run twice: after a worker
died, or when the sweep and an after-commit task meet on the same emails).

Tasks are registered on the app's own Huey instance (`register_tasks`), as closures over
the app, under fixed names, so a web worker enqueues what a queue worker on another
machine runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.api import TaskWrapper

from matchmaker.extensions import db

logger = logging.getLogger(__name__)


@contextmanager
def app_context(app: Flask) -> Iterator[None]:
    """The app's context: the one already pushed for it (a test, or a command running the
    queue's work in its own thread), else a new one, torn down after the task."""
    if has_app_context() and current_app._get_current_object() is app:  # type: ignore[attr-defined]
        yield
        return
    with app.app_context():
        yield


def send_emails(ids: Sequence[int] | None = None) -> None:
    """Send the outbox's due emails (those of `ids`, or all): after a commit, and every
    minute as a sweep of what was missed or waits for its retry."""
    from matchmaker.outbox import send_due

    sent, failed = send_due(db.session(), current_app.config, ids)
    if sent or failed:
        logger.info("outbox: %s sent, %s failed", sent, failed)


def expire_exchanges() -> None:
    """What `flask exchanges expire` does, daily."""
    from matchmaker.exchanges.expiry import run_daily_expiry

    report = run_daily_expiry(db.session(), current_app.config)
    logger.info("exchanges: %s", report)


def send_digest(period: str | None = None) -> None:
    """Plan the monthly digest (this month's by default) and enqueue its chunks, which any
    consumer on any machine sends (`digest_chunk`); also the periodic job of the 1st."""
    from matchmaker.digest.sending import enqueue_run
    from matchmaker.jobs import enqueue

    period = period or datetime.now(UTC).strftime("%Y-%m")
    plan = enqueue_run(
        db.session(), current_app.config, period, lambda *chunk: enqueue("digest_chunk", *chunk)
    )
    logger.info("digest %s: %s people in %s chunks", period, plan.people, len(plan.chunks))


def digest_chunk(period: str, user_ids: list[int], now: str) -> None:
    """Compose and send one chunk of a digest run; its claims make a rerun harmless."""
    from matchmaker.digest.chunk import send_chunk

    summary = send_chunk(
        db.session(), current_app.config, period, user_ids, now=datetime.fromisoformat(now)
    )
    logger.info("digest %s chunk: %s sent, %s failed", period, summary.sent, len(summary.failed))


def refresh_index() -> None:
    """The engine's periodic upkeep of the matching index, off the request path."""
    from matchmaker.engine import refresh_index as refresh

    built = refresh()
    if built:
        logger.info("index: %s", built)


TASKS: dict[str, Callable[..., None]] = {
    "send_emails": send_emails,
    "expire_exchanges": expire_exchanges,
    "send_digest": send_digest,
    "digest_chunk": digest_chunk,
    "refresh_index": refresh_index,
}


def register_tasks(huey: Huey, app: Flask) -> dict[str, TaskWrapper]:
    """Every task on `huey`, each run in `app`'s context; by name."""

    def in_app(name: str, function: Callable[..., None]) -> Callable[..., None]:
        def run(*args: Any) -> None:
            with app_context(app):  # a new context removes its session when it ends
                function(*args)

        run.__name__ = run.__qualname__ = name
        run.__module__ = __name__
        run.__doc__ = function.__doc__
        return run

    return {name: huey.task(name=name)(in_app(name, fn)) for name, fn in TASKS.items()}
