"""The network pictures computed once when eight requests (threads of one process) or four
worker processes (sharing the instance folder) ask for them together; old versions'
files removed as new ones are stored."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from matchmaker.hubs import pictures
from matchmaker.hubs.picture_cache import PictureCache
from tests.support.browser_server import demo_on_own_database


@pytest.fixture
def session() -> None:
    """Overrides conftest's autouse `session`: requests in threads each use their own
    connection to a database of their own, not the shared rolled-back one."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo network in a database of its own, so that requests in threads each use
    their own connection (the other tests share one rolled-back connection)."""
    with demo_on_own_database(tmp_path_factory.mktemp("pictures-app")) as app:
        yield app


def test_eight_requests_at_once_compute_the_picture_once(
    served: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    compute, limit = pictures.PICTURES["graph"]

    def slow(*args: Any) -> dict[str, Any]:
        time.sleep(0.3)  # long enough for every request to arrive while it runs
        return compute(*args)

    monkeypatch.setitem(pictures.PICTURES, "graph", (slow, limit))
    with served.app_context():
        cache = pictures.picture_cache()
    assert cache is not None
    cache.clear()
    start = threading.Barrier(8)
    answers: list[tuple[int, bytes, str | None]] = []

    def ask() -> None:
        client = served.test_client()
        start.wait()
        response = client.get("/network/graph.json")
        answers.append((response.status_code, response.get_data(), response.get_etag()[0]))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(answers) == 8 and {status for status, _, _ in answers} == {200}
    assert len({(body, etag) for _, body, etag in answers}) == 1
    assert b'"hubs":72,' in answers[0][1]  # the demo network, drawn whole
    assert cache.computations == 1


def _worker_asks(folder: str, start: Any, results: Any) -> None:
    """One 'worker process': its own cache over the shared folder."""
    computed = []

    def compute() -> dict[str, Any]:
        computed.append(1)
        time.sleep(0.3)
        return {"answer": 42}

    cache = PictureCache(Path(folder))
    start.wait()
    picture = cache.get("f0" * 20, compute)
    results.put((len(computed), picture.body))


def test_the_workers_of_a_machine_compute_a_picture_once(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(4), context.Queue()
    workers = [
        context.Process(target=_worker_asks, args=(str(tmp_path), start, results)) for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    answers = [results.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join(10)
    assert sum(computed for computed, _ in answers) == 1
    assert {body for _, body in answers} == {b'{"answer":42}'}
    assert [p.name for p in tmp_path.glob("*.json")] == ["f0" * 20 + ".json"]


def test_old_pictures_are_removed_as_new_ones_are_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("matchmaker.hubs.picture_cache.FILES_KEPT", 2)
    cache = PictureCache(tmp_path)
    for n, key in enumerate(["a1" * 20, "b2" * 20, "c3" * 20]):
        cache.get(key, lambda n=n: {"version": n})
        time.sleep(0.02)  # distinct modification times
    assert sorted(p.name for p in tmp_path.glob("*.json")) == [
        "b2" * 20 + ".json",
        "c3" * 20 + ".json",
    ]
    assert cache.get("a1" * 20, lambda: {"version": 9}).body == b'{"version":0}'  # kept in memory
    assert PictureCache(tmp_path).get("a1" * 20, lambda: {"version": 9}).body == b'{"version":9}'
