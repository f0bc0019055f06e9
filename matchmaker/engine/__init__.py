"""The one door between the database and the matching engine: the network read as the
engine's plain data (`loading`), the data stamp that says when it changed (`stamp`),
and the index every query uses (`current_index`), kept fresh off the request path by
one builder a machine (`builder`, `store`, `live`).

No use case passes weights around: `current_index` reads `MATCHING_WEIGHTS` here.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import make_url
from sqlalchemy.orm import Session

from matchmaker.engine import store
from matchmaker.engine.builder import (
    IndexBuilder,
    database_key,
    machine_lock,
    run_builder,
    weights_key,
)
from matchmaker.engine.live import IndexCache, SharedIndexes, data_version
from matchmaker.engine.loading import load_network
from matchmaker.engine.stamp import (
    CHANGE_LOG_KEPT,
    committed_version,
    forget_changes_before,
    touched,
)
from matchmaker.matching.forked import can_fork, forked_map
from matchmaker.matching.index import MatchIndex

__all__ = [
    "INDEXES",
    "batch_index",
    "current_index",
    "data_version",
    "index_directory",
    "load_network",
    "reading_session",
    "refresh_index",
    "start_embedded_builder",
    "stop_embedded_builder",
    "warm_index",
]

logger = logging.getLogger(__name__)
INDEXES = IndexCache()
SHARED = SharedIndexes()


def index_directory(app: Flask) -> Path:
    """This machine's index files of the app's database: a folder per database in
    `INDEX_DIR`, so apps on several databases never take each other's index."""
    database = database_key(make_url(app.config["SQLALCHEMY_DATABASE_URI"]))
    return Path(app.config["INDEX_DIR"]) / hashlib.sha256(database.encode()).hexdigest()[:16]


def current_index(session: Session) -> MatchIndex:
    """The engine's index of the session's database: the newest one ready, with the app's
    weights (see `live` for how fresh that is)."""
    if not has_app_context():
        return INDEXES.get(session)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    weights = app.config.get("MATCHING_WEIGHTS")
    mode = app.config["INDEX_BUILDER"]
    if mode == "inline" or touched(session) is not None:
        return INDEXES.get(session, weights)
    if mode == "embedded":
        start_embedded_builder(app)  # once a process; it builds if it gets the machine's lock
    database = database_key(session.get_bind().engine.url)
    directory = index_directory(app)
    shared = SHARED.get(directory, database, weights) or SHARED.first(
        directory, database, weights, app.config["INDEX_FIRST_WAIT_SECONDS"]
    )
    if shared is not None:
        INDEXES.clear()  # an index built here before the builder's first is not needed
        return shared
    logger.warning("no index from this machine's builder in %s: building one here", directory)
    return INDEXES.get(session, weights)


def warm_index(app: Flask) -> bool:
    """Load this machine's newest index into the process before it serves: otherwise a
    web worker's first suggestions load it inside that request (about a second at 10,000
    hubs, the others' first seconds too) while the other workers already answer. gunicorn
    calls it as each worker starts (`post_worker_init` in gunicorn.conf.py), a recycled
    one too. Says whether there was an index to load (none before the builder's first)."""
    mode = app.config["INDEX_BUILDER"]
    if mode == "inline":
        return False
    with app.app_context():
        if mode == "embedded":
            start_embedded_builder(app)  # as the first request would: it builds sooner
        return SHARED.load_now(index_directory(app))


def batch_index(session: Session) -> MatchIndex:
    """The index for a batch run from the shell (the digest's forked workers): a process
    that serves nothing else starts no builder thread, nor do the workers it forks. It
    takes the machine's index files when they show the data as it is; else it builds
    once here (unless a builder holds the machine), writes them, and takes them back
    slim, so the builder's full copy is gone before the batch forks (at 10,000 hubs the
    parent holds ~230 MB instead of ~410 MB, and builds nothing when the files are fresh).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["INDEX_BUILDER"] == "inline" or touched(session) is not None:
        return current_index(session)
    with _builder_started:
        _builder_threads.setdefault(id(app), (None, threading.Event()))  # none here
    directory = index_directory(app)
    weights = app.config.get("MATCHING_WEIGHTS")
    with reading_session(app) as reading:
        fresh = _files_show(directory, reading, weights)
    if fresh:
        logger.info("batch index: the machine's index files are current")
    else:
        # Built in a child of its own where it can fork: the builder's memory (the full
        # network, the text model being fitted) goes with it, not into this heap.
        forked = can_fork(2)
        done = (
            forked_map(lambda _: _build_once(app, forked=True), 1, 1)[0]
            if forked
            else _build_once(app, forked=False)
        )
        logger.info("batch index: %s", done or "another process of this machine builds it")
    return current_index(session)


def _build_once(app: Flask, *, forked: bool) -> str | None:
    """Build and write the machine's index once, unless a builder holds the machine."""
    if forked:
        from matchmaker.extensions import db

        db.engine.dispose(close=False)  # the parent's pooled connections are not ours
    directory = index_directory(app)
    with reading_session(app) as session, machine_lock(directory) as held:
        if held is None:
            return None
        weights = app.config.get("MATCHING_WEIGHTS")
        return IndexBuilder(directory, weights, app.config["INDEX_REFIT_SECONDS"]).step(session)


def _files_show(directory: Path, session: Session, weights: dict[str, Any] | None) -> bool:
    """Whether the machine's newest index file is of this data, weights and day."""
    name = store.current_name(directory)
    if name is None:
        return False
    try:
        info = store.read_info(directory, name)
    except (OSError, ValueError):
        return False
    return (
        info.version == committed_version(session)
        and info.database == database_key(session.get_bind().engine.url)
        and info.weights == weights_key(weights)
        and info.today == date.today().isoformat()
    )


def refresh_index() -> str | None:
    """The queue's periodic upkeep of the index (in an app context): forget the change
    log older than a day (a builder further behind reads everything anyway), and, when
    no builder runs on this machine, build once here. Says what it built, if anything.

    With `INDEX_BUILDER=external` the machine's `flask index builder` owns its index and
    the upkeep builds nothing: taking the lock before the service at a machine's start
    would make the service build everything again after it, and edits wait for that.
    (A batch on a machine without a builder builds for itself: `batch_index`.)"""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    done = None
    if app.config["INDEX_BUILDER"] != "external":
        with reading_session(app) as session, machine_lock(index_directory(app)) as held:
            if held is not None:
                builder = IndexBuilder(
                    index_directory(app),
                    app.config.get("MATCHING_WEIGHTS"),
                    app.config["INDEX_REFIT_SECONDS"],
                )
                done = builder.step(session)
    from matchmaker.extensions import db

    forget_changes_before(db.session(), datetime.now(UTC) - CHANGE_LOG_KEPT)
    db.session.commit()
    return done


_builder_started = threading.Lock()
# Per app: its builder thread, or None where a batch holds builders off (`batch_index`).
_builder_threads: dict[int, tuple[threading.Thread | None, threading.Event]] = {}


def start_embedded_builder(app: Flask) -> None:
    """Start this process's builder thread once; it builds only while it holds the
    machine's lock, so with several workers one builds and the others stand by."""
    with _builder_started:
        if id(app) in _builder_threads:
            return
        builder = IndexBuilder(
            index_directory(app),
            app.config.get("MATCHING_WEIGHTS"),
            app.config["INDEX_REFIT_SECONDS"],
        )
        stop = threading.Event()
        thread = threading.Thread(
            target=run_builder,
            args=(lambda: reading_session(app), builder, stop, app.config["INDEX_POLL_MS"] / 1000),
            kwargs={"gap_seconds": app.config["INDEX_GAP_MS"] / 1000},
            name="index-builder",
            daemon=True,
        )
        _builder_threads[id(app)] = (thread, stop)
        thread.start()


def stop_embedded_builder(app: Flask, timeout: float = 30.0) -> None:
    """Stop this process's builder thread of `app`, if it runs (an app served for a while
    and then dropped with its database, as in the browser tests)."""
    with _builder_started:
        running = _builder_threads.pop(id(app), None)
    if running is not None:
        thread, stop = running
        stop.set()
        if thread is not None:
            thread.join(timeout)


@contextmanager
def reading_session(app: Flask) -> Iterator[Session]:
    """A session of the app's database that only reads (the builder's)."""
    from matchmaker.extensions import db, only_reading

    with app.app_context(), only_reading(), Session(db.engine) as session:
        yield session
