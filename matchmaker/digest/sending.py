"""Sending the monthly digest once per person and period: a run plans who is due
(`plan`), and chunks of them are composed and sent (`chunk`), here in this process, by
forked workers sharing the engine's index (`parallel`), or as queue tasks that any worker
runs (`enqueue_run`).

Each delivery is claimed with one statement (`claims`) and committed before the message
goes, then marked sent and committed right after the server accepts the message. A run
that dies between the two leaves a claim that turns stale after
`DIGEST_CLAIM_STALE_SECONDS`; a later run takes it over and sends again with the same
Message-ID (at most one such copy per crash). A refused or dropped connection is retried
with backoff; what still fails is recorded and sent by the next run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from matchmaker.digest.chunk import send_chunk
from matchmaker.digest.parallel import send_in_workers
from matchmaker.digest.person import STALE_CLAIM_SECONDS, SendSummary
from matchmaker.digest.plan import Plan, plan_run, recipients
from matchmaker.matching.forked import can_fork

__all__ = ["STALE_CLAIM_SECONDS", "SendSummary", "enqueue_run", "recipients", "send_digests"]


def workers_of(config: Mapping[str, Any], workers: int | None = None) -> int:
    """Forked workers for a large run: as asked, or DIGEST_WORKERS, or one per core."""
    return max(1, workers or config.get("DIGEST_WORKERS") or os.cpu_count() or 1)


def send_digests(
    session: Session,
    config: Mapping[str, Any],
    period: str,
    *,
    dry_run: Path | None = None,
    limit: int | None = None,
    now: datetime | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> SendSummary:
    """Send `period`'s digest to everyone due, in this process; `limit` bounds the people
    handled this run (digests, pause notices and nothing-new alike), `on_total` hears how
    many that is. From DIGEST_PARALLEL_FROM people on, chunks go to `workers` forked
    processes (see `workers_of`)."""
    now = now or datetime.now(UTC)
    chunk_size = config.get("DIGEST_CHUNK_SIZE", 250)
    count = workers_of(config, workers)
    bind = session.get_bind()
    plan = plan_run(session, period, chunk_size, limit)
    if on_total:
        on_total(plan.people)
    summary = SendSummary(skipped=plan.skipped.copy())
    if (
        dry_run is None
        and isinstance(bind, Engine)
        and can_fork(count)
        and plan.people >= config.get("DIGEST_PARALLEL_FROM", 2000)
    ):
        # Several chunks per worker even for a small run, so the workers finish together.
        plan.cut(min(chunk_size, max(1, plan.people // (4 * count))))
        for part in send_in_workers(session, bind, config, plan, now, count, progress):
            summary.add(part)
        return summary
    for user_ids in plan.chunks:
        part = send_chunk(
            session, config, period, user_ids, now=now, dry_run=dry_run, progress=progress
        )
        summary.add(part)
    return summary


def enqueue_run(
    session: Session,
    config: Mapping[str, Any],
    period: str,
    enqueue_chunk: Callable[[str, list[int], str], Any],
    *,
    limit: int | None = None,
    now: datetime | None = None,
) -> Plan:
    """Plan `period`'s run and hand each chunk to `enqueue_chunk(period, user_ids, now)`
    (`now` in ISO format), e.g. a queue task: the plan task of a run on the queue."""
    moment = (now or datetime.now(UTC)).isoformat()
    plan = plan_run(session, period, config.get("DIGEST_CHUNK_SIZE", 250), limit)
    session.commit()
    for user_ids in plan.chunks:
        enqueue_chunk(period, user_ids, moment)
    return plan
