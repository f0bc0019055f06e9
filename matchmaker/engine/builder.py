"""The index builder of a machine: keeps the newest index on disk for every process of
the machine, off the request path.

One builder a machine (a lock file in `INDEX_DIR` decides which process it is) polls the
data stamp, one primary-key read every `INDEX_POLL_MS`. When it moves, the builder
waits a moment for the burst of changes to end (debounce), then:

- a few hubs edited: their rows are read again and applied to its last index, which
  lends its text vectors (`MatchIndex(previous=...)`): about a second at 10,000 hubs;
- exchanges or feedback changed: those are read again too (cheap);
- anything else (projects, bulk imports, a new day, many hubs, an aged vocabulary):
  everything is read and fitted anew.

Then it writes the index (`store.write`), and every worker takes it at its next request.
How stale an answer can be: the debounce plus one build plus the writing (measured by
`scripts/bench_live.py`); when the builder is stopped, the last index stays in use.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from matchmaker.engine import store
from matchmaker.engine.loading import load_exchanges, load_network, load_organisations
from matchmaker.engine.stamp import changes_since, committed_version
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.network import Network
from matchmaker.matching.weights import merge_weights

logger = logging.getLogger(__name__)
# More edited hubs than this share of the network: read and fit everything anew.
INCREMENTAL_SHARE = 0.05
# A vocabulary this aged (rows unused or added since the fit) is fitted anew.
AGED_SHARE = 0.10
DEBOUNCE_SECONDS = 0.3


def database_key(url: object) -> str:
    """The database an index belongs to, without its password."""
    rendered = getattr(url, "render_as_string", None)
    return rendered(hide_password=True) if rendered else str(url)


def weights_key(weights: Mapping[str, Any] | None) -> str:
    return json.dumps(weights or {}, sort_keys=True)


@dataclass
class Built:
    version: int
    network: Network
    index: MatchIndex
    fitted_at: float


class IndexBuilder:
    """Builds one database's index with one set of weights, keeping its last build."""

    def __init__(
        self,
        directory: Path,
        weights: Mapping[str, Any] | None,
        refit_seconds: float = 3600.0,
    ) -> None:
        self.directory = directory
        self.weights = weights
        self.refit_seconds = refit_seconds
        self.last: Built | None = None
        self.blobs = store.OrganisationBlobs()  # what the last write pickled, kept
        self.packs = store.ArrayPacks()  # and the arrays files it wrote
        self.finished = 0.0  # time.monotonic() of the last build's end

    def step(self, session: Session) -> str | None:
        """Build and write the index if the data moved on since the last one; says what
        it wrote, or None. Reads in one snapshot: the stamp and the rows it describes
        agree."""
        version = committed_version(session)
        today = date.today()
        last = self.last
        if last is not None and last.version == version and last.network.today == today:
            return None
        started = time.monotonic()
        built, how = self._build(session, version, today)
        database = database_key(session.get_bind().engine.url)
        name = f"index-{version}-{time.time_ns()}"
        info = store.IndexInfo(
            name=name,
            version=version,
            database=database,
            weights=weights_key(self.weights),
            today=today.isoformat(),
            built_at=time.time(),
        )
        store.write(self.directory, built.index, info, self.blobs, self.packs)
        store.prune(self.directory)
        self.last = built
        done = (
            f"index of data version {version} ({how}) of {len(built.index)} organisations "
            f"in {time.monotonic() - started:.2f} s"
        )
        return done

    def _build(self, session: Session, version: int, today: date) -> tuple[Built, str]:
        weights = merge_weights(self.weights)
        last = self.last
        plan = self._incremental_plan(session, version, today)
        if last is None or plan is None:
            network = load_network(session, today)
            return Built(version, network, MatchIndex(network, weights), time.time()), "full"
        hubs, exchanges = plan
        network = last.network
        if hubs:
            fresh = {o.id: o for o in load_organisations(session, today, hubs)}
            kept = [o for o in network.organisations if o.id not in hubs]
            merged = sorted([*kept, *fresh.values()], key=lambda o: o.id)
            network = replace(network, organisations=tuple(merged))
        if exchanges:
            network = replace(network, exchanges=tuple(load_exchanges(session)))
        index = MatchIndex(network, weights, previous=last.index)
        return Built(version, network, index, last.fitted_at), f"{len(hubs)} hubs"

    def _incremental_plan(
        self, session: Session, version: int, today: date
    ) -> tuple[set[int], bool] | None:
        """(hubs to read again, whether to read exchanges again), or None for everything."""
        last = self.last
        if last is None or last.network.today != today:
            return None
        if time.time() - last.fitted_at > self.refit_seconds:
            return None
        if last.index.text.aged_share > AGED_SHARE:
            return None
        oldest, hubs, scopes = changes_since(session, last.version)
        if oldest is None or oldest > last.version + 1:
            return None  # the log was pruned past our last build: we may miss changes
        if scopes - {"exchanges"}:
            return None
        if len(hubs) > INCREMENTAL_SHARE * max(1, len(last.network.organisations)):
            return None
        return hubs, "exchanges" in scopes


@contextmanager
def machine_lock(directory: Path) -> Iterator[IO[str] | None]:
    """The builder's lock of this machine's index folder: yields the held lock file, or
    None when another process holds it."""
    directory.mkdir(parents=True, exist_ok=True)
    handle = open(directory / "builder.lock", "a+")  # noqa: SIM115 - held while building
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield handle
    finally:
        handle.close()  # closing releases the lock


def run_builder(
    make_session: Any,
    builder: IndexBuilder,
    stop: threading.Event,
    poll_seconds: float,
    report: Callable[[str], None] = logger.info,
    gap_seconds: float = 0.0,
) -> None:
    """Build whenever the data moves, until `stop` is set, if this process holds the
    machine's lock; otherwise wait and try again (the holder may stop). Each build is
    told to `report`; at least `gap_seconds` pass between the end of one build and the
    start of the next."""
    while not stop.is_set():
        with machine_lock(builder.directory) as held:
            if held is None:  # another holds the machine; soon after it stops, build
                stop.wait(max(poll_seconds, 0.1))
                continue
            report(f"index builder of {builder.directory} started (pid {os.getpid()})")
            while not stop.is_set():
                try:
                    done = _poll(make_session, builder, stop, gap_seconds)
                except Exception:  # the builder must outlive a bad moment of the database
                    logger.exception("index build failed; trying again")
                    stop.wait(5 * poll_seconds)
                    continue
                if done:
                    report(done)  # and look again at once: `_poll` keeps the gap
                else:
                    stop.wait(poll_seconds)


def _poll(
    make_session: Any, builder: IndexBuilder, stop: threading.Event, gap: float
) -> str | None:
    with make_session() as session:
        moved = builder.last is None or committed_version(session) != builder.last.version
    if not moved and builder.last is not None and builder.last.network.today == date.today():
        return None
    if builder.last is not None:
        # Let a burst of edits end, and leave the machine's cores to requests between
        # builds when edits never stop: one build covers every edit made meanwhile.
        since = time.monotonic() - builder.finished
        stop.wait(max(DEBOUNCE_SECONDS, gap - since))
    with make_session() as session:
        done = builder.step(session)
    builder.finished = time.monotonic()
    return done
