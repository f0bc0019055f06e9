"""A large digest run in this process and forked workers: the parent loads the engine's
index once, then each worker composes and sends whole chunks (`chunk.send_chunk`) on its
own database and SMTP connections, reading the index copy-on-write instead of loading
one each. The claims keep the promise that nobody gets the period twice, across workers
as across runs. A worker whose parent died stops after the message in hand, so a killed
run leaves nothing sending behind it, and its people are still due for the next run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from matchmaker.digest.chunk import send_chunk
from matchmaker.digest.person import SendSummary
from matchmaker.digest.plan import Plan
from matchmaker.engine import batch_index
from matchmaker.matching.forked import forked_map


def send_in_workers(
    session: Session,
    engine: Engine,
    config: Mapping[str, Any],
    plan: Plan,
    now: datetime,
    workers: int,
    progress: Callable[[int], None] | None,
) -> list[SendSummary]:
    """Each chunk's SendSummary, from `workers` forked processes."""
    # Loaded here, before the fork, so every worker finds it in the cache.
    batch_index(session).text.prepare_blocks(both=True)
    session.commit()
    parent = os.getpid()

    def run(number: int) -> SendSummary:
        # The parent's pooled connections are not this process's to use (nor to close).
        engine.dispose(close=False)
        with Session(bind=engine) as own:
            return send_chunk(
                own,
                config,
                plan.period,
                plan.chunks[number],
                now=now,
                keep_going=lambda: os.getppid() == parent,
            )

    def done(number: int) -> None:
        if progress:
            progress(len(plan.chunks[number]))

    try:
        return forked_map(run, len(plan.chunks), workers, done=done)
    except BrokenProcessPool:
        # Killed (out of memory, or by hand): what the workers did is stored, each claim
        # in hand turns stale, and whoever is left is still due for the next run.
        return [SendSummary(stopped=["a worker process died: run again to finish"])]
