"""The app's queue: built from QUEUE_URL, reachable or not (`/healthz`), and the consumer
the app embeds for `make run`, started once in the process that serves (not in the
reloader's parent), sending what a request wrote, and stopping cleanly."""

from __future__ import annotations

import http.cookiejar
import re
import signal
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from huey import RedisHuey, SqliteHuey
from sqlalchemy.orm import Session

from matchmaker.jobs import Queue
from matchmaker.jobs.queue import build_queue, ping
from matchmaker.models import OutgoingEmail, Role, User
from tests.support.mailbox import Mailbox
from tests.support.outbox_fixtures import OutboxDatabase
from tests.support.redis_server import free_port


def test_the_queue_url_chooses_sqlite_or_redis(tmp_path: Path, redis_url: str) -> None:
    embedded = build_queue(f"sqlite:///{tmp_path / 'q.sqlite3'}")
    shared = build_queue(redis_url + "/1")
    assert isinstance(embedded, SqliteHuey) and isinstance(shared, RedisHuey)
    for huey in (embedded, shared):
        ping(huey)  # reachable
    dead = build_queue(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(Exception, match=r"Connection refused|Error"):
        ping(dead)


def test_healthz_names_what_is_unreachable(app: Flask, client, monkeypatch) -> None:
    assert client.get("/healthz").get_json() == {"database": "ok", "queue": "ok"}
    queue: Queue = app.extensions["queue"]
    dead = Queue(build_queue(f"redis://127.0.0.1:{free_port()}/0"), queue.tasks, queue.periodic)
    monkeypatch.setitem(app.extensions, "queue", dead)
    started = time.monotonic()
    answer = client.get("/healthz")
    assert time.monotonic() - started < 5
    assert answer.status_code == 503
    status = answer.get_json()
    assert status["database"] == "ok" and status["queue"].startswith("unreachable")


def test_the_embedded_consumer_of_flask_run_sends_what_a_request_wrote(
    mailbox: Mailbox, outbox_database: OutboxDatabase
) -> None:
    """`flask run` with its reloader (as `make run` with --debug would): the reloader's
    parent serves nothing and starts no consumer; the serving child starts one with its
    first request, and the reset email it wrote reaches the mail server. Ctrl-C stops
    both processes cleanly."""
    with Session(outbox_database.engine) as session:
        session.add(User(email="reader@x.org", role=Role.COORDINATOR, password_hash="unused"))
        session.commit()
    port = free_port()
    env = outbox_database.env
    env.pop("QUEUE_EMBEDDED_WORKER", None)  # the default with the SQLite queue: on
    server = outbox_database.flask(
        "run", "--debug", "--port", str(port), "--host", "127.0.0.1", log="server.log"
    )
    base = f"http://127.0.0.1:{port}"
    try:
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = wait_for(browser, f"{base}/forgot-password", server, outbox_database)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"email": "reader@x.org", "csrf_token": token}).encode()
        with browser.open(f"{base}/forgot-password", data=form, timeout=10) as answer:
            assert answer.status == 200  # followed the redirect to the confirmation
        deadline = time.monotonic() + 30
        while not mailbox.messages:
            assert time.monotonic() < deadline, outbox_database.log("server.log")
            time.sleep(0.1)
        (mail,) = mailbox.messages
        (stored,) = outbox_database.emails()
        assert mail["To"] == "reader@x.org" and mail["Message-ID"] == stored.message_id
        assert isinstance(stored, OutgoingEmail) and stored.sent_at is not None
    finally:
        server.send_signal(signal.SIGINT)
        status = server.wait(timeout=30)
    log = outbox_database.log("server.log")
    assert status == 0 and "Traceback" not in log, log


def wait_for(opener, url: str, server, database: OutboxDatabase) -> str:
    deadline = time.monotonic() + 60
    while True:
        try:
            with opener.open(url, timeout=5) as answer:
                return str(answer.read().decode())
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, database.log("server.log")
            time.sleep(0.2)
