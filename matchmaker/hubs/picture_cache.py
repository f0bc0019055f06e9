"""The network pictures' JSON, computed once per version of the data and shared.

A picture of 10,000 hubs takes a good part of a second to compute and the same for
everyone (the pictures show only public data, so anonymous and signed-in people get the
same bytes). Its key is the picture, its filters and `engine.data_version`: when nothing
changed, the stored bytes are served; any change makes a new key, so nothing is ever
invalidated by hand and nothing stale is served. The key, hashed, is also the response's
strong ETag, so a browser that has the picture is answered 304 without computing it.

Three levels share the work:
- in the process, the last `MEMORY_ENTRIES` pictures, and a lock per key, so that eight
  requests arriving together compute it once and the others wait for it;
- on the machine, files in the instance folder (`pictures/`), so every worker process
  serves what one computed; a file lock makes the workers of a machine compute it once;
- between machines nothing is shared: each machine computes a version once.
Old files are removed as new ones are written, keeping the newest `FILES_KEPT`.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from matchmaker.hubs.directory import HubFilters

try:  # file locks where the system has them (not on Windows: there, per process only)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

# Bump when the pictures' JSON changes shape, so files written by older code are not served.
FORMAT = 2
MEMORY_ENTRIES = 64
FILES_KEPT = 256

# A picture from the session's data, the filters and the most it may draw.
Compute = Callable[[Session, HubFilters, int], dict[str, Any]]


@dataclass(frozen=True)
class Picture:
    etag: str  # strong, unquoted
    body: bytes  # the JSON, serialised once


def serialise(data: dict[str, Any]) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def picture_key(database: str, shape: object, version: object, filters: HubFilters) -> str:
    """A stable digest (the same in every process and on every machine: `repr`, not
    `hash`, whose strings are salted per process) of what shapes the picture: which one
    and its bounds (`shape`), the data's version and the filters."""
    text = repr((FORMAT, database, shape, version, sorted(filters.as_args().items())))
    return hashlib.sha256(text.encode()).hexdigest()[:40]


class PictureCache:
    """Pictures by key, in this process and in `folder` (None: in this process only)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.computations = 0  # pictures this process computed (tests and benchmarks read it)
        self._lock = threading.Lock()
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._key_locks: dict[str, threading.Lock] = {}
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def get(self, key: str, compute: Callable[[], dict[str, Any]]) -> Picture:
        """The picture stored under `key`, computed by `compute` if nobody has yet."""
        body = self._remembered(key)
        if body is None:
            with self._key_lock(key):
                body = self._remembered(key)
                if body is None:
                    body = self._shared(key, compute)
                    self._remember(key, body)
            with self._lock:
                self._key_locks.pop(key, None)
        return Picture(key, body)

    def clear(self) -> None:
        """Forget every picture (and the count of computations), here and in the folder."""
        with self._lock:
            self._memory.clear()
            self.computations = 0
        for path in self._files():
            path.unlink(missing_ok=True)

    def _remembered(self, key: str) -> bytes | None:
        with self._lock:
            body = self._memory.get(key)
            if body is not None:
                self._memory.move_to_end(key)
            return body

    def _remember(self, key: str, body: bytes) -> None:
        with self._lock:
            self._memory[key] = body
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)

    def _key_lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())

    def _shared(self, key: str, compute: Callable[[], dict[str, Any]]) -> bytes:
        """From the machine's files, or computed under the machine's lock and stored."""
        if self.folder is None:
            return self._compute(compute)
        path = self.folder / f"{key}.json"
        body = _read(path)
        if body is not None:
            return body
        with self._file_lock(key):
            body = _read(path)
            if body is not None:
                return body
            body = self._compute(compute)
            partial = path.with_name(f"{key}.{os.getpid()}.{threading.get_ident()}.tmp")
            partial.write_bytes(body)
            os.replace(partial, path)  # whole or not at all for the other workers
        self._prune()
        return body

    def _compute(self, compute: Callable[[], dict[str, Any]]) -> bytes:
        body = serialise(compute())
        with self._lock:
            self.computations += 1
        return body

    @contextmanager
    def _file_lock(self, key: str) -> Iterator[None]:
        assert self.folder is not None
        if fcntl is None:  # pragma: no cover
            yield
            return
        # One of 256 lock files, never removed: removing a lock file another worker waits
        # on would let a third take a lock of its own on a new file.
        path = self.folder / f"lock-{key[:2]}"
        with path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _files(self) -> list[Path]:
        return list(self.folder.glob("*.json")) if self.folder is not None else []

    def _prune(self) -> None:
        """Keep the newest `FILES_KEPT` pictures: older versions are never asked for again."""
        files = []
        for path in self._files():
            try:
                files.append((path.stat().st_mtime, path))
            except FileNotFoundError:  # another worker pruned it
                continue
        for _, path in sorted(files, reverse=True)[FILES_KEPT:]:
            path.unlink(missing_ok=True)


def _read(path: Path) -> bytes | None:
    """The stored picture, or None (also when another worker just pruned it)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
