"""Running the queue: the consumer of `flask --app matchmaker jobs worker`, and the
embedded one the app starts in its own process when `QUEUE_EMBEDDED_WORKER` is true.

The embedded consumer runs as threads of the web process (a scheduler and two workers).
It starts with the process's first request, not when the app is built: so the Flask
reloader's parent (which serves nothing), `flask db upgrade` and other commands never
start one, and a gunicorn worker starts its own after the fork, once per process (a
forked child sees the parent's pid and starts afresh). It stops when the process exits,
letting the task in hand finish (up to `STOP_SECONDS`).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading

from flask import Flask
from huey import Huey
from huey.consumer import Consumer

logger = logging.getLogger(__name__)
EMBEDDED_WORKERS = 2
STOP_SECONDS = 10.0
# How often an idle worker looks for a task at most (SQLite is polled; Redis waits in
# BRPOP): an email waits at most this long for the queue.
MAX_POLL_SECONDS = 1.0


def create_consumer(huey: Huey, workers: int = 1, periodic: bool = True) -> Consumer:
    """A consumer of `huey` with `workers` threads and the periodic scheduler."""
    return Consumer(
        huey,
        workers=workers,
        periodic=periodic,
        worker_type="thread",
        max_delay=MAX_POLL_SECONDS,
        shutdown_timeout=STOP_SECONDS,
        # systemd and docker stop with SIGTERM: finish the task in hand; SIGINT is at once.
        graceful_signal="TERM",
    )


class EmbeddedConsumer(Consumer):
    """A consumer whose threads run beside the web app's: the web server, not the
    consumer, owns the process's signals."""

    def _set_signal_handlers(self) -> None:
        pass


_lock = threading.Lock()
_running: dict[int, EmbeddedConsumer] = {}  # by pid: a forked child starts its own


def start_embedded(app: Flask) -> EmbeddedConsumer | None:
    """Start this process's embedded consumer if the app asks for one and none runs."""
    if not app.config.get("QUEUE_EMBEDDED_WORKER"):
        return None
    with _lock:
        pid = os.getpid()
        if pid in _running:
            return _running[pid]
        consumer = EmbeddedConsumer(
            app.extensions["queue"].huey,
            workers=EMBEDDED_WORKERS,
            worker_type="thread",
            max_delay=MAX_POLL_SECONDS,
            shutdown_timeout=STOP_SECONDS,
        )
        consumer.start()
        _running[pid] = consumer
        atexit.register(stop_embedded)
        logger.info("embedded queue consumer started in process %s", pid)
        return consumer


def stop_embedded() -> None:
    """Stop this process's embedded consumer, letting running tasks finish."""
    with _lock:
        consumer = _running.pop(os.getpid(), None)
    if consumer is not None:
        consumer.stop(graceful=True)
        logger.info("embedded queue consumer stopped")


def embedded_on_first_request(app: Flask) -> None:
    """Start the embedded consumer when the process serves its first request."""
    if not app.config.get("QUEUE_EMBEDDED_WORKER"):
        return

    @app.before_request
    def _start_queue() -> None:
        if os.getpid() not in _running:
            start_embedded(app)
