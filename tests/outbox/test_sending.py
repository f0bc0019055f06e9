"""The outbox: every email sent once, whoever sends it and whenever a sender dies; what
cannot be built is set aside with its reason, what fails is retried with backoff."""

from __future__ import annotations

import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import OutgoingEmail, User
from matchmaker.outbox import MAX_ATTEMPTS, send_due, write_email
from tests.support.mailbox import Mailbox, SlowMail
from tests.support.outbox_fixtures import OutboxDatabase


def email(session: Session, to: str, subject: str = "Hello") -> OutgoingEmail:
    return write_email(session, topic="t", recipient=to, subject=subject, text="Something new.")


def test_an_email_that_cannot_be_built_is_set_aside_and_the_others_go_out(
    app: Flask, session: Session, people: dict[str, User], mailbox: Mailbox
) -> None:
    email(session, "east@x.org\r\nBcc: everyone@x.org")  # as if stored before it was checked
    email(session, "north@x.org")
    session.commit()
    assert send_due(session, app.config) == (1, 1)
    assert [m["To"] for m in mailbox.messages] == ["north@x.org"]
    set_aside = session.scalar(select(OutgoingEmail).where(OutgoingEmail.sent_at.is_(None)))
    assert "cannot be built" in set_aside.set_aside and set_aside.sending_since is None
    assert send_due(session, app.config) == (0, 0)  # never tried again


def test_an_email_that_keeps_failing_is_set_aside_after_its_last_try(
    app: Flask, session: Session, mailbox: Mailbox
) -> None:
    waiting = email(session, "north@x.org")
    session.commit()
    app.config["SMTP_PORT"], working = 1, app.config["SMTP_PORT"]  # the server is down
    try:
        now = datetime.now(UTC)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            assert send_due(session, app.config, now=now) == (0, 1)
            assert waiting.attempts == attempt
            if attempt < MAX_ATTEMPTS:  # 2 minutes, then doubling
                assert waiting.next_attempt_at == now + timedelta(minutes=2 * 2 ** (attempt - 1))
                now = waiting.next_attempt_at
    finally:
        app.config["SMTP_PORT"] = working
    assert waiting.set_aside.startswith(f"failed {MAX_ATTEMPTS} times: could not send")
    assert send_due(session, app.config, now=now + timedelta(days=30)) == (0, 0)
    assert mailbox.messages == []


def test_a_claim_left_by_a_dead_sender_is_taken_over_once_stale_with_the_same_message_id(
    app: Flask, session: Session, mailbox: Mailbox, monkeypatch
) -> None:
    left = email(session, "north@x.org")
    session.commit()
    # As a sender leaves it when it dies after claiming: marked as being sent, committed.
    left.sending_since, left.attempts = datetime.now(UTC) - timedelta(seconds=30), 1
    session.commit()
    assert send_due(session, app.config) == (0, 0)  # 30 s is fresh for the default 900 s
    monkeypatch.setitem(app.config, "OUTBOX_STALE_SECONDS", 20)
    assert send_due(session, app.config) == (1, 0)
    (mail,) = mailbox.messages
    assert mail["Message-ID"] == left.message_id
    assert left.sent_at is not None and left.sending_since is None and left.attempts == 2


def test_two_senders_at_once_send_every_email_once(
    mailbox: Mailbox, outbox_database: OutboxDatabase, monkeypatch
) -> None:
    """Two `flask notifications send` at once on the same rows (SQLite or PostgreSQL)."""
    monkeypatch.setattr(mailbox, "handle_MAIL", SlowMail(0.05), raising=False)
    written = outbox_database.write(12)
    runs = [outbox_database.flask("notifications", "send", log=f"send{n}.log") for n in (1, 2)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    counts = [outbox_database.log(f"send{n}.log") for n in (1, 2)]
    sent = [int(text.split(" emails sent")[0].split()[-1]) for text in counts]
    assert sum(sent) == 12, counts
    received = Counter(m["Message-ID"] for m in mailbox.messages)
    assert set(received.values()) == {1} and set(received) == {e.message_id for e in written}
    assert all(e.sent_at and e.sending_since is None for e in outbox_database.emails())


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(
    mailbox: Mailbox, outbox_database: OutboxDatabase, monkeypatch
) -> None:
    """SIGKILL of a real queue worker while the mail server holds its third email; once
    the claim is stale (1 s here) the next worker sends it, with the same Message-ID."""
    slow = SlowMail(0.3)
    monkeypatch.setattr(mailbox, "handle_MAIL", slow, raising=False)
    written = outbox_database.write(6)
    # The worker's scheduler sweeps the outbox when it starts (the minute's periodic job).
    first = outbox_database.flask("jobs", "worker", "--workers", "1", log="first.log")
    deadline = time.monotonic() + 60
    while slow.calls < 3:  # two accepted and marked sent; the third claimed, waiting
        assert first.poll() is None, outbox_database.log("first.log")
        assert time.monotonic() < deadline, outbox_database.log("first.log")
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    assert first.wait(timeout=30) == -signal.SIGKILL
    assert len(mailbox.messages) == 2
    states = outbox_database.emails()
    assert [bool(e.sent_at) for e in states] == [True, True, False, False, False, False]
    assert states[2].sending_since is not None and states[2].attempts == 1
    time.sleep(1.2)  # the dead worker's claim turns stale

    # What it was doing is lost with it; the next sweep (enqueued here, as the next
    # minute's schedule would) finds the claimed email stale and sends everything left.
    monkeypatch.setattr(mailbox, "handle_MAIL", SlowMail(0.0), raising=False)
    enqueue_a_sweep(outbox_database)
    second = outbox_database.flask("jobs", "worker", "--workers", "1", log="second.log")
    try:
        while len(mailbox.messages) < 6:
            assert second.poll() is None, outbox_database.log("second.log")
            assert time.monotonic() < deadline + 60, outbox_database.log("second.log")
            time.sleep(0.05)
        time.sleep(0.5)  # nothing more arrives
    finally:
        second.send_signal(signal.SIGTERM)  # finishes the task in hand, then exits
        assert second.wait(timeout=30) == 0, outbox_database.log("second.log")
    received = Counter(m["Message-ID"] for m in mailbox.messages)
    assert set(received.values()) == {1} and set(received) == {e.message_id for e in written}
    again = outbox_database.emails()[2]
    assert again.sent_at is not None and again.attempts == 2


def enqueue_a_sweep(database: OutboxDatabase) -> None:
    """Put a `send_emails` task for every due email on the database's queue, as an app
    configured like its workers does."""
    from matchmaker import create_app

    app = create_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database.env["DATABASE_URL"],
            "QUEUE_URL": database.env["QUEUE_URL"],
        },
        str(database.folder / "enqueuer"),
    )
    with app.app_context():
        app.extensions["queue"].tasks["send_emails"]()
