"""Index files on this machine, shared by every process that reads them.

An index is written as two files: its arrays and sparse matrices, 64-byte aligned, in
`<name>.arrays`, and the rest pickled in `<name>.pickle` with the arrays out of band
(pickle protocol 5). A reader maps the arrays file copy-on-write: every worker of the
machine reads the same pages from the page cache, and loading is the unpickling of the
small rest. Descriptions of services and needs are left out of it (`_IndexPickler`).

Most of that rest is the organisations (with their services, needs and windows), and an
edit changes one or two of them. So each organisation is pickled on its own, with a key
(the index it was first written in), and the rest refers to them by id: the builder
writes again only the organisations that changed (`OrganisationBlobs`), and a reader
that holds the previous index unpickles only those, keeping its objects for the others
(`load_after`). At 10,000 hubs a single hub's edit then costs a fraction of the
whole index to write and to take.

Arrays go the same way (`ArrayPacks`): an index's arrays file holds only the arrays no kept
file holds already (by content), and its header points at the file of each array. An edit
that changes no text (a name, a window) writes no arrays, and every worker keeps the pages
it has mapped instead of faulting in a fresh copy of the same 50 MB. `CURRENT` names the newest
complete index; it is replaced atomically after both files are written, so a reader
never sees half an index.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import mmap
import os
import pickle
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from matchmaker.matching.index import MatchIndex
from matchmaker.matching.network import Entry, Organisation, PastExchange, Project, Window

ALIGN = 64
CURRENT = "CURRENT"
# Raised when what is written changes shape: a reader skips files of another format (an
# index written before an upgrade) until the builder has written one of its own.
FORMAT = 5
# Each organisation's row in an index file's table (after its JSON header): its id, the
# number of its key in the header's `keys`, and where its pickle is, as int64s. A table
# of numbers read in place, not 11,000 entries of JSON parsed by every reader of every
# index (a worker loads one a second while hubs are edited).
TABLE_COLUMNS = 4


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
            fields = (entry.id, entry.category, entry.title, "", entry.priority, entry.language)
            return Entry, fields
        names = _FIELDS.get(kind)
        if names is None:
            return NotImplemented
        return kind, tuple([getattr(obj, name) for name in names])


_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(field.name for field in fields(kind))
    for kind in (Organisation, Window, Project, PastExchange)
}


def _referenced(organisation_id: int) -> Organisation:
    """Stands for an organisation in an index's rest: `_RestUnpickler` reads it as the
    organisation from its table."""
    raise pickle.UnpicklingError("an index's rest is read with its organisations' table")


class _RestPickler(_IndexPickler):
    """The index without its organisations: each one, by id, is in the blob table. By
    `reducer_override`, which pickle calls for objects only (a `persistent_id` would be
    called for every int and string of the index too, ten times as many calls)."""

    def __init__(self, *args: Any, table: dict[int, Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refs = {id(organisation): id_ for id_, organisation in table.items()}

    def reducer_override(self, obj: object) -> Any:
        ref = self.refs.get(id(obj))
        if ref is not None:
            return _referenced, (ref,)
        return super().reducer_override(obj)


class _RestUnpickler(pickle.Unpickler):
    def __init__(self, *args: Any, table: dict[int, Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = table

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == "_referenced":
            return self.table.__getitem__
        return super().find_class(module, name)


def _dumps(organisation: Organisation) -> bytes:
    written = io.BytesIO()
    _IndexPickler(written, protocol=5).dump(organisation)
    return written.getvalue()


class OrganisationBlobs:
    """The builder's pickled organisations, kept from one write to the next for as long
    as the index holds the same object (an incremental build keeps every unedited one)."""

    def __init__(self) -> None:
        self._held: dict[int, tuple[Organisation, str, bytes]] = {}

    def table(
        self, organisations: tuple[Organisation, ...], name: str
    ) -> list[tuple[int, str, bytes]]:
        """(id, key, pickled) of each organisation, pickling only those not held; `name`
        (the index being written) is the key of the newly pickled ones."""
        held: dict[int, tuple[Organisation, str, bytes]] = {}
        for organisation in organisations:
            kept = self._held.get(organisation.id)
            if kept is None or kept[0] is not organisation:
                kept = (organisation, name, _dumps(organisation))
            held[organisation.id] = kept
        self._held = held
        return [(id_, key, blob) for id_, (_, key, blob) in held.items()]


Span = tuple[str, int, int]  # (arrays file's index name, offset, length)


class ArrayPacks:
    """The builder's arrays files, kept from one write to the next: an array whose bytes a
    file of the last index already holds is not written again."""

    def __init__(self) -> None:
        self._held: dict[bytes, Span] = {}
        # The digest of each array of the last index, by the array itself: an index never
        # changes its arrays once built, and an incremental one reuses most of its
        # predecessor's, so only new arrays are hashed (50 MB at 10,000 hubs).
        self._digests: dict[int, tuple[object, bytes]] = {}

    def place(self, directory: Path, name: str, buffers: list[pickle.PickleBuffer]) -> list[Span]:
        """Where each buffer is, writing those not held to `<name>.arrays`."""
        held: dict[bytes, Span] = {}
        digests: dict[int, tuple[object, bytes]] = {}
        spans: list[Span] = []
        temporary = directory / f"{name}.arrays.tmp"
        with open(temporary, "wb") as arrays:
            for buffer in buffers:
                view = buffer.raw()
                known = self._digests.get(id(view.obj))
                if known is not None and known[0] is view.obj:
                    digest = known[1]
                else:
                    digest = hashlib.blake2b(view, digest_size=16).digest()
                digests[id(view.obj)] = (view.obj, digest)
                span = held.get(digest) or self._held.get(digest)
                if span is None:
                    arrays.write(b"\0" * (-arrays.tell() % ALIGN))
                    span = (name, arrays.tell(), view.nbytes)
                    arrays.write(view)
                held[digest] = span
                spans.append(span)
            wrote = arrays.tell() > 0
        if wrote:
            os.replace(temporary, directory / f"{name}.arrays")
        else:
            temporary.unlink()
        self._held, self._digests = held, digests
        return spans


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


@dataclass
class Loaded:
    """An index as a reader loaded it, with each organisation's key (what lets the next
    load keep the unchanged ones)."""

    info: IndexInfo
    index: MatchIndex
    ids: np.ndarray  # the organisations' ids, in the order of the file's table
    keys: np.ndarray  # and the key of each (str objects)
    table: dict[int, Organisation]  # the organisations by id
    files: dict[str, memoryview]  # the arrays files it maps, by index name
    spans: list[list[Any]]  # where each of its arrays is: (file, offset, length)


def write(
    directory: Path,
    index: MatchIndex,
    info: IndexInfo,
    blobs: OrganisationBlobs | None = None,
    packs: ArrayPacks | None = None,
) -> None:
    """Write the index as `info.name`, then make it the current one. The builder passes
    its `blobs` and `packs` so unchanged organisations and arrays are not written again."""
    directory.mkdir(parents=True, exist_ok=True)
    buffers: list[pickle.PickleBuffer] = []
    enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the collector's passes would dominate
    try:
        rows = (blobs or OrganisationBlobs()).table(index.organisations, info.name)
        table = {organisation.id: organisation for organisation in index.organisations}
        written = io.BytesIO()
        _RestPickler(written, protocol=5, buffer_callback=buffers.append, table=table).dump(index)
        payload = written.getbuffer()
    finally:
        if enabled:
            gc.enable()
    spans = (packs or ArrayPacks()).place(directory, info.name, buffers)
    key_numbers: dict[str, int] = {}
    numbers = [key_numbers.setdefault(key, len(key_numbers)) for _, key, _ in rows]
    lengths = np.array([len(blob) for _, _, blob in rows], dtype=np.int64)
    offsets = len(payload) + np.cumsum(lengths) - lengths  # the blobs follow the rest
    ids = np.array([id_ for id_, _, _ in rows], dtype=np.int64)
    table_rows = np.column_stack([ids, np.array(numbers, dtype=np.int64), offsets, lengths])
    header = json.dumps(
        {"format": FORMAT, "info": asdict(info), "spans": spans, "keys": list(key_numbers)}
    ).encode()
    with open(directory / f"{info.name}.pickle.tmp", "wb") as rest:
        rest.write(len(header).to_bytes(8, "little"))
        rest.write(header)
        rest.write(len(rows).to_bytes(8, "little"))
        rest.write(table_rows.tobytes())
        rest.write(payload)
        rest.write(b"".join([blob for _, _, blob in rows]))  # one write, not 11,000
    os.replace(directory / f"{info.name}.pickle.tmp", directory / f"{info.name}.pickle")
    _ARRAYS_FILES[directory / f"{info.name}.pickle"] = {file for file, _, _ in spans}
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
    loaded = load_after(directory, name, None)
    return loaded.info, loaded.index


def load_after(directory: Path, name: str, previous: Loaded | None) -> Loaded:
    """The index `name`, keeping the organisations of `previous` (the index this process
    answers from) whose key did not change."""
    with open(directory / f"{name}.pickle", "rb") as rest:
        # Mapped, not read: a 10 MB read each load would stay in the worker's heap.
        mapped = mmap.mmap(rest.fileno(), 0, access=mmap.ACCESS_READ)
    size = int.from_bytes(mapped[:8], "little")
    header = json.loads(mapped[8 : 8 + size])
    if header.get("format") != FORMAT:
        mapped.close()
        raise ValueError(f"index {name} is of another format than {FORMAT}")
    count = int.from_bytes(mapped[8 + size : 16 + size], "little")
    table_at = 16 + size
    payload_at = table_at + 8 * TABLE_COLUMNS * count
    rows = np.frombuffer(mapped[table_at:payload_at], dtype=np.int64).reshape(count, TABLE_COLUMNS)
    ids, keys = rows[:, 0], np.array(header["keys"], dtype=object)[rows[:, 1]]
    files: dict[str, memoryview] = {}
    buffers = []
    for file, start, length in header["spans"]:
        if file not in files:
            kept = previous.files.get(file) if previous else None
            files[file] = kept if kept is not None else _mapped(directory / f"{file}.arrays")
        buffers.append(files[file][start : start + length])
    enabled = gc.isenabled()
    gc.disable()
    try:
        table, fresh = _kept_organisations(previous, ids, keys)
        payload = memoryview(mapped)[payload_at:]
        for row in fresh.tolist():
            id_, _, start, length = rows[row].tolist()
            table[id_] = pickle.loads(payload[start : start + length])
        payload.release()
        mapped.seek(payload_at)
        index = _RestUnpickler(mapped, buffers=buffers, table=table).load()  # type: ignore[arg-type]
        mapped.close()
        if previous is not None and previous.spans == header["spans"]:
            # The very same arrays: the signals kept from them still hold (`kept_signals`).
            index.kept_signals = previous.index.kept_signals
        # Hundreds of thousands of long-lived objects: out of the collector's sight, or
        # each full collection would walk them all again (they are freed by reference
        # counting when a newer index replaces this one; they hold no cycles).
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
    info = IndexInfo(**header["info"])
    return Loaded(info, index, ids.copy(), keys, table, files, header["spans"])


def _kept_organisations(
    previous: Loaded | None, ids: np.ndarray, keys: np.ndarray
) -> tuple[dict[int, Organisation], np.ndarray]:
    """The previous index's organisations that the new table keeps (same id, same key),
    by id, and the rows of the table to unpickle. Mostly the same ids in the same order,
    with one or two keys changed: compared as arrays."""
    if previous is None:
        return {}, np.arange(len(ids))
    if np.array_equal(previous.ids, ids):
        changed = np.flatnonzero(previous.keys != keys)
        table = dict(previous.table)
        for id_ in ids[changed].tolist():
            del table[id_]
        return table, changed
    before = dict(zip(previous.ids.tolist(), previous.keys.tolist(), strict=True))
    same = [before.get(id_) == key for id_, key in zip(ids.tolist(), keys.tolist(), strict=True)]
    kept = ids[np.array(same, dtype=bool)].tolist()
    return {id_: previous.table[id_] for id_ in kept}, np.flatnonzero(~np.array(same, bool))


def _mapped(path: Path) -> memoryview:
    with open(path, "rb") as arrays:
        # Copy-on-write: pages stay shared unless a query writes into an array in place.
        return memoryview(mmap.mmap(arrays.fileno(), 0, access=mmap.ACCESS_COPY))


# The arrays files each index file points at, read once a process: the builder prunes
# after each build, with a minute of index files kept (about fifty headers to read).
_ARRAYS_FILES: dict[Path, set[str]] = {}


def _arrays_files(path: Path) -> set[str]:
    files = _ARRAYS_FILES.get(path)
    if files is None:
        with open(path, "rb") as rest:
            size = int.from_bytes(rest.read(8), "little")
            files = {file for file, _, _ in json.loads(rest.read(size))["spans"]}
        _ARRAYS_FILES[path] = files
    return files


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
        path.unlink(missing_ok=True)
    # An arrays file goes when no index left points at it (later ones may share it).
    used: set[str] = set()
    kept = set(directory.glob("*.pickle"))
    for path in kept:
        used |= _arrays_files(path)
    for path in [p for p in _ARRAYS_FILES if p.parent == directory and p not in kept]:
        del _ARRAYS_FILES[path]
    for path in directory.glob("*.arrays"):
        if path.name.removesuffix(".arrays") not in used:
            path.unlink(missing_ok=True)
