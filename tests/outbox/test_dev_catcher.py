"""`make run`'s server (`flask dev-server`) catches the mail it causes and shows it at
/dev/mail, with links to the port it really serves on; elsewhere /dev/mail is a 404."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.support.browser_server import own_database
from tests.support.served import free_port

ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _flask(env: dict[str, str], *args: str, **popen: object) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "flask", "--app", "matchmaker", *args]
    return subprocess.Popen(command, env=env, cwd=ROOT, **popen)  # type: ignore[call-overload, no-any-return]


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The development server on a database of its own, with one admin; yields its
    address and its mail folder."""
    with own_database(tmp_path) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "dev-catcher-secret",
            "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
            "INDEX_DIR": str(tmp_path / "index"),
            "QUEUE_EMBEDDED_WORKER": "true",  # as in `make run` (the tests turn it off)
        }
        env.pop("BASE_URL", None)
        assert _flask(env, "db", "upgrade", stdout=subprocess.DEVNULL).wait(timeout=120) == 0
        created = _flask(
            env,
            "users",
            "create",
            "--email",
            "ada@example.org",
            "--role",
            "admin",
            "--password",
            "correct horse battery",
            stdout=subprocess.DEVNULL,
        )
        assert created.wait(timeout=120) == 0
        port, mail_dir = free_port(), tmp_path / "mail"
        log = (tmp_path / "server.log").open("wb")
        server = _flask(
            env,
            "dev-server",
            "--port",
            str(port),
            "--mail-port",
            str(free_port()),
            "--mail-dir",
            str(mail_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail((tmp_path / "server.log").read_text())
            yield base, mail_dir
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()


def test_a_reset_asked_on_the_dev_server_is_read_at_dev_mail(
    dev_server: tuple[str, Path],
) -> None:
    base, mail_dir = dev_server
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    form = browser.open(f"{base}/forgot-password").read().decode()
    token = TOKEN.search(form)
    assert token
    body = urllib.parse.urlencode({"email": "ada@example.org", "csrf_token": token.group(1)})
    started = time.monotonic()
    answer = browser.open(f"{base}/forgot-password", data=body.encode())
    assert answer.status == 200
    assert time.monotonic() - started < 5  # the request never waits for the mail server

    listing = ""
    for _ in range(200):  # the embedded queue sends it within a few seconds
        listing = browser.open(f"{base}/dev/mail/").read().decode()
        if "ada@example.org" in listing:
            break
        time.sleep(0.1)
    assert "ada@example.org" in listing, listing
    link = re.search(r'href="(/dev/mail/[^"]+)"', listing)
    assert link
    message = browser.open(base + link.group(1)).read().decode()
    assert f"{base}/reset-password/" in message  # the port really served, not :5000
    assert len(list((mail_dir / "new").iterdir())) == 1


def test_dev_mail_is_a_404_unless_the_dev_server_runs(client: FlaskClient) -> None:
    assert client.get("/dev/mail/").status_code == 404
    assert client.get("/dev/mail/anything").status_code == 404
