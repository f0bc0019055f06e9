"""Rate limits (issue 14): password resets per address and per email, sign-in attempts
per address, invitations per inviting user, the API per token, answered with 429 and
Retry-After; and, against a real Redis server, one budget for every worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from limits.storage import RedisStorage
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker import create_app
from matchmaker.accounts.tokens import create_token
from matchmaker.accounts.users import create_user
from matchmaker.demo.generator import DEMO_PASSWORD
from matchmaker.extensions import db
from matchmaker.models import Role, SignInFailure, User
from tests.conftest import TEST_CONFIG
from tests.support.mailbox import Mailbox
from tests.support.queue import run_queued_jobs
from tests.support.redis_server import free_port
from tests.support.web import post_form
from tests.support.web import sign_in as sign_in_through_form

PERSON = "reset.me@example.org"


@pytest.fixture
def lowered(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], None]]:
    """Sets a limit for this test only, with every counter empty before and after (the
    session's app, and its in-memory counts, serve every test)."""

    def reset_counters() -> None:
        for limiter in app.extensions["limiter"]:
            limiter.reset()

    def lower(name: str, value: str) -> None:
        monkeypatch.setitem(app.config, name, value)

    reset_counters()
    yield lower
    reset_counters()


def at(client: FlaskClient, address: str) -> FlaskClient:
    client.environ_base["REMOTE_ADDR"] = address
    return client


def person(session: Session, email: str, role: Role = Role.COORDINATOR) -> User:
    user = create_user(session, email, role, DEMO_PASSWORD)
    session.commit()
    return user


def reset(client: FlaskClient, email: str):
    return post_form(client, "/forgot-password", {"email": email}, "/forgot-password")


def delivered(app: Flask, mailbox: Mailbox) -> int:
    """Emails received once the queue has sent what the requests wrote to the outbox."""
    run_queued_jobs(app)
    return len(mailbox.messages)


def wait_of(response) -> int:
    """The Retry-After header, which must be a whole number of seconds."""
    assert response.status_code == 429, response.get_data(as_text=True)
    return int(response.headers["Retry-After"])


def test_the_sixth_reset_in_an_hour_from_one_address_is_refused_and_sends_nothing(
    app, client, session, mailbox: Mailbox, lowered
):
    lowered("RATE_LIMIT_RESET", "5 per hour")
    person(session, PERSON)
    at(client, "203.0.113.7")
    answers = [reset(client, PERSON) for _ in range(5)]
    assert [a.status_code for a in answers] == [302] * 5
    assert delivered(app, mailbox) == 5
    refused = reset(client, PERSON)
    assert 3500 < wait_of(refused) <= 3600
    assert "Too many requests" in refused.get_data(as_text=True)
    assert refused.mimetype == "text/html"
    assert delivered(app, mailbox) == 5


def test_one_address_asking_for_many_emails_is_limited(app, client, session, mailbox, lowered):
    lowered("RATE_LIMIT_RESET", "5 per hour")
    person(session, PERSON)
    at(client, "203.0.113.8")
    for n in range(5):
        assert reset(client, f"nobody{n}@example.org").status_code == 302
    wait_of(reset(client, PERSON))
    assert delivered(app, mailbox) == 0
    # Another address may still ask.
    assert reset(at(client, "203.0.113.9"), PERSON).status_code == 302
    assert delivered(app, mailbox) == 1


def test_one_email_asked_for_from_many_addresses_is_limited(app, client, session, mailbox, lowered):
    lowered("RATE_LIMIT_RESET", "5 per hour")
    person(session, PERSON)
    for n in range(5):
        # The email is normalised as the account is looked up: one inbox, one budget.
        email = PERSON.upper() if n % 2 else f"  {PERSON} "
        assert reset(at(client, f"198.51.100.{n}"), email).status_code == 302
    assert delivered(app, mailbox) == 5
    wait_of(reset(at(client, "198.51.100.99"), PERSON))
    assert delivered(app, mailbox) == 5


def test_sign_in_attempts_are_limited_per_address_before_the_password_is_checked(
    client, session, lowered
):
    lowered("RATE_LIMIT_SIGN_IN", "3 per minute")
    person(session, "someone@example.org")
    at(client, "203.0.113.20")
    wrong = {"email": "someone@example.org", "password": "not the password"}
    for _ in range(3):
        assert post_form(client, "/sign-in", wrong, "/sign-in").status_code == 400
    refused = post_form(client, "/sign-in", wrong, "/sign-in")
    assert 0 < wait_of(refused) <= 60
    # Showing the form is not an attempt; the refused try never reached the database's
    # failure throttle (3 failures, each stored per email and per address).
    assert client.get("/sign-in").status_code == 200
    assert session.scalar(select(func.count()).select_from(SignInFailure)) == 6
    # Another address still signs in.
    sign_in_through_form(at(client, "203.0.113.21"), "someone@example.org")


def test_invitations_are_limited_per_inviting_user(client, app, session, mailbox, lowered):
    lowered("RATE_LIMIT_INVITE", "2 per hour")
    person(session, "first.coordinator@example.org")
    person(session, "second.coordinator@example.org")

    def invite(email: str):
        return post_form(
            client, "/people/invite", {"email": email, "role": "coordinator"}, "/people/"
        )

    sign_in_through_form(client, "first.coordinator@example.org")
    assert [invite(f"new{n}@example.org").status_code for n in range(2)] == [302, 302]
    wait_of(invite("new2@example.org"))
    assert delivered(app, mailbox) == 2
    assert session.scalar(select(User).where(User.email == "new2@example.org")) is None
    # The other coordinator, from the same address, has a budget of their own.
    post_form(client, "/sign-out", {})
    sign_in_through_form(client, "second.coordinator@example.org")
    assert invite("new3@example.org").status_code == 302


def test_each_api_token_has_its_own_budget(client, session, lowered):
    lowered("RATE_LIMIT_API", "3 per minute")
    user = person(session, "api.user@example.org")
    (_, first), (_, second) = create_token(session, user, "a"), create_token(session, user, "b")
    session.commit()
    at(client, "203.0.113.30")

    def me(secret: str):
        return client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})

    assert [me(first).status_code for _ in range(3)] == [200] * 3
    refused = me(first)
    assert 0 < wait_of(refused) <= 60
    assert refused.is_json and refused.get_json()["error"] == "Too many requests"
    assert [me(second).status_code for _ in range(3)] == [200] * 3
    wait_of(me(second))


def test_guessing_api_tokens_is_limited_per_address(client, session, lowered):
    """Refusals count per address, so each guess is not a fresh budget; a valid token at
    the same address keeps its own budget (someone guessing behind an office's address
    does not lock its people out)."""
    lowered("RATE_LIMIT_API", "3 per minute")
    user = person(session, "api.neighbour@example.org")
    _, valid = create_token(session, user, "neighbour")
    session.commit()
    at(client, "203.0.113.40")
    for n in range(3):
        answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer mm_guess{n}"})
        assert answer.status_code == 401
    for guess in ("mm_guess-again", "not-even-a-token", ""):
        wait_of(client.get("/api/v1/me", headers={"Authorization": f"Bearer {guess}"}))
    wait_of(client.get("/api/v1/me"))
    mine = client.get("/api/v1/me", headers={"Authorization": f"Bearer {valid}"})
    assert mine.status_code == 200 and mine.get_json()["email"] == "api.neighbour@example.org"


def test_static_files_are_not_limited(client, lowered):
    lowered("RATE_LIMIT_API", "1 per minute")
    lowered("RATE_LIMIT_SIGN_IN", "1 per minute")
    css = next(Path(client.application.static_folder or "").glob("*.css")).name
    for _ in range(5):
        with client.get(f"/static/{css}") as answer:
            assert answer.status_code == 200


# --- storage shared by all workers: a real Redis server on loopback --------------------


def worker(database_url: str, storage: str, folder: Path) -> Flask:
    """One app, as one gunicorn worker builds it."""
    return create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATE_LIMIT_STORAGE_URI": storage,
            "RATE_LIMIT_API": "4 per minute",
        },
        str(folder),
    )


def close(app: Flask) -> None:
    """Close the app's Redis connections and database engine (no unclosed sockets)."""
    for limiter in app.extensions["limiter"]:
        if isinstance(limiter.storage, RedisStorage):
            limiter.storage.storage.close()
            limiter.storage.storage.connection_pool.disconnect()
    with app.app_context():
        db.engine.dispose()


def test_two_workers_share_one_budget_in_redis(
    redis_url: str, database_url: str, session, tmp_path: Path
):
    user = person(session, "worker.user@example.org")
    _, secret = create_token(session, user, "shared")
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    apps = [worker(database_url, redis_url, tmp_path / name) for name in ("one", "two")]
    try:
        one, two = (app.test_client() for app in apps)
        answers = [c.get("/api/v1/me", headers=headers).status_code for c in (one, two) * 2]
        assert answers == [200] * 4
        # Each worker alone has used 2 of 4: only a shared count refuses the fifth.
        wait_of(one.get("/api/v1/me", headers=headers))
        wait_of(two.get("/api/v1/me", headers=headers))
    finally:
        for app in apps:
            close(app)


def test_workers_with_memory_storage_count_alone(database_url: str, session, tmp_path: Path):
    """Why production needs Redis: `memory://` counts per process."""
    user = person(session, "alone.user@example.org")
    _, secret = create_token(session, user, "alone")
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    apps = [worker(database_url, "memory://", tmp_path / name) for name in ("one", "two")]
    try:
        one, two = (app.test_client() for app in apps)
        answers = [c.get("/api/v1/me", headers=headers).status_code for c in (one, two) * 3]
        assert answers == [200] * 6
    finally:
        for app in apps:
            close(app)


def test_a_worker_that_loses_redis_keeps_limiting_on_its_own(
    database_url: str, session, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    """Redis down (nothing listens on the port) is no reason to answer 500: the worker
    counts in its own memory, says so in the log, and goes back to Redis when it returns."""
    user = person(session, "no.redis@example.org")
    _, secret = create_token(session, user, "no-redis")
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    app = worker(database_url, f"redis://127.0.0.1:{free_port()}", tmp_path)
    try:
        client = app.test_client()
        answers = [client.get("/api/v1/me", headers=headers).status_code for _ in range(4)]
        assert answers == [200] * 4
        wait_of(client.get("/api/v1/me", headers=headers))
        assert "falling back to in-memory storage" in caplog.text
    finally:
        close(app)
