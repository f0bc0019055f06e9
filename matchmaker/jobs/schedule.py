"""The periodic jobs, run from Huey's scheduler, each once per period however many
consumers run.

Every consumer (one per machine, or the app's embedded one) runs a scheduler that checks
the periodic tasks once a minute. Before a consumer enqueues a job for the minute it
matches, it claims that job and minute in the queue's own storage with one atomic
`put_if_empty` (SETNX-like on Redis, an INSERT that fails on a duplicate key in SQLite):
only the consumer whose claim succeeds enqueues it, so a daily job runs once a day
whether one consumer runs or ten. Each job is idempotent anyway (the outbox claims each
email, the digest each person, expiry acts on what is still due), so a second run would
do nothing harmful; the claim spares the work and the duplicate log lines. Each job
keeps its last two claims and deletes older ones, so the storage does not grow; a
consumer whose clock is off by more than a period could run a job again.

Times are UTC. A claim that succeeds for a job that then fails is not retried in that
period: the next period's run (or the cron command) catches up, as each job does what is
due, not what is new since last time.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from huey import Huey, crontab
from huey.api import TaskWrapper

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    task: str  # a name in tasks.TASKS
    when: Callable[[datetime], bool]  # Huey's crontab: true for the minutes it runs
    what: str


SCHEDULE = (
    Periodic("send_emails", crontab(), "send the outbox's due emails, every minute"),
    Periodic("refresh_index", crontab(minute="*/5"), "the matching index's upkeep"),
    Periodic(
        "expire_exchanges",
        crontab(minute="15", hour="6"),
        "expire proposals and send reminders, daily at 06:15",
    ),
    Periodic(
        "send_digest",
        crontab(day="1", hour="7", minute="0"),
        "the monthly digest, on the 1st at 07:00",
    ),
)
KEEP_CLAIMS = 2


def claim_key(task: str, minute: datetime) -> str:
    return f"periodic:{task}:{minute:%Y-%m-%dT%H:%M}"


def claim_period(huey: Huey, task: str, minute: datetime) -> bool:
    """Claim `task`'s run for `minute` (the minute its crontab matched); true for the one
    consumer that gets it. The winner forgets claims older than the last two."""
    key = claim_key(task, minute)
    if not huey.put_if_empty(key, f"{socket.gethostname()}:{os.getpid()}"):
        logger.debug("%s for %s: claimed by another consumer", task, minute)
        return False
    history_key = f"periodic-claims:{task}"
    history = [*(huey.get(history_key, peek=True) or []), key]
    for old in history[:-KEEP_CLAIMS]:
        huey.delete(old)
    huey.put(history_key, history[-KEEP_CLAIMS:])
    return True


def once_per_period(huey: Huey, job: Periodic) -> Callable[[datetime], bool]:
    """Huey's `validate_datetime` for `job`: its crontab, then the claim."""

    def due(timestamp: datetime) -> bool:
        if not job.when(timestamp):
            return False
        try:
            return claim_period(huey, job.task, timestamp)
        except Exception:  # the broker's errors: the scheduler must live to the next minute
            logger.warning("could not claim %s for %s", job.task, timestamp, exc_info=True)
            return False

    return due


def register_schedule(huey: Huey, tasks: dict[str, TaskWrapper]) -> dict[str, TaskWrapper]:
    """The periodic tasks on `huey`, each calling the named task's function; by name."""
    periodic = {}
    for job in SCHEDULE:
        function = tasks[job.task].func
        periodic[job.task] = huey.periodic_task(
            once_per_period(huey, job), name=f"periodic_{job.task}"
        )(function)
    return periodic
