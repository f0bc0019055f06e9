"""Notifications are mailed from one place once their change commits (never for a change
rolled back), with their subject, text and HTML from the topic's templates."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.app import templates_dir
from matchmaker.models import Notification, User
from matchmaker.notifications import MAX_ATTEMPTS, deliver, deliver_committed, notify
from tests.support.exchange_fixtures import MESSAGE, START
from tests.support.mailbox import Mailbox


def residency(message: str = MESSAGE) -> dict[str, str]:
    return {
        "kind": "residency",
        "message": message,
        "starts_on": START.isoformat(),
        "ends_on": (START + timedelta(days=20)).isoformat(),
    }


def test_a_request_mails_what_it_committed_as_text_and_html(
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
    (mail,) = mailbox.messages  # mailed by the app's hook, not by the view
    assert mail["To"] == "south@x.org"
    assert mail["Subject"] == "North Hub proposes a manager residency"
    assert mail.get_content_type() == "multipart/alternative"
    # As the SMTP server received them, with its CRLF line ends read back.
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content().replace("\r\n", "\n")
    link = f"{app.config['BASE_URL']}/exchanges/{created.get_json()['id']}"
    assert message in text and link in text
    assert "&lt;b&gt;Tea &amp; cake&lt;/b&gt;" in html and "<b>" not in html
    assert f'href="{link}"' in html and "North Hub proposes a manager residency" in html
    stored = session.scalar(select(Notification).where(Notification.user_id == people["south"].id))
    assert stored is not None and stored.sent_at is not None
    assert text.startswith(stored.body) and html.startswith(stored.body_html)


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
    notify(session, [people["south"]], "residency_rejected", reason="Not this year.")
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
        notify(session, [north], "residency_rejected", reason="Released, not committed.")
    session.rollback()
    notify(session, [south], "residency_rejected", reason="Kept.")
    savepoint = session.begin_nested()
    notify(session, [north], "residency_rejected", reason="Rolled back.")
    session.flush()
    savepoint.rollback()
    session.commit()
    assert deliver_committed(session, app.config) == (1, 0)
    assert deliver_committed(session, app.config) == (0, 0)  # mailed once
    (mail,) = mailbox.messages
    assert mail["To"] == south.email and "Kept." in mail.get_body(("plain",)).get_content()


def test_every_topic_has_a_text_and_an_html_template() -> None:
    folder = templates_dir() / "notifications"
    texts = {path.stem for path in folder.glob("*.txt")}
    pages = {path.stem for path in folder.glob("*.html")} - {"_layout"}
    assert texts == pages and len(texts) >= 15


def test_a_message_that_cannot_be_built_is_set_aside_and_the_others_go_out(
    app: Flask, session: Session, people: dict[str, User], mailbox: Mailbox
) -> None:
    broken = people["east"]
    broken.email = "east@x.org\r\nBcc: everyone@x.org"  # as if stored before it was checked
    for user in (broken, people["north"]):
        session.add(
            Notification(user_id=user.id, topic="t", subject="Hello", body="Something new.")
        )
    session.commit()
    sent, failed = deliver(session, app.config)
    assert (sent, failed) == (1, 1)
    assert [m["To"] for m in mailbox.messages] == ["north@x.org"]
    set_aside = session.scalar(select(Notification).where(Notification.user_id == broken.id))
    assert set_aside.attempts == MAX_ATTEMPTS and "cannot be built" in set_aside.last_error
    assert deliver(session, app.config) == (0, 0)  # never tried again
