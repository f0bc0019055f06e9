"""Periodic jobs run once per period however many consumers run: the claim in the
queue's storage (SQLite file and a real Redis), raced by threads, and two real
`flask jobs worker` processes sharing one queue."""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from huey import Huey

from matchmaker.jobs.queue import build_queue
from matchmaker.jobs.schedule import claim_key, claim_period
from tests.support.mailbox import Mailbox
from tests.support.outbox_fixtures import OutboxDatabase

MINUTE = datetime(2027, 3, 1, 7, 0)


@pytest.fixture(params=["sqlite", "redis"])
def queue_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    url: str = request.getfixturevalue("redis_url")
    return url + "/0"


def consumers(url: str, count: int) -> list[Huey]:
    """`count` Huey instances on one storage, as consumers on several machines build it."""
    return [build_queue(url) for _ in range(count)]


def test_of_many_consumers_claiming_one_period_exactly_one_wins(queue_url: str) -> None:
    hueys = consumers(queue_url, 8)
    start = threading.Barrier(len(hueys))
    won: list[bool] = []

    def claim(huey: Huey) -> None:
        start.wait()
        won.append(claim_period(huey, "send_digest", MINUTE))

    threads = [threading.Thread(target=claim, args=(huey,)) for huey in hueys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False] * 7 + [True]
    # The next period is another claim; the same period again is not.
    assert claim_period(hueys[0], "send_digest", MINUTE + timedelta(days=31))
    assert not claim_period(hueys[1], "send_digest", MINUTE)


def test_a_job_keeps_its_last_two_claims_only(queue_url: str) -> None:
    (huey,) = consumers(queue_url, 1)
    minutes = [MINUTE + timedelta(minutes=n) for n in range(5)]
    for minute in minutes:
        assert claim_period(huey, "send_emails", minute)
    kept = [huey.get(claim_key("send_emails", m), peek=True) is not None for m in minutes]
    assert kept == [False, False, False, True, True]


@pytest.mark.parametrize("broker", ["sqlite", "redis"])
def test_two_worker_processes_run_the_minutes_job_once(
    broker: str,
    request: pytest.FixtureRequest,
    mailbox: Mailbox,
    outbox_database: OutboxDatabase,
) -> None:
    """Both schedulers check the periodic jobs as they start; the minute's outbox sweep
    is enqueued by one of them only, and every email goes once."""
    if broker == "redis":
        outbox_database.env["QUEUE_URL"] = request.getfixturevalue("redis_url") + "/0"
    written = outbox_database.write(4)
    while datetime.now().second > 40:  # both start within the same minute
        time.sleep(1)
    workers = [
        outbox_database.flask("jobs", "worker", "--workers", "2", log=f"worker{n}.log")
        for n in (1, 2)
    ]
    try:
        deadline = time.monotonic() + 60
        logs = ["", ""]
        while not all("Scheduler runs every" in log for log in logs) or len(mailbox.messages) < len(
            written
        ):
            assert time.monotonic() < deadline, logs
            time.sleep(0.2)
            logs = [outbox_database.log(f"worker{n}.log") for n in (1, 2)]
        time.sleep(1.5)  # the loser's scheduler has checked too, and nothing more comes
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        statuses = [worker.wait(timeout=30) for worker in workers]
    logs = [outbox_database.log(f"worker{n}.log") for n in (1, 2)]
    assert statuses == [0, 0], logs
    enqueued = sum(
        log.count("Enqueueing periodic task matchmaker.jobs.tasks.periodic_send_emails")
        for log in logs
    )
    assert enqueued == 1, logs
    received = Counter(m["Message-ID"] for m in mailbox.messages)
    assert set(received.values()) == {1} and set(received) == {e.message_id for e in written}
