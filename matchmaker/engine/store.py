"""Index files on this machine, shared by every process that reads them.

An index is written as two files: its arrays and sparse matrices, 64-byte aligned, in
`<name>.arrays`, and the rest pickled in `<name>.pickle` with the arrays out of band
(pickle protocol 5). A reader maps the arrays file copy-on-write: every worker of the
machine reads the same pages from the page cache, and loading is the unpickling of the
small rest (0.3 s at 10,000 hubs, against seconds to build). Descriptions of services and
needs are left out of it (`_IndexPickler`). `CURRENT` names the newest
complete index; it is replaced atomically after both files are written, so a reader
never sees half an index.
"""

from __future__ import annotations

import gc
import io
import json
import mmap
import os
import pickle
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from matchmaker.matching.index import MatchIndex
from matchmaker.matching.network import Entry, Organisation, PastExchange, Project, Window

ALIGN = 64
CURRENT = "CURRENT"


class _IndexPickler(pickle.Pickler):
    """Leaves out what a reader never uses: a service's or need's description only goes
    into its TF-IDF row, which is built already. Most of the text of a network, so
    leaving it out keeps each worker's private copy small (160 → 40 MB at 10,000 hubs).
    The engine's dataclasses go as their constructor's arguments: their own pickling
    (slots) looks their fields up again for every one of 300,000 objects."""

    def reducer_override(self, obj: object) -> Any:
        kind = type(obj)
        if kind is Entry:
            entry: Entry = obj  # type: ignore[assignment]
            return Entry, (entry.id, entry.category, entry.title, "", entry.priority)
        names = _FIELDS.get(kind)
        if names is None:
            return NotImplemented
        return kind, tuple([getattr(obj, name) for name in names])


_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(field.name for field in fields(kind))
    for kind in (Organisation, Window, Project, PastExchange)
}


@dataclass(frozen=True)
class IndexInfo:
    """What an index file was built from: a reader takes it only for the same database
    and weights."""

    name: str
    version: int  # the data stamp it reflects
    database: str
    weights: str
    today: str
    built_at: float  # time.time()


def write(directory: Path, index: MatchIndex, info: IndexInfo) -> None:
    """Write the index as `info.name`, then make it the current one."""
    directory.mkdir(parents=True, exist_ok=True)
    buffers: list[pickle.PickleBuffer] = []
    enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the collector's passes would dominate
    try:
        written = io.BytesIO()
        _IndexPickler(written, protocol=5, buffer_callback=buffers.append).dump(index)
        payload = written.getbuffer()
    finally:
        if enabled:
            gc.enable()
    spans = []
    with open(directory / f"{info.name}.arrays.tmp", "wb") as arrays:
        for buffer in buffers:
            view = buffer.raw()
            arrays.write(b"\0" * (-arrays.tell() % ALIGN))
            spans.append((arrays.tell(), view.nbytes))
            arrays.write(view)
    header = json.dumps({"info": asdict(info), "spans": spans}).encode()
    with open(directory / f"{info.name}.pickle.tmp", "wb") as rest:
        rest.write(len(header).to_bytes(8, "little"))
        rest.write(header)
        rest.write(payload)
    os.replace(directory / f"{info.name}.arrays.tmp", directory / f"{info.name}.arrays")
    os.replace(directory / f"{info.name}.pickle.tmp", directory / f"{info.name}.pickle")
    (directory / f"{CURRENT}.tmp").write_text(info.name)
    os.replace(directory / f"{CURRENT}.tmp", directory / CURRENT)


def current_name(directory: Path) -> str | None:
    try:
        return (directory / CURRENT).read_text().strip() or None
    except FileNotFoundError:
        return None


def read_info(directory: Path, name: str) -> IndexInfo:
    with open(directory / f"{name}.pickle", "rb") as rest:
        size = int.from_bytes(rest.read(8), "little")
        return IndexInfo(**json.loads(rest.read(size))["info"])


def load(directory: Path, name: str) -> tuple[IndexInfo, MatchIndex]:
    """The index `name`, its arrays mapped from the shared file."""
    with open(directory / f"{name}.pickle", "rb") as rest:
        size = int.from_bytes(rest.read(8), "little")
        header = json.loads(rest.read(size))
        payload = rest.read()
    with open(directory / f"{name}.arrays", "rb") as arrays:
        # Copy-on-write: pages stay shared unless a query writes into an array in place.
        mapped = mmap.mmap(arrays.fileno(), 0, access=mmap.ACCESS_COPY) if header["spans"] else b""
    view = memoryview(mapped)
    buffers = [view[start : start + length] for start, length in header["spans"]]
    enabled = gc.isenabled()
    gc.disable()
    try:
        index = pickle.loads(payload, buffers=buffers)
    finally:
        if enabled:
            gc.enable()
    return IndexInfo(**header["info"]), index


def prune(directory: Path, keep: int = 2, older_than: float = 60.0) -> None:
    """Remove all but the `keep` newest indexes that are at least `older_than` seconds old
    (a process still reading an older one keeps its mapping: unlinking does not take it)."""
    current = current_name(directory)
    names = sorted(
        (path for path in directory.glob("*.pickle")),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    now = time.time()
    for path in names[keep:]:
        name = path.name.removesuffix(".pickle")
        if name == current or now - path.stat().st_mtime < older_than:
            continue
        for suffix in (".pickle", ".arrays"):
            (directory / f"{name}{suffix}").unlink(missing_ok=True)
