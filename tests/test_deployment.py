"""What an administrator installs: production.env.example names only settings the app
reads (and every one of them), reads the same in sh as here, and starts the app;
gunicorn.conf.py gives sane values and serves the app with JSON logs."""

from __future__ import annotations

import json
import os
import re
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from matchmaker import create_app
from matchmaker.config import ConfigError, load_config, log_settings, web_server_settings
from tests.support.log_lines import Lines

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "production.env.example"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
NAME = r"[A-Z][A-Z0-9_]*"
# Values sh and systemd read alike: bare words, or quoted text without $, ` or \.
VALUE = re.compile(r"""[^\s"'$`\\]*|"[^"$`\\]*"|'[^']*'""")
# Read by matchmaker/jobs/ (the queue's branch); drop them from here once it is merged.
ANNOUNCED = {"QUEUE_URL", "QUEUE_EMBEDDED_WORKER"}


def parse_env_file(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """The settings set, and those commented out (`# NAME=default`), failing on any line
    that sh and systemd's EnvironmentFile could read differently."""
    active: dict[str, str] = {}
    commented: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        found = re.fullmatch(rf"(#\s?)?({NAME})=(.*)", line.strip())
        if found is None:
            assert not line.strip() or line.startswith("#"), f"line {number}: {line!r}"
            continue
        comment, name, value = found.groups()
        assert VALUE.fullmatch(value), f"line {number}: quote this value: {line!r}"
        (commented if comment else active)[name] = value.strip("'\"")
    return active, commented


class Recording(dict[str, str]):
    """An environment that remembers every name asked of it."""

    def __init__(self, values: Mapping[str, str] = {}) -> None:
        super().__init__(values)
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.asked.add(str(key))
        return super().__contains__(key)


def settings_the_app_reads(tmp_path: Path) -> set[str]:
    env = Recording({"SECRET_KEY": "k"})
    load_config(env, tmp_path)
    web_server_settings(env, cpu_count=2)
    return env.asked


def test_every_setting_in_the_example_is_one_the_app_reads_and_the_reverse(
    tmp_path: Path,
) -> None:
    active, commented = parse_env_file(EXAMPLE.read_text())
    named = set(active) | set(commented)
    read = settings_the_app_reads(tmp_path)
    assert named - read - ANNOUNCED == set(), "not a setting of matchmaker/config.py"
    assert read - named == set(), "add these settings to production.env.example"
    assert set(active) >= ANNOUNCED
    assert {"DATABASE_URL", "SECRET_KEY", "BASE_URL", "MAIL_FROM", "LOG_FORMAT"} <= set(active)


def test_the_example_holds_no_secret_and_sets_production_values() -> None:
    active, _ = parse_env_file(EXAMPLE.read_text())
    assert active["SECRET_KEY"] == "" and active["SMTP_PASSWORD"] == ""
    assert "FILL-IN" in active["DATABASE_URL"]
    assert active["DATABASE_URL"].startswith("postgresql://")
    assert active["MATCHMAKER_ENV"] == "production" and active["LOG_FORMAT"] == "json"
    assert active["RATE_LIMIT_STORAGE_URI"].startswith("redis://")
    assert active["QUEUE_URL"].startswith("redis://")
    assert active["QUEUE_EMBEDDED_WORKER"] == "false"


def test_the_shell_reads_the_example_as_systemd_does(tmp_path: Path) -> None:
    """The cron file sources it with `set -a; . ./production.env`."""
    active, _ = parse_env_file(EXAMPLE.read_text())
    shell = subprocess.run(
        ["env", "-i", "/bin/sh", "-c", 'set -a; . "$0"; exec env -0', str(EXAMPLE)],
        check=True,
        capture_output=True,
        text=True,
    )
    seen = dict(item.split("=", 1) for item in shell.stdout.split("\0") if "=" in item)
    assert {name: seen.get(name) for name in active} == active


def test_the_app_starts_with_the_example_once_its_blanks_are_filled(
    app: Flask,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    log_lines: Lines,
) -> None:
    active, _ = parse_env_file(EXAMPLE.read_text())
    for name in settings_the_app_reads(tmp_path) | ANNOUNCED:
        monkeypatch.delenv(name, raising=False)
    for name, value in active.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="SECRET_KEY"):  # blank: refuses to start
        create_app(instance_path=str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "f" * 64)
    monkeypatch.setenv("DATABASE_URL", database_url)
    started = create_app(instance_path=str(tmp_path))
    assert started.config["MATCHMAKER_ENV"] == "production"
    assert started.config["SESSION_COOKIE_SECURE"] is True
    assert started.config["MAIL_FROM"] == "Creative Hubs Network <hubs@example.org>"
    assert started.config["TRUSTED_PROXIES"] == 1
    with started.test_client().get("/", headers={"X-Forwarded-Proto": "https"}) as page:
        assert page.status_code == 200
        assert "Strict-Transport-Security" in page.headers
    (access,) = [line for line in log_lines() if line["logger"] == "matchmaker.access"]
    assert access["request_id"] == page.headers["X-Request-ID"]


def gunicorn_settings(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    for name in ("LOG_FORMAT", "LOG_LEVEL", *web_server_settings({}, 1)):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_conf_defaults_are_sane(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = gunicorn_settings({}, monkeypatch)
    cores = len(os.sched_getaffinity(0))
    assert conf["wsgi_app"] == "matchmaker:create_app(migrations=False)"
    assert conf["bind"] == "127.0.0.1:8000"  # never open to the network by default
    assert conf["workers"] == min(2 * cores + 1, 8) and conf["threads"] == 1
    assert conf["timeout"] == 30 and 0 < conf["graceful_timeout"] <= conf["timeout"]
    assert conf["preload_app"] is False and conf["max_requests"] == 0
    assert conf["accesslog"] is None  # the app writes the access lines
    assert conf["logconfig_dict"]["handlers"]["matchmaker"]["log_format"] == "text"


def test_gunicorn_conf_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = gunicorn_settings(
        {
            "WEB_BIND": "10.0.0.11:8000",
            "WEB_WORKERS": "3",
            "WEB_THREADS": "4",
            "WEB_MAX_REQUESTS": "5000",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "warning",
        },
        monkeypatch,
    )
    assert (conf["bind"], conf["workers"], conf["threads"]) == ("10.0.0.11:8000", 3, 4)
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (5000, 500)
    assert conf["loglevel"] == "warning"
    assert conf["logconfig_dict"]["handlers"]["matchmaker"]["log_format"] == "json"


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"WEB_WORKERS": "0"}, "WEB_WORKERS must be 1 or more"),
        ({"WEB_TIMEOUT": "soon"}, "WEB_TIMEOUT must be a whole number"),
        ({"WEB_MAX_REQUESTS": "-1"}, "WEB_MAX_REQUESTS must be 0 or more"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be one of"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be one of text, json"),
    ],
)
def test_a_bad_server_or_log_setting_is_a_clear_error(env: dict[str, str], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        web_server_settings(env, 2)
        log_settings(env)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(app: Flask, database_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """gunicorn with gunicorn.conf.py, as matchmaker-web.service runs it; yields its base
    URL and its log."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **{k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"},
        "DATABASE_URL": database_url,
        "SECRET_KEY": "g" * 64,
        "LOG_FORMAT": "json",
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "2",
    }
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF)],
            cwd=tmp_path,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz-probe", timeout=5).close()
                break
            except urllib.error.HTTPError:  # answered (404): serving
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                time.sleep(0.05)
        yield base, log
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0, log.read_text()


def test_gunicorn_serves_the_app_with_json_lines_and_request_ids(
    served: tuple[str, Path],
) -> None:
    base, log = served
    asked = urllib.request.Request(base + "/", headers={"X-Request-ID": "edge-7f3a9c21"})
    with urllib.request.urlopen(asked, timeout=10) as page:
        assert page.status == 200 and page.headers["X-Request-ID"] == "edge-7f3a9c21"
    time.sleep(0.2)  # the access line is written once the body is sent
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    loggers = {line["logger"] for line in lines}
    assert {"gunicorn.error", "matchmaker.access"} <= loggers
    (access,) = [line for line in lines if line.get("request_id") == "edge-7f3a9c21"]
    assert (access["method"], access["path"], access["status"]) == ("GET", "/", 200)
    assert any("Booting worker" in line["message"] for line in lines)


def test_the_systemd_units_and_cron_read_the_env_file_and_run_the_right_commands() -> None:
    units = ROOT / "scripts" / "scheduling"
    web = (units / "matchmaker-web.service").read_text()
    worker = (units / "matchmaker-worker.service").read_text()
    index = (units / "matchmaker-index.service").read_text()
    for unit in (web, worker, index, (units / "matchmaker-digest.service").read_text()):
        assert "EnvironmentFile=/srv/matchmaker/production.env" in unit
    assert "ExecStart=/srv/matchmaker/.venv/bin/flask --app matchmaker index builder" in index
    assert "ExecStart=/srv/matchmaker/.venv/bin/gunicorn -c /srv/matchmaker/gunicorn.conf.py" in web
    assert "flask --app matchmaker jobs worker --workers" in worker
    # systemd's stop timeout outlasts gunicorn's graceful one.
    stop = int(re.search(r"TimeoutStopSec=(\d+)", web).group(1))  # type: ignore[union-attr]
    assert stop > web_server_settings({}, 1)["WEB_GRACEFUL_TIMEOUT"]
    for line in (units / "matchmaker.cron").read_text().splitlines():
        if "flask" in line and not line.startswith("#"):
            assert "set -a && . ./production.env && set +a &&" in line
