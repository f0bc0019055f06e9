"""Notifications: an inbox row and its email in the outbox, written with the change they
tell about (nothing for a change rolled back), with their subject, text and HTML from the
topic's templates; the queue sends the email once the change commits."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.app import templates_dir
from matchmaker.models import Notification, OutgoingEmail, User
from matchmaker.notifications import notify
from tests.support.exchange_fixtures import MESSAGE, START
from tests.support.mailbox import Mailbox
from tests.support.queue import queued, run_queued_jobs


def residency(message: str = MESSAGE) -> dict[str, str]:
    return {
        "kind": "residency",
        "message": message,
        "starts_on": START.isoformat(),
        "ends_on": (START + timedelta(days=20)).isoformat(),
    }


def test_a_request_writes_the_email_and_the_queue_sends_it_as_text_and_html(
    app: Flask,
    client,
    session: Session,
    people: dict[str, User],
    tokens: dict[str, dict[str, str]],
    mailbox: Mailbox,
) -> None:
    message = MESSAGE + " <b>Tea & cake</b> welcome."
    created = client.post(
        "/api/v1/hubs/south-hub/proposals", json=residency(message), headers=tokens["north"]
    )
    assert created.status_code == 201, created.get_json()
    assert mailbox.messages == []  # the request wrote it; it did not send it
    stored = session.scalar(select(Notification).where(Notification.user_id == people["south"].id))
    email = session.scalar(select(OutgoingEmail))
    assert email.notification_id == stored.id and email.sent_at is None
    assert queued(app) == ["send_emails"]
    assert run_queued_jobs(app) == ["send_emails"]
    (mail,) = mailbox.messages
    assert mail["To"] == "south@x.org" and mail["Message-ID"] == email.message_id
    assert mail["Subject"] == "North Hub proposes a manager residency"
    assert mail.get_content_type() == "multipart/alternative"
    # As the SMTP server received them, with its CRLF line ends read back.
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content().replace("\r\n", "\n")
    link = f"{app.config['BASE_URL']}/exchanges/{created.get_json()['id']}"
    assert message in text and link in text
    assert "&lt;b&gt;Tea &amp; cake&lt;/b&gt;" in html and "<b>" not in html
    assert f'href="{link}"' in html and "North Hub proposes a manager residency" in html
    session.refresh(email)
    assert email.sent_at is not None and email.sending_since is None and email.attempts == 1
    assert text.startswith(stored.body) and html.startswith(stored.body_html)
    assert run_queued_jobs(app) == [] and len(mailbox.messages) == 1


def test_a_refused_request_writes_and_queues_nothing(
    app: Flask,
    client,
    session: Session,
    people: dict[str, User],
    tokens: dict[str, dict[str, str]],
) -> None:
    refused = client.post(
        "/api/v1/hubs/south-hub/proposals", json=residency("short"), headers=tokens["north"]
    )
    assert refused.status_code == 400
    assert session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0
    assert queued(app) == []


def test_a_rolled_back_change_writes_and_queues_nothing(
    app: Flask, session: Session, people: dict[str, User]
) -> None:
    notify(session, [people["south"]], "residency_rejected", reason="Not this year.")
    session.flush()
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Notification)) == 0
    assert session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0
    assert queued(app) == []


def test_only_what_the_outer_transaction_committed_is_queued_and_mailed(
    app: Flask, session: Session, people: dict[str, User], mailbox: Mailbox
) -> None:
    south, north = people["south"], people["north"]
    with session.begin_nested():  # released, then rolled back with the outer transaction
        notify(session, [north], "residency_rejected", reason="Released, not committed.")
    session.rollback()
    notify(session, [south], "residency_rejected", reason="Kept.")
    savepoint = session.begin_nested()
    notify(session, [north], "residency_rejected", reason="Rolled back.")
    session.flush()
    savepoint.rollback()
    session.commit()
    (kept,) = session.scalars(select(OutgoingEmail))
    assert [task.args for task in app.extensions["queue"].huey.pending()] == [([kept.id],)]
    assert run_queued_jobs(app) == ["send_emails"]
    (mail,) = mailbox.messages
    assert mail["To"] == south.email and "Kept." in mail.get_body(("plain",)).get_content()


def test_every_topic_has_a_text_and_an_html_template() -> None:
    folder = templates_dir() / "notifications"
    texts = {path.stem for path in folder.glob("*.txt")}
    pages = {path.stem for path in folder.glob("*.html")} - {"_layout"}
    assert texts == pages and len(texts) >= 15
