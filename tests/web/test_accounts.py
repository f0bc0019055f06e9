"""Accounts in the browser's shoes: signing in and out, slowing down guessing, changing
a password, resets and invitations by email through a real SMTP server."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.accounts.links import RESET, change_password, make_link
from matchmaker.accounts.sign_in import FREE_FAILURES, MAX_WAIT, sign_in
from matchmaker.accounts.tokens import create_token, user_for_token
from matchmaker.accounts.users import update_user
from matchmaker.models import OutgoingEmail, Role, SignInFailure, User
from matchmaker.outbox import send_due
from tests.support.english_demo import seed_demo_in_english
from tests.support.queue import run_queued_jobs
from tests.support.web import csrf_token, post_form
from tests.support.web import sign_in as sign_in_through_form


@pytest.fixture
def demo(session: Session) -> None:
    seed_demo_in_english(session, hubs=12, seed=3)


def user(session: Session, email: str) -> User:
    found = session.scalar(select(User).where(User.email == email))
    assert found is not None
    return found


def test_a_manager_signs_in_sees_their_hub_and_signs_out(client, demo):
    sign_in_through_form(client, "manager1@example.org")
    page = client.get("/").get_data(as_text=True)
    assert "My hub" in page and "Sign out" in page
    response = post_form(client, "/sign-out", {})
    assert response.status_code == 302
    assert "Sign in" in client.get("/").get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, demo):
    response = client.post(
        "/sign-in",
        data={
            "email": "manager1@example.org",
            "password": "nope-nope-nope",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 400
    assert "do not match an account" in response.get_data(as_text=True)
    unknown = client.post(
        "/sign-in",
        data={"email": "nobody@example.org", "password": "x", "csrf_token": csrf_token(client)},
    )
    assert "do not match an account" in unknown.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(client, session, demo):
    sign_in_through_form(client, "manager1@example.org")
    hub = user(session, "manager1@example.org").hub
    response = client.post(f"/hubs/{hub.slug}/edit", data={"name": "Hijacked"})
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
    session.expire_all()
    assert user(session, "manager1@example.org").hub.name != "Hijacked"


def test_repeated_failures_are_slowed_down_then_the_real_user_gets_in(session, demo):
    start = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    for attempt in range(FREE_FAILURES):
        result = sign_in(session, "manager1@example.org", "guess", "10.0.0.1", start)
        assert result.user is None and not result.retry_after, attempt
    refused = sign_in(session, "manager1@example.org", "matchmaker-demo", "10.0.0.2", start)
    assert refused.user is None and refused.retry_after > 0
    assert "Too many failed sign-ins" in refused.error
    # Waiting is never longer than MAX_WAIT, and after it the right password works.
    later = start + MAX_WAIT + timedelta(seconds=1)
    accepted = sign_in(session, "manager1@example.org", "matchmaker-demo", "10.0.0.2", later)
    assert accepted.user is not None
    assert not session.scalars(
        select(SignInFailure).where(SignInFailure.key == "email:manager1@example.org")
    ).all()


def test_the_waiting_time_doubles_with_each_failure_up_to_the_cap(session, demo):
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    waits = []
    for _ in range(FREE_FAILURES + 12):
        result = sign_in(session, "manager2@example.org", "guess", "10.0.0.3", now)
        if result.retry_after:
            waits.append(result.retry_after)
            now += timedelta(seconds=result.retry_after)
            sign_in(session, "manager2@example.org", "guess", "10.0.0.3", now)
    assert waits[:3] == [2, 4, 8]
    assert max(waits) == MAX_WAIT.total_seconds()


def test_the_sign_in_page_answers_429_with_retry_after_when_slowed(client, demo):
    for _ in range(FREE_FAILURES):
        client.post(
            "/sign-in",
            data={
                "email": "manager3@example.org",
                "password": "x",
                "csrf_token": csrf_token(client),
            },
        )
    response = client.post(
        "/sign-in",
        data={
            "email": "manager3@example.org",
            "password": "matchmaker-demo",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


def test_remember_me_cookie_is_http_only_and_secure_in_production():
    from pathlib import Path

    from matchmaker.config import load_config

    production = load_config({"MATCHMAKER_ENV": "production", "SECRET_KEY": "k"}, Path("/tmp"))
    assert production["REMEMBER_COOKIE_SECURE"] and production["SESSION_COOKIE_SECURE"]
    assert production["REMEMBER_COOKIE_HTTPONLY"] and production["SESSION_COOKIE_HTTPONLY"]


def test_remember_me_sets_a_long_lived_cookie(client, demo):
    response = client.post(
        "/sign-in",
        data={
            "email": "manager1@example.org",
            "password": "matchmaker-demo",
            "remember": "on",
            "csrf_token": csrf_token(client),
        },
    )
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "Expires=" in remember


def test_changing_the_password_signs_out_other_sessions(app, client, session, demo):
    other = app.test_client()
    sign_in_through_form(client, "manager1@example.org")
    sign_in_through_form(other, "manager1@example.org")
    response = post_form(
        client,
        "/account",
        {
            "current_password": "matchmaker-demo",
            "new_password": "a-new-long-password",
            "confirm_password": "a-new-long-password",
        },
        form_page="/account",
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # this session follows
    assert other.get("/account").status_code == 302  # the other is signed out
    session.expire_all()
    assert user(session, "manager1@example.org").check_password("a-new-long-password")


def test_a_short_new_password_is_refused_next_to_its_field(client, session, demo):
    sign_in_through_form(client, "manager1@example.org")
    response = post_form(
        client,
        "/account",
        {
            "current_password": "matchmaker-demo",
            "new_password": "short",
            "confirm_password": "short",
        },
        form_page="/account",
    )
    assert response.status_code == 400
    assert 'id="new_password-error"' in response.get_data(as_text=True)
    assert "at least 10 characters" in response.get_data(as_text=True)
    session.expire_all()
    assert user(session, "manager1@example.org").check_password("matchmaker-demo")


def test_a_password_reset_link_arrives_by_email_works_once_and_expires(
    app, client, session, demo, mailbox
):
    post_form(client, "/forgot-password", {"email": "Manager1@Example.org"}, "/forgot-password")
    assert mailbox.messages == []  # the request only wrote it to the outbox
    assert run_queued_jobs(app) == ["send_emails"]
    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert message["To"] == "manager1@example.org"
    assert "Reset your matchmaker password" in message["Subject"]
    (link,) = mailbox.links()
    path = link.removeprefix(app.config["BASE_URL"])
    assert client.get(path).status_code == 200
    response = post_form(
        client,
        path,
        {"password": "brand-new-password", "confirm_password": "brand-new-password"},
        form_page=path,
    )
    assert response.status_code == 302
    session.expire_all()
    assert user(session, "manager1@example.org").check_password("brand-new-password")
    again = client.get(path)
    assert again.status_code == 400 and "already been used" in again.get_data(as_text=True)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(app, client, session, demo, mailbox):
    response = post_form(
        client, "/forgot-password", {"email": "who@example.org"}, "/forgot-password"
    )
    assert response.status_code == 302
    assert session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0
    assert run_queued_jobs(app) == [] and mailbox.messages == []


def test_a_reset_answers_at_once_while_the_mail_server_hangs_and_is_sent_later(
    app, client, session, demo, mailbox
):
    """No request talks to a mail server: with one that accepts connections and never
    answers (a request would wait for SMTP's 30 s timeout), the reset still answers at
    once; the email waits in the outbox and the queue sends it once a server answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        working = app.config["SMTP_PORT"]
        app.config["SMTP_PORT"] = silent.getsockname()[1]
        try:
            started = time.monotonic()
            response = post_form(
                client, "/forgot-password", {"email": "manager1@example.org"}, "/forgot-password"
            )
            took = time.monotonic() - started
        finally:
            app.config["SMTP_PORT"] = working
    assert response.status_code == 302 and took < 5, took
    (waiting,) = session.scalars(select(OutgoingEmail))
    assert waiting.recipient == "manager1@example.org" and waiting.sent_at is None
    assert run_queued_jobs(app) == ["send_emails"]
    (message,) = mailbox.messages
    assert message["Message-ID"] == waiting.message_id and "/reset-password/" in mailbox.links()[0]


def test_an_expired_or_tampered_reset_link_is_refused(app, client, session, demo, monkeypatch):
    manager = user(session, "manager1@example.org")
    link = make_link(app.config, RESET, manager).removeprefix(app.config["BASE_URL"])
    tampered = client.get(link[:-3] + "abc")
    assert tampered.status_code == 400 and "not valid" in tampered.get_data(as_text=True)
    import itsdangerous.timed

    real_now = itsdangerous.timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(
        itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: real_now(self) - 3 * 3600
    )
    old = make_link(app.config, RESET, manager).removeprefix(app.config["BASE_URL"])
    monkeypatch.undo()
    expired = client.get(old)
    assert expired.status_code == 400 and "expired" in expired.get_data(as_text=True)


def test_a_coordinator_invites_a_manager_who_sets_a_password_and_signs_in(
    app, client, session, demo, mailbox
):
    hub = user(session, "manager2@example.org").hub
    user(session, "coordinator@example.org").language = "en"  # the invitation is in theirs
    session.commit()
    sign_in_through_form(client, "coordinator@example.org")
    response = post_form(
        client,
        "/people/invite",
        {"email": "new.manager@example.org", "name": "Ana", "role": "manager", "hub": hub.slug},
        form_page="/people/",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    invited = user(session, "new.manager@example.org")
    assert invited.invited_at is not None and invited.role is Role.MANAGER
    run_queued_jobs(app)
    (link,) = mailbox.links()
    assert (
        "invites you to matchmaker as manager of"
        in mailbox.messages[0].get_body(("plain",)).get_content()
    )
    post_form(client, "/sign-out", {})
    path = link.removeprefix(app.config["BASE_URL"])
    response = post_form(
        client, path, {"password": "ana-password-1", "confirm_password": "ana-password-1"}, path
    )
    assert response.status_code == 302
    assert "My hub" in client.get("/").get_data(as_text=True)
    session.expire_all()
    assert user(session, "new.manager@example.org").invited_at is None


def test_an_invitation_while_the_mail_server_is_down_is_sent_when_it_is_back(
    app, client, session, demo, mailbox
):
    """The account and its email are stored together; the queue retries the email (with
    backoff) until the server takes it."""
    hub = user(session, "manager2@example.org").hub
    working = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1  # nothing listens there
    try:
        sign_in_through_form(client, "coordinator@example.org")
        response = post_form(
            client,
            "/people/invite",
            {"email": "later@example.org", "role": "manager", "hub": hub.slug},
            "/people/",
        )
        assert response.status_code == 302
        assert run_queued_jobs(app) == ["send_emails"]  # it fails: the server is down
    finally:
        app.config["SMTP_PORT"] = working
    assert session.scalar(select(User).where(User.email == "later@example.org")) is not None
    (waiting,) = session.scalars(select(OutgoingEmail))
    assert waiting.sent_at is None and waiting.attempts == 1 and waiting.next_attempt_at
    assert mailbox.messages == []
    assert send_due(session, app.config, now=waiting.next_attempt_at) == (1, 0)
    assert [m["To"] for m in mailbox.messages] == ["later@example.org"]


def test_a_bad_invitation_is_refused_next_to_its_field(client, session, demo, mailbox):
    sign_in_through_form(client, "coordinator@example.org")
    response = post_form(
        client,
        "/people/invite",
        {"email": "not-an-email", "role": "manager", "hub": "x"},
        "/people/",
    )
    assert response.status_code == 400
    assert "is not an email address" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0


def test_only_an_admin_changes_roles_and_cannot_demote_themselves(client, session, demo):
    manager = user(session, "manager2@example.org")
    sign_in_through_form(client, "coordinator@example.org")
    refused = post_form(
        client, f"/people/{manager.id}", {"role": "admin", "active": "on"}, "/people/"
    )
    assert refused.status_code == 403
    post_form(client, "/sign-out", {})
    sign_in_through_form(client, "admin@example.org")
    admin = user(session, "admin@example.org")
    own = post_form(
        client,
        f"/people/{admin.id}",
        {"role": "manager", "hub": manager.hub.slug, "active": "on"},
        "/people/",
    )
    assert own.status_code == 400 and "your own admin rights" in own.get_data(as_text=True)
    # The summary names the field as people read it and links to it, no internal key.
    summary = own.get_data(as_text=True).split('class="error-summary"')[1].split("</div>")[0]
    assert f'<a href="#role-{admin.id}">Role of admin@example.org</a>' in summary
    switched_off = post_form(
        client,
        f"/people/{manager.id}",
        {"role": "manager", "hub": manager.hub.slug},
        "/people/",
    )
    assert switched_off.status_code == 302
    session.expire_all()
    assert not user(session, "manager2@example.org").is_active
    result = sign_in(session, "manager2@example.org", "matchmaker-demo", "10.1.1.1")
    assert result.user is None and "switched off" in result.error


# Accounts under attack: nothing tells who has an account, and a stolen cookie or token
# stops working when its owner signs out, changes or resets the password, or is switched off.


def test_a_copied_session_cookie_stops_working_after_sign_out(app, client, demo):
    sign_in_through_form(client, "manager1@example.org")
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert thief.get("/account").status_code == 200  # the copy works while signed in
    assert post_form(client, "/sign-out", {}).status_code == 302
    assert thief.get("/account").status_code == 302  # sent to sign in


def test_tokens_die_with_a_password_change(session, demo):
    manager = user(session, "manager1@example.org")
    _, secret = create_token(session, manager, "laptop")
    change_password(session, manager, "matchmaker-demo", "a-new-long-password")
    assert user_for_token(session, secret) is None


def test_tokens_die_with_a_password_reset(app, client, session, demo, mailbox):
    manager = user(session, "manager1@example.org")
    _, secret = create_token(session, manager, "laptop")
    post_form(client, "/forgot-password", {"email": "manager1@example.org"}, "/forgot-password")
    run_queued_jobs(app)
    (link,) = mailbox.links()
    path = link.removeprefix(app.config["BASE_URL"])
    form = {"password": "a-new-long-password", "confirm_password": "a-new-long-password"}
    assert post_form(client, path, form, path).status_code == 302
    assert user_for_token(session, secret) is None


def test_tokens_stay_dead_after_the_account_is_switched_off_and_on(session, demo):
    manager, admin = user(session, "manager1@example.org"), user(session, "admin@example.org")
    _, secret = create_token(session, manager, "laptop")
    hub = manager.hub.slug
    update_user(session, admin, manager.id, "manager", hub, active=False)
    update_user(session, admin, manager.id, "manager", hub, active=True)
    assert user_for_token(session, secret) is None
    assert user_for_token(session, create_token(session, manager, "new")[1]) == manager


def test_forgot_password_answers_the_same_whatever_the_account_and_the_mail_server(
    app, client, demo
):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1)  # nothing listens there
    try:
        answers = [
            post_form(client, "/forgot-password", {"email": email}, "/forgot-password")
            for email in ("manager1@example.org", "nobody@example.org")
        ]
    finally:
        app.config.update(SMTP_HOST="localhost", SMTP_PORT=25)
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]


def test_a_wrong_password_takes_as_long_for_an_unknown_address(session, demo):
    def slowest_of_three(email: str) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            result = sign_in(session, email, "not the password", "203.0.113.9")
            times.append(time.perf_counter() - started)
            assert result.user is None
        return min(times)

    known, unknown = (
        slowest_of_three("manager1@example.org"),
        slowest_of_three("nobody@example.org"),
    )
    # Both check a scrypt hash (tens of milliseconds); before, the unknown one took ~4 ms.
    assert unknown > 0.5 * known
