"""Work shared among forked processes: the children see the caller's data (an engine
index, a digest's contents) copy-on-write, so nothing large is pickled; only each task's
small result comes back."""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

Result = TypeVar("Result")

_TASK: Callable[[int], Any] | None = None


def can_fork(workers: int | None = None) -> bool:
    return "fork" in mp.get_all_start_methods() and (workers or os.cpu_count() or 1) > 1


def forked_map(
    task: Callable[[int], Result],
    count: int,
    workers: int | None = None,
    done: Callable[[int], None] | None = None,
) -> list[Result]:
    """[task(0), ..., task(count - 1)], run by `workers` forked processes (default: one per
    core); `done(n)` hears of each task n as it finishes. Tasks must not rely on state the
    parent changes after the call starts."""
    global _TASK
    results: list[Any] = [None] * count
    _TASK = task
    # Out of the collector's sight before the fork: a child's collections would otherwise
    # write to every object of the parent they walk, copying its pages one by one. They
    # stay frozen after (as the loaded index already is): unfreezing would also hand the
    # index back to the collector.
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            workers or os.cpu_count(), mp_context=mp.get_context("fork")
        ) as pool:
            futures = {pool.submit(_run, n): n for n in range(count)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if done:
                    done(futures[future])
    finally:
        _TASK = None
    return results


def _run(number: int) -> Any:
    assert _TASK is not None
    return _TASK(number)
