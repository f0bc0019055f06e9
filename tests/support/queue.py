"""Running the app's job queue in tests, for real but in step with the test.

The test app's queue is a real `SqliteHuey` on a temporary file: what the code under test
enqueues is serialized into it. `run_queued_jobs(app)` then takes each waiting task out
of that storage and has Huey execute it here, in the test's thread and app context, so
the task sees the test's transaction (the database is rolled back after each test) and
reads the real mailbox's SMTP server from the app's config. Nothing is faked: no
immediate mode, the same tasks, the same serialization; only the consumer's threads are
left out, which the queue's own tests (tests/jobs/) run for real.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from huey import signals

from matchmaker.jobs import app_queue


def run_queued_jobs(app: Flask, limit: int = 1000) -> list[str]:
    """Execute every task waiting on the app's queue (and those they enqueue), in order;
    returns their names. A task that raises fails the test with its exception."""
    huey = app_queue(app).huey
    errors: list[BaseException] = []

    def failed(signal: str, task: Any, exc: BaseException | None = None) -> None:
        errors.append(exc or RuntimeError(f"{task} failed"))

    huey.signal(signals.SIGNAL_ERROR)(failed)
    names: list[str] = []
    try:
        while len(names) < limit and (task := huey.dequeue()) is not None:
            names.append(task.name)
            huey.execute(task)
            if errors:
                raise errors[0]
    finally:
        huey.disconnect_signal(failed, signals.SIGNAL_ERROR)
    return names


def queued(app: Flask) -> list[str]:
    """The names of the tasks waiting on the app's queue."""
    return [task.name for task in app_queue(app).huey.pending()]
