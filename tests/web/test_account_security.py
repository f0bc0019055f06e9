"""Accounts under attack: nothing tells who has an account, and a stolen cookie or token
stops working when its owner signs out, changes or resets the password, or is switched off."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.accounts.links import change_password
from matchmaker.accounts.sign_in import sign_in
from matchmaker.accounts.tokens import create_token, user_for_token
from matchmaker.accounts.users import update_user
from matchmaker.demo.seed import seed_demo
from matchmaker.models import User
from tests.support.web import post_form
from tests.support.web import sign_in as sign_in_through_form

MANAGER = "manager1@example.org"


@pytest.fixture
def demo(session: Session) -> None:
    seed_demo(session, hubs=12, seed=3)


def user(session: Session, email: str) -> User:
    found = session.scalar(select(User).where(User.email == email))
    assert found is not None
    return found


def test_a_copied_session_cookie_stops_working_after_sign_out(app, client, demo):
    sign_in_through_form(client, MANAGER)
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert thief.get("/account").status_code == 200  # the copy works while signed in
    assert post_form(client, "/sign-out", {}).status_code == 302
    assert thief.get("/account").status_code == 302  # sent to sign in


def test_tokens_die_with_a_password_change(session, demo):
    manager = user(session, MANAGER)
    _, secret = create_token(session, manager, "laptop")
    change_password(session, manager, "matchmaker-demo", "a-new-long-password")
    assert user_for_token(session, secret) is None


def test_tokens_die_with_a_password_reset(app, client, session, demo, mailbox):
    manager = user(session, MANAGER)
    _, secret = create_token(session, manager, "laptop")
    post_form(client, "/forgot-password", {"email": MANAGER}, "/forgot-password")
    (link,) = mailbox.links()
    path = link.removeprefix(app.config["BASE_URL"])
    form = {"password": "a-new-long-password", "confirm_password": "a-new-long-password"}
    assert post_form(client, path, form, path).status_code == 302
    assert user_for_token(session, secret) is None


def test_tokens_stay_dead_after_the_account_is_switched_off_and_on(session, demo):
    manager, admin = user(session, MANAGER), user(session, "admin@example.org")
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
            for email in (MANAGER, "nobody@example.org")
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

    known, unknown = slowest_of_three(MANAGER), slowest_of_three("nobody@example.org")
    # Both check a scrypt hash (tens of milliseconds); before, the unknown one took ~4 ms.
    assert unknown > 0.5 * known
