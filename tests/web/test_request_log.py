"""Every request has an id, taken from a sane `X-Request-ID` or made, sent back, and
carried by every line logged while it runs, down to its access line and its traceback."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask, request
from sqlalchemy.orm import Session

from matchmaker import create_app
from matchmaker.accounts.tokens import create_token
from matchmaker.extensions import db
from matchmaker.models import Role
from tests.conftest import TEST_CONFIG
from tests.support.builders import person
from tests.support.log_lines import Lines

MADE_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(scope="module")
def noisy_app(
    app: Flask, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The app with two routes of its own: one that logs, one that fails. Errors are
    answered and logged as in production, not raised into the test."""
    built = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_EXCEPTIONS": False},
        str(tmp_path_factory.mktemp("noisy")),
    )

    @built.get("/chatty")
    def chatty() -> str:
        logging.getLogger("matchmaker.hubs").info("looking at %s", request.args.get("n"))
        logging.getLogger("some.library").warning("a library speaks")
        return "ok"

    @built.get("/boom")
    def boom() -> str:
        raise RuntimeError("kaboom\nsecond line of the message")

    yield built
    with built.app_context():
        db.engine.dispose()


def access_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "matchmaker.access"]


def test_every_line_of_a_request_carries_its_id_and_the_id_is_sent_back(
    noisy_app: Flask, log_lines: Lines
) -> None:
    with noisy_app.test_client().get("/chatty?n=7", headers={"X-Request-ID": "lb-0a1b2c3d"}) as r:
        assert r.headers["X-Request-ID"] == "lb-0a1b2c3d"
    lines = log_lines()
    assert [line["logger"] for line in lines] == [
        "matchmaker.hubs",
        "some.library",
        "matchmaker.access",
    ]
    assert {line["request_id"] for line in lines} == {"lb-0a1b2c3d"}
    assert lines[0]["message"] == "looking at 7"
    assert lines[0]["level"] == "INFO" and lines[1]["level"] == "WARNING"
    (access,) = access_lines(lines)
    assert access["method"] == "GET" and access["path"] == "/chatty"  # no query string
    assert access["status"] == 200 and access["duration_ms"] >= 0
    assert "user_id" not in access  # nobody signed in


def test_without_an_incoming_id_one_is_made_and_each_request_has_its_own(
    noisy_app: Flask, log_lines: Lines
) -> None:
    client = noisy_app.test_client()
    sent = []
    for _ in range(2):
        with client.get("/chatty") as response:
            sent.append(response.headers["X-Request-ID"])
    assert all(MADE_ID.fullmatch(value) for value in sent) and sent[0] != sent[1]
    assert [line["request_id"] for line in access_lines(log_lines())] == sent


@pytest.mark.parametrize(
    "incoming",
    ["short", "x" * 129, "has space-1234", 'quote"d-12345', "semi;colon-1234", "é-accented-1"],
)
def test_an_id_that_is_not_a_sane_token_is_replaced(
    noisy_app: Flask, log_lines: Lines, incoming: str
) -> None:
    with noisy_app.test_client().get("/chatty", headers={"X-Request-ID": incoming}) as r:
        sent = r.headers["X-Request-ID"]
    assert MADE_ID.fullmatch(sent)
    assert {line["request_id"] for line in log_lines()} == {sent}


def test_an_exception_is_one_json_line_with_its_traceback_and_the_request_id(
    noisy_app: Flask, log_lines: Lines
) -> None:
    with noisy_app.test_client().get("/boom", headers={"X-Request-ID": "req-boom-0001"}) as r:
        assert r.status_code == 500
    lines = log_lines()  # every line parsed as one JSON object, tracebacks included
    (error,) = [line for line in lines if line["level"] == "ERROR"]
    assert error["request_id"] == "req-boom-0001" and error["path"] == "/boom"
    assert error["exception"].startswith("Traceback (most recent call last):")
    assert "RuntimeError: kaboom\nsecond line of the message" in error["exception"]
    (access,) = access_lines(lines)
    assert (access["status"], access["level"]) == (500, "WARNING")


def test_the_access_line_names_the_signed_in_user(
    client, session: Session, log_lines: Lines
) -> None:
    user = person(session, "logged@example.org", Role.COORDINATOR)
    session.flush()
    _token, secret = create_token(session, user, "logs")
    with client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}) as r:
        assert r.status_code == 200
    (access,) = access_lines(log_lines())
    assert access["user_id"] == user.id and access["path"] == "/api/v1/me"


def test_a_secret_in_a_link_never_reaches_the_log(client, log_lines: Lines) -> None:
    with client.get("/reset-password/s3cret-reset-token-value") as r:
        assert r.status_code in (200, 302, 400, 404)
    lines = log_lines()
    assert "s3cret-reset-token-value" not in str(lines)
    assert access_lines(lines)[0]["path"] == "/reset-password/[redacted]"


def test_requests_served_side_by_side_keep_their_own_ids(
    noisy_app: Flask, log_lines: Lines
) -> None:
    def fetch(n: int) -> None:
        with noisy_app.test_client().get(
            f"/chatty?n={n}", headers={"X-Request-ID": f"parallel-{n:04d}"}
        ):
            pass

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(fetch, range(32)))
    said = [line for line in log_lines() if line["logger"] == "matchmaker.hubs"]
    assert len(said) == 32
    for line in said:
        n = int(line["message"].removeprefix("looking at "))
        assert line["request_id"] == f"parallel-{n:04d}"
