"""Emails in the recipient's language and zone, whoever causes them: a proposal's
notification and the monthly digest reach a Ukrainian-speaking manager in Ukrainian, with
Ukrainian dates, through a real SMTP server on loopback; the proposer's own copy stays
in English, and the calendar file is in the reader's language too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from matchmaker.digest.sending import send_digests
from matchmaker.exchanges.proposals import answer, propose
from matchmaker.models import User
from tests.support.exchange_fixtures import MESSAGE, NOW, RULES, START
from tests.support.mailbox import Mailbox
from tests.support.queue import run_queued_jobs

pytestmark = pytest.mark.usefixtures("fresh_index_cache")


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def days(first: int, last: int) -> dict[str, str]:
    return {
        "starts_on": (START + timedelta(days=first)).isoformat(),
        "ends_on": (START + timedelta(days=last)).isoformat(),
    }


def test_a_notification_reaches_a_ukrainian_manager_in_ukrainian(
    app: Flask, session: Session, people: dict[str, User], mailbox: Mailbox
) -> None:
    people["south"].language, people["south"].time_zone = "uk", "Europe/Kyiv"
    session.commit()
    exchange = propose(
        session,
        people["north"],
        people["south"].hub,
        {"kind": "hot_desking", "message": MESSAGE, **days(0, 4)},
        RULES,
        NOW,
    )
    answer(session, people["south"], exchange, accept=True, now=NOW)
    run_queued_jobs(app)
    proposal = next(m for m in mailbox.messages if m["To"] == "south@x.org")
    assert proposal["Subject"] == "Хаб «North Hub» пропонує обмін (обмін робочими місцями)"
    text = body(proposal)
    start = START.day
    assert f"з {start} " in text and "Будь ласка, дайте відповідь до" in text
    assert "р." in text and "proposes" not in text
    html = proposal.get_body(("html",)).get_content()
    assert '<html lang="uk">' in html and "Відкрити в matchmaker" in html
    scheduled = [m for m in mailbox.messages if m["Subject"].startswith("Заплановано:")]
    assert [m["To"] for m in scheduled] == ["south@x.org"]
    calendar = next(p for p in scheduled[0].walk() if p.get_content_type() == "text/calendar")
    assert "Обмін робочими місцями: North Hub і South Hub" in calendar.get_content()
    english = [m for m in mailbox.messages if m["To"] == "north@x.org"]
    assert english and all("Хаб" not in m["Subject"] for m in english)
    assert any(m["Subject"].startswith("Scheduled:") for m in english)


def test_the_digest_reaches_a_ukrainian_manager_in_ukrainian_with_ukrainian_dates(
    app: Flask, session: Session, people: dict[str, User], mailbox: Mailbox
) -> None:
    people["south"].language = "uk"
    session.commit()
    waiting = propose(
        session,
        people["north"],
        people["south"].hub,
        {"kind": "shadowing", "message": MESSAGE, **days(20, 22)},
        RULES,
        datetime(2027, 2, 5, 9, tzinfo=UTC),
    )
    assert waiting.expires_at is not None
    send_digests(session, app.config, "2027-02", now=datetime(2027, 2, 14, tzinfo=UTC))
    digest = next(m for m in mailbox.messages if m["To"] == "south@x.org")
    assert digest["Subject"] == "matchmaker, лютий 2027: на вас чекає 1 пропозиція"
    text = body(digest)
    assert "matchmaker · лютий 2027" in text
    assert "ЧЕКАЮТЬ НА ВАШУ ВІДПОВІДЬ" in text
    assert "North Hub пропонує обмін (ознайомчий візит), відповідь потрібна до 19 лютого" in text
    assert ">> Дайте відповідь на 1 пропозицію:" in text
    assert "Відписатися:" in text and "Unsubscribe" not in text
