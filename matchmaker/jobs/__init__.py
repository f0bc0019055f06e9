"""The job queue (Huey): slow and periodic work off the request path.

`queue` builds the app's Huey from `QUEUE_URL`, `tasks` holds the tasks (thin calls of
use cases), `schedule` the periodic jobs (each once per period however many consumers
run), `worker` the consumers (`flask jobs worker`, or the app's embedded one).

Use cases enqueue through `enqueue` or, for work that must only happen once their change
is stored, `enqueue_after_commit`: a rolled-back change enqueues nothing. Enqueueing
never fails a change that committed: if the broker is unreachable it is logged, and the
periodic sweep does the work later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from huey import Huey
from huey.api import TaskWrapper
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from matchmaker.jobs.queue import build_queue
from matchmaker.jobs.schedule import register_schedule
from matchmaker.jobs.tasks import register_tasks
from matchmaker.jobs.worker import embedded_on_first_request

logger = logging.getLogger(__name__)
PENDING = "jobs_after_commit"  # session.info: (task, args) to enqueue once it commits


@dataclass
class Queue:
    huey: Huey
    tasks: dict[str, TaskWrapper]
    periodic: dict[str, TaskWrapper]


def init_queue(app: Flask) -> Queue:
    """Build the app's queue with its tasks and schedule (`app.extensions["queue"]`)."""
    huey = build_queue(app.config["QUEUE_URL"])
    tasks = register_tasks(huey, app)
    queue = Queue(huey, tasks, register_schedule(huey, tasks))
    app.extensions["queue"] = queue
    embedded_on_first_request(app)
    return queue


def app_queue(app: Flask | None = None) -> Queue:
    queue: Queue = (app or current_app).extensions["queue"]
    return queue


def enqueue(task: str, *args: Any) -> bool:
    """Put `task` on the current app's queue now; false (and logged) if the broker could
    not be reached."""
    try:
        app_queue().tasks[task](*args)
    except Exception:  # the broker's own errors: redis, sqlite3
        logger.warning("could not enqueue %s; the periodic sweep will do it", task, exc_info=True)
        return False
    return True


def enqueue_after_commit(session: Session, task: str, *args: Any) -> None:
    """Enqueue `task` once the session's transaction commits (never if it rolls back)."""
    session.info.setdefault(PENDING, []).append((task, args))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    """A savepoint's release is no commit: wait for the outer transaction's."""
    if session.in_nested_transaction() or PENDING not in session.info:
        return
    for task, args in session.info.pop(PENDING):
        enqueue(task, *args)


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)
