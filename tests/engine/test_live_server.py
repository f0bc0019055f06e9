"""The live index on the real server: gunicorn with two workers and the machine's index
builder (`flask index builder`), on loopback and on a database of its own. A hub renamed
through the API shows under its new name in another hub's suggestions within seconds,
while other managers keep asking, and nobody gets a 5xx meanwhile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from matchmaker.accounts.tokens import create_token
from matchmaker.extensions import db
from matchmaker.models import Role, User
from tests.support.browser_server import demo_app, own_database
from tests.support.served import gunicorn, stop

pytestmark = pytest.mark.skipif(
    not __import__("importlib").util.find_spec("gunicorn"), reason="gunicorn is not installed"
)
WAIT_SECONDS = 30  # a bound for the test, far above what the builder takes


@pytest.fixture
def session() -> None:
    """Not the rolled-back test session: the served app has its own database."""


def call(base: str, token: str, method: str, path: str, body: object = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def tokens(database_url: str, folder: Path) -> tuple[str, list[tuple[str, str]]]:
    """An admin's token, and (hub slug, token) of every manager of the demo."""
    app = demo_app(database_url, folder / "seed")
    with app.app_context():
        session = db.session()
        admin = session.scalars(select(User).where(User.role == Role.ADMIN)).first()
        managers = session.scalars(
            select(User).where(User.role == Role.MANAGER).order_by(User.id)
        ).all()
        result = (
            create_token(session, admin, "live")[1],
            [(m.hub.slug, create_token(session, m, "live")[1]) for m in managers],
        )
        session.commit()
        db.session.remove()
        db.engine.dispose()
    return result


@pytest.mark.parametrize("builder", ["external", "embedded"])
def test_a_renamed_hub_shows_in_suggestions_within_seconds_and_nothing_fails(
    tmp_path: Path, builder: str
) -> None:
    """`external`: `flask index builder` beside the workers; `embedded`: one of the
    workers builds (it holds the machine's lock) and the other reads its files."""
    with own_database(tmp_path) as database_url:
        admin, managers = tokens(database_url, tmp_path)
        env = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "live-secret",
            "INDEX_BUILDER": builder,
            "INDEX_DIR": str(tmp_path / "index"),
            "INDEX_POLL_MS": "200",
            "QUEUE_EMBEDDED_WORKER": "false",
        }
        with (
            builder_process(env, tmp_path, run=builder == "external"),
            gunicorn(env, tmp_path, workers=2) as base,
        ):
            renamed_in_time(base, admin, managers)
        if builder == "external":
            built = (tmp_path / "builder.log").read_text()
            assert "(1 hubs)" in built, built  # the edit was applied, not everything rebuilt
        assert len(list((tmp_path / "index").glob("*/CURRENT"))) == 1


def test_each_worker_loads_the_index_before_it_takes_a_request(tmp_path: Path) -> None:
    """gunicorn.conf.py's `post_worker_init`: no request of a new worker waits while it
    loads the machine's index (about a second at 10,000 hubs). A load inside a request
    logs with its request id; one at the worker's start, or in the background, without."""
    with own_database(tmp_path) as database_url:
        _admin, managers = tokens(database_url, tmp_path)
        env = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "live-secret",
            "INDEX_BUILDER": "external",
            "INDEX_DIR": str(tmp_path / "index"),
            "QUEUE_EMBEDDED_WORKER": "false",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "DEBUG",
        }
        with builder_process(env, tmp_path, run=True):
            deadline = time.monotonic() + WAIT_SECONDS
            while not list((tmp_path / "index").glob("*/CURRENT")):
                assert time.monotonic() < deadline, (tmp_path / "builder.log").read_text()
                time.sleep(0.1)
            with gunicorn(env, tmp_path, workers=2, configured=True) as base:
                for slug, token in managers:
                    path = f"/api/v1/hubs/{slug}/suggestions?kind=shadowing"
                    assert call(base, token, "GET", path)[0] == 200
    lines = [json.loads(line) for line in (tmp_path / "gunicorn.log").read_text().splitlines()]
    booted = {
        int(line["message"].rpartition(" ")[2])
        for line in lines
        if line["message"].startswith("Booting worker with pid")
    }
    loads = [line for line in lines if " loaded in " in line["message"]]
    assert len(booted) == 2 and {line["pid"] for line in loads} >= booted
    assert [line for line in loads if "request_id" in line] == []


@contextmanager
def builder_process(env: dict[str, str], folder: Path, run: bool) -> Iterator[None]:
    if not run:
        yield
        return
    with (folder / "builder.log").open("w") as log:
        builder = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "matchmaker", "index", "builder"],
            env={**os.environ, **env},
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield
        finally:
            stop(builder)


def renamed_in_time(base: str, admin: str, managers: list[tuple[str, str]]) -> None:
    answers = {
        slug: call(base, token, "GET", f"/api/v1/hubs/{slug}/suggestions?kind=shadowing")
        for slug, token in managers
    }
    assert {status for status, _ in answers.values()} == {200}
    watched = next((slug, token) for slug, token in managers if answers[slug][1]["suggestions"])
    path = f"/api/v1/hubs/{watched[0]}/suggestions?kind=shadowing&limit=20"
    first = call(base, watched[1], "GET", path)[1]["suggestions"][0]["slug"]
    statuses: list[int] = []
    done = threading.Event()

    def others() -> None:
        number = 0
        while not done.is_set():
            slug, token = managers[number % len(managers)]
            kind = ("shadowing", "hot_desking", "residency")[number % 3]
            statuses.append(
                call(base, token, "GET", f"/api/v1/hubs/{slug}/suggestions?kind={kind}")[0]
            )
            number += 1

    load = [threading.Thread(target=others) for _ in range(3)]
    for thread in load:
        thread.start()
    try:
        status, _ = call(base, admin, "PATCH", f"/api/v1/hubs/{first}", {"name": "Kiln & Loom"})
        assert status == 200
        deadline = time.monotonic() + WAIT_SECONDS
        names: list[str] = []
        while time.monotonic() < deadline:
            status, data = call(base, watched[1], "GET", path)
            statuses.append(status)
            names = [s["name"] for s in data.get("suggestions", []) if s["slug"] == first]
            if names == ["Kiln & Loom"]:
                break
            time.sleep(0.2)
        assert names == ["Kiln & Loom"]
    finally:
        done.set()
        for thread in load:
            thread.join()
    assert statuses and max(statuses) < 500, sorted(set(statuses))
