"""Notifications are mailed from one place once their change commits (never for a change
rolled back)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.models import Notification, User
from matchmaker.notifications import deliver_committed, notify
from tests.conftest import Mailbox
from tests.exchange_fixtures import MESSAGE, START


def residency(message: str = MESSAGE) -> dict[str, str]:
    return {
        "kind": "residency",
        "message": message,
        "starts_on": START.isoformat(),
        "ends_on": (START + timedelta(days=20)).isoformat(),
    }


def rejected(session: Session, user: User, reason: str) -> None:
    notify(session, [user], "residency_rejected", "Not approved", reason)


def test_a_request_mails_what_it_committed_once_it_answers(
    app: Flask,
    client,
    session: Session,
    people: dict[str, User],
    tokens: dict[str, dict[str, str]],
    mailbox: Mailbox,
) -> None:
    created = client.post(
        "/api/v1/hubs/south-hub/proposals", json=residency(), headers=tokens["north"]
    )
    assert created.status_code == 201, created.get_json()
    (mail,) = mailbox.messages  # mailed by the app's hook, not by the view
    assert mail["To"] == "south@x.org"
    assert mail["Subject"] == "North Hub proposes a manager residency"
    link = f"{app.config['BASE_URL']}/exchanges/{created.get_json()['id']}"
    assert link in mail.get_content()
    stored = session.scalar(select(Notification).where(Notification.user_id == people["south"].id))
    assert stored is not None and stored.sent_at is not None


def test_a_refused_request_mails_nothing(
    client, people: dict[str, User], tokens: dict[str, dict[str, str]], mailbox: Mailbox
) -> None:
    refused = client.post(
        "/api/v1/hubs/south-hub/proposals", json=residency("short"), headers=tokens["north"]
    )
    assert refused.status_code == 400
    assert mailbox.messages == []


def test_a_rolled_back_change_mails_nothing(
    app: Flask, session: Session, people: dict[str, User], mailbox: Mailbox
) -> None:
    rejected(session, people["south"], "Not this year.")
    session.flush()
    session.rollback()
    assert deliver_committed(session, app.config) == (0, 0)
    assert session.scalar(select(func.count()).select_from(Notification)) == 0
    assert mailbox.messages == []


def test_only_what_the_outer_transaction_committed_is_mailed(
    app: Flask, session: Session, people: dict[str, User], mailbox: Mailbox
) -> None:
    south, north = people["south"], people["north"]
    with session.begin_nested():  # released, then rolled back with the outer transaction
        rejected(session, north, "Released, not committed.")
    session.rollback()
    rejected(session, south, "Kept.")
    savepoint = session.begin_nested()
    rejected(session, north, "Rolled back.")
    session.flush()
    savepoint.rollback()
    session.commit()
    assert deliver_committed(session, app.config) == (1, 0)
    assert deliver_committed(session, app.config) == (0, 0)  # mailed once
    (mail,) = mailbox.messages
    assert mail["To"] == south.email and "Kept." in mail.get_body(("plain",)).get_content()
