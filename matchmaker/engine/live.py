"""The index a query uses: the newest one that is ready, never one being built.

Three ways to get it, by `INDEX_BUILDER`:
- `inline` (tests, scripts): built in the asking process when the data stamp moved, as
  a cache per database and weights;
- `embedded` (the default: `make run`, one machine): one process of the machine runs the
  builder in a thread (`builder.run_builder`), the others just read its files;
- `external`: `flask index builder` runs beside the web workers of each machine.

In the last two, a request reads the index files of `INDEX_DIR` (arrays mapped, shared by
every worker of the machine), looks for a newer one at most every `CHECK_SECONDS`, and
loads it in a background thread while it keeps answering from the one it has. A session
that changed engine data it has not committed yet gets an index of its own view, built
there (rare: a use case that asks for matches after its own edit).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from matchmaker.engine import store
from matchmaker.engine.builder import database_key, weights_key
from matchmaker.engine.loading import load_network
from matchmaker.engine.stamp import committed_version, touched
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.weights import merge_weights

logger = logging.getLogger(__name__)
CHECK_SECONDS = 0.1


def data_version(session: Session) -> tuple[object, ...]:
    """Changes whenever anything the engine reads changes, as this session sees it: the
    committed stamp, the day, and this session's own uncommitted engine changes."""
    own = touched(session)
    mine = (id(session), own.flushes) if own is not None else None
    return (committed_version(session), date.today(), mine)


class IndexCache:
    """Indexes built in this process, one per database and weights, for `data_version`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str], tuple[tuple[object, ...], MatchIndex]] = {}

    def get(self, session: Session, weights: Mapping[str, Any] | None = None) -> MatchIndex:
        key = (database_key(session.get_bind().engine.url), weights_key(weights))
        version = data_version(session)
        with self._lock:
            cached = self._entries.get(key)
            if cached and cached[0] == version:
                return cached[1]
            index = MatchIndex(load_network(session), merge_weights(weights))
            self._entries[key] = (version, index)
            return index

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class SharedIndexes:
    """The newest index of a folder of index files, as this process has loaded it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[Path, store.Loaded] = {}
        self._checked: dict[Path, float] = {}
        self._loading: set[Path] = set()
        self._waited: set[Path] = set()

    def get(
        self, directory: Path, database: str, weights: Mapping[str, Any] | None
    ) -> MatchIndex | None:
        """The loaded index if it fits the database and weights (None before the first
        one is ready); starts loading a newer one in the background when there is one."""
        wanted = weights_key(weights)
        with self._lock:
            loaded = self._loaded.get(directory)
            due = time.monotonic() - self._checked.get(directory, 0.0) >= CHECK_SECONDS
            if due:
                self._checked[directory] = time.monotonic()
        if loaded is None:
            self._load(directory)  # the first: there is nothing older to answer from
            loaded = self._loaded.get(directory)
        elif due:
            name = store.current_name(directory)
            with self._lock:  # one loader at a time, whatever the worker's threads
                start = name not in (None, loaded.info.name) and directory not in self._loading
                if start:
                    self._loading.add(directory)
            if start:
                threading.Thread(
                    target=self._load, args=(directory,), name="index-loader", daemon=True
                ).start()
        if loaded is None:
            return None
        if loaded.info.database != database or loaded.info.weights != wanted:
            return None
        return loaded.index

    def first(
        self, directory: Path, database: str, weights: Mapping[str, Any] | None, seconds: float
    ) -> MatchIndex | None:
        """Wait up to `seconds` for the builder's first index of the folder: at a machine's
        start it is being built, and building another here would cost as much again.
        Only the first request of a process waits."""
        with self._lock:
            if directory in self._waited:
                return None
            self._waited.add(directory)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if store.current_name(directory) is not None:
                self._load(directory)
                with self._lock:
                    self._checked[directory] = time.monotonic()
                return self.get(directory, database, weights)
            time.sleep(0.1)
        return None

    def load_now(self, directory: Path) -> bool:
        """Load the folder's newest index now, in this thread (a worker about to serve:
        see `engine.warm_index`); says whether there was one."""
        self._load(directory)
        with self._lock:
            self._checked[directory] = time.monotonic()
            return directory in self._loaded

    def _load(self, directory: Path) -> None:
        try:
            name = store.current_name(directory)
            if name is None:
                return
            started = time.monotonic()
            with self._lock:
                previous = self._loaded.get(directory)
            loaded = store.load_after(directory, name, previous)
            with self._lock:
                self._loaded[directory] = loaded
            logger.debug("index %s loaded in %.2f s", name, time.monotonic() - started)
        except Exception:  # a torn or foreign file: never a request's error, nor a worker's
            logger.warning(
                "index files of %s unreadable; keeping the last", directory, exc_info=True
            )
        finally:
            with self._lock:
                self._loading.discard(directory)
