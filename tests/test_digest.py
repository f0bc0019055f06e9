"""The monthly digest, sent to a real SMTP server on loopback: content per role, the skip
rules, both parts and the headers, one-click unsubscribe, idempotency (also after a crash
in the middle), retries, and the dry run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.demo.seed import seed_demo
from matchmaker.digest_mail import person_token
from matchmaker.digest_send import send_digests
from matchmaker.exchanges import answer, propose
from matchmaker.models import DeliveryState, DigestDelivery, SuggestionImpression, User
from matchmaker.suggestions import INDEXES
from tests.exchange_fixtures import MESSAGE, RULES

PERIOD = "2026-11"


pytestmark = pytest.mark.usefixtures("fresh_index_cache")


@pytest.fixture
def demo(app, session: Session) -> dict[str, User]:
    seed_demo(session, hubs=16, seed=4)
    app.config["DIGEST_RETRY_SECONDS"] = 0.01
    return {u.email.split("@")[0]: u for u in session.scalars(select(User))}


def recipients_of(mailbox) -> list[str]:
    return sorted(m["To"] for m in mailbox.messages)


def test_managers_get_their_new_matches_with_a_reason_and_a_link(app, session, demo, mailbox):
    summary = send_digests(session, app.config, PERIOD)
    assert summary.ok and summary.sent == 3
    assert recipients_of(mailbox) == ["manager1@example.org", "manager2@example.org",
                                      "manager3@example.org"]  # fmt: skip
    assert summary.skipped == {"nothing new to tell": 2}  # coordinator and admin: nothing waits
    message = next(m for m in mailbox.messages if m["To"] == "manager1@example.org")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    hub = demo["manager1"].hub
    assert f"For {hub.name}" in text and "NEW MATCHES FOR YOUR HUB" in text
    assert " meets your need “" in text or "You both work in" in text
    assert f"{app.config['BASE_URL']}/hubs/" in text
    assert "New matches for your hub" in html and 'style="' in html
    assert message["Subject"] == f"matchmaker, November 2026: 3 new matches for {hub.name}"


def test_headers_and_both_parts(app, session, demo, mailbox):
    send_digests(session, app.config, PERIOD)
    message = mailbox.messages[0]
    assert message["From"] == app.config["MAIL_FROM"] and message["Date"]
    user = session.scalar(select(User).where(User.email == message["To"]))
    assert message["Message-ID"] == f"<digest-{PERIOD}-{user.id}@matchmaker>"
    token = person_token(app.config, user.id)
    assert (
        message["List-Unsubscribe"].strip()
        == f"<{app.config['BASE_URL']}/digest/unsubscribe/{token}>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert f"/digest/preferences/{token}" in message.get_body(("plain",)).get_content()


def test_a_second_run_sends_nothing_and_matches_shown_are_not_new_next_month(
    app, session, demo, mailbox
):
    send_digests(session, app.config, PERIOD)
    again = send_digests(session, app.config, PERIOD)
    assert again.sent == 0 and again.skipped["already done this period"] == 5
    assert len(mailbox.messages) == 3
    hub_id = demo["manager1"].hub_id
    shown = set(session.scalars(select(SuggestionImpression.candidate_id).where(
        SuggestionImpression.organisation_id == hub_id)))  # fmt: skip
    assert len(shown) == 3
    INDEXES.clear()
    send_digests(session, app.config, "2026-12")
    december = next(m for m in mailbox.messages[3:] if m["To"] == "manager1@example.org")
    text = december.get_body(("plain",)).get_content()
    names = {name for (name,) in session.execute(select(User.name)).all()}
    del names
    for candidate in shown:
        from matchmaker.models import Organisation

        assert session.get(Organisation, candidate).name not in text


def test_a_crash_in_the_middle_then_a_rerun_gives_everyone_exactly_one(app, session, demo, mailbox):
    class Crash(Exception):
        pass

    calls = []

    def crash_after_two(_n: int) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise Crash

    with pytest.raises(Crash):
        send_digests(session, app.config, PERIOD, progress=crash_after_two)
    assert len(mailbox.messages) == 2
    send_digests(session, app.config, PERIOD)
    assert recipients_of(mailbox) == ["manager1@example.org", "manager2@example.org",
                                      "manager3@example.org"]  # fmt: skip


def test_a_run_killed_between_claim_and_mark_resends_with_the_same_message_id(
    app, session, demo, mailbox
):
    """A claimed but unmarked delivery (the run died after sending) is sent again with the
    same Message-ID, so mail clients show one message."""
    send_digests(session, app.config, PERIOD)
    delivery = session.scalar(
        select(DigestDelivery).where(DigestDelivery.state == DeliveryState.SENT)
    )
    delivery.state = DeliveryState.SENDING
    session.commit()
    send_digests(session, app.config, PERIOD)
    ids = [m["Message-ID"] for m in mailbox.messages]
    assert len(ids) == 4 and len(set(ids)) == 3


def test_refusals_are_retried_and_what_still_fails_is_sent_next_run(
    app, session, demo, mailbox, monkeypatch
):
    refusals = {"left": 2}
    original = mailbox.handle_DATA

    async def flaky(server, smtp_session, envelope):
        if refusals["left"]:
            refusals["left"] -= 1
            return "451 Try again later"
        return await original(server, smtp_session, envelope)

    monkeypatch.setattr(mailbox, "handle_DATA", flaky)
    summary = send_digests(session, app.config, PERIOD)
    assert summary.ok and summary.sent == 3  # two refusals absorbed by the retries
    saved = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1
    try:
        down = send_digests(session, app.config, "2026-12")
    finally:
        app.config["SMTP_PORT"] = saved
    assert not down.ok and len(down.failed) == 3
    failed = session.scalars(select(DigestDelivery).where(DigestDelivery.period == "2026-12")).all()
    assert {d.state for d in failed if d.reason != "nothing new"} == {DeliveryState.FAILED}
    later = send_digests(session, app.config, "2026-12")
    assert later.ok and later.sent == 3


def test_the_command_exits_non_zero_when_something_failed(app, runner, session, demo):
    saved = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1
    try:
        result = runner.invoke(args=["digest", "send", "--period", PERIOD])
    finally:
        app.config["SMTP_PORT"] = saved
    assert result.exit_code == 1
    assert "3 failed: the next run sends them." in result.output


def test_people_with_the_digest_off_or_inactive_get_none_and_inactive_are_told_once(
    app, session, demo, mailbox
):
    demo["manager2"].digest = "off"
    demo["manager3"].last_login_at = datetime.now(UTC) - timedelta(days=400)
    session.commit()
    summary = send_digests(session, app.config, PERIOD)
    assert summary.paused == 1
    assert recipients_of(mailbox) == ["manager1@example.org", "manager3@example.org"]
    notice = next(m for m in mailbox.messages if m["To"] == "manager3@example.org")
    assert notice["Subject"] == "Your matchmaker digest is paused"
    send_digests(session, app.config, "2026-12")
    assert [m["To"] for m in mailbox.messages].count("manager3@example.org") == 1


def test_a_coordinator_is_told_what_waits_for_approval(app, session, demo, mailbox):
    manager1, manager2 = demo["manager1"], demo["manager2"]
    host = manager2.hub
    window = next((w for w in host.availability if w.kind.value == "residency"), None)
    if window is None:
        pytest.skip("the demo's second hub has no residency window")
    data = {"kind": "residency", "message": MESSAGE, "starts_on": window.starts_on.isoformat(),
            "ends_on": (window.starts_on + timedelta(days=14)).isoformat()}  # fmt: skip
    exchange = propose(session, manager1, host, data, RULES,
                       datetime.combine(window.starts_on - timedelta(days=20), datetime.min.time(), UTC))  # fmt: skip
    answer(session, manager2, exchange, accept=True)
    send_digests(session, app.config, PERIOD)
    coordinator = next(m for m in mailbox.messages if m["To"] == "coordinator@example.org")
    assert coordinator["Subject"] == "matchmaker, November 2026: 1 waiting for your approval"
    assert "WAITING FOR YOUR APPROVAL" in coordinator.get_body(("plain",)).get_content()


def test_the_dry_run_writes_files_and_records_nothing(app, session, demo, tmp_path, mailbox):
    summary = send_digests(session, app.config, PERIOD, dry_run=tmp_path)
    assert summary.sent == 3 and len(list(tmp_path.glob("*.eml"))) == 3
    assert mailbox.messages == []
    assert session.scalars(select(DigestDelivery)).all() == []


def test_one_click_unsubscribe_needs_a_valid_signature(app, client, session, demo):
    user = demo["manager1"]
    token = person_token(app.config, user.id)
    assert (
        client.post(
            f"/digest/unsubscribe/{token[:-2]}xx", data={"List-Unsubscribe": "One-Click"}
        ).status_code
        == 404
    )
    page = client.get(f"/digest/unsubscribe/{token}")
    assert page.status_code == 200
    session.refresh(user)
    assert user.digest == "monthly"  # a GET (a link checker) changes nothing
    response = client.post(f"/digest/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    session.refresh(user)
    assert user.digest == "off"


def test_preferences_switch_it_back_on(app, client, session, demo):
    from tests.web_helpers import csrf_token

    user = demo["manager1"]
    user.digest = "off"
    session.commit()
    path = f"/digest/preferences/{person_token(app.config, user.id)}"
    bad = client.post(path, data={"digest": "weekly", "csrf_token": csrf_token(client, path)})
    assert bad.status_code == 400
    client.post(path, data={"digest": "monthly", "csrf_token": csrf_token(client, path)})
    session.refresh(user)
    assert user.digest == "monthly"


def test_the_preview_shows_ones_own_and_coordinators_see_anyones(app, client, session, demo):
    manager, other = demo["manager1"], demo["manager2"]
    with client.session_transaction() as cookie:
        cookie["_user_id"] = manager.get_id()
    page = client.get("/digest/preview").get_data(as_text=True)
    assert "This month's digest for" in page and "NEW MATCHES FOR YOUR HUB" in page
    email = client.get(f"/digest/preview/email.html?user={manager.id}")
    assert "style-src 'unsafe-inline'" in email.headers["Content-Security-Policy"]
    assert client.get(f"/digest/preview?user={other.id}").status_code == 403
    with client.session_transaction() as cookie:
        cookie["_user_id"] = demo["coordinator"].get_id()
    assert client.get(f"/digest/preview?user={other.id}").status_code == 200
    assert (
        session.scalars(select(SuggestionImpression)).all() == []
    )  # a preview shows nothing as "seen"
