"""Sending the monthly digest to a real SMTP server on loopback: once per person and
period (a second run, a crash in the middle, a real kill of the command, two runs at
once), refusals and dropped connections retried, failures sent by the next run, the
skip rules, and the command's dry run, limit and summary."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matchmaker.digest.chunk import send_chunk
from matchmaker.digest.claims import Claims
from matchmaker.digest.sending import enqueue_run, recipients, send_digests
from matchmaker.engine import INDEXES
from matchmaker.jobs import app_queue
from matchmaker.models import (
    DeliveryState,
    DigestDelivery,
    Organisation,
    SuggestionImpression,
    User,
)
from tests.support.digest_fixtures import PERIOD, recipients_of
from tests.support.queue import queued, run_queued_jobs

pytestmark = pytest.mark.usefixtures("fresh_index_cache")
MANAGERS = ["manager1@example.org", "manager2@example.org", "manager3@example.org"]


def test_a_second_run_sends_nothing_and_matches_shown_are_not_new_next_month(
    app, session, demo_people, mailbox
):
    send_digests(session, app.config, PERIOD)
    again = send_digests(session, app.config, PERIOD)
    assert again.sent == 0 and again.skipped["already done this period"] == 5
    assert len(mailbox.messages) == 3
    hub_id = demo_people["manager1"].hub_id
    shown = set(
        session.scalars(
            select(SuggestionImpression.candidate_id).where(
                SuggestionImpression.organisation_id == hub_id
            )
        )
    )
    assert len(shown) == 3
    INDEXES.clear()
    send_digests(session, app.config, "2026-12")
    december = next(m for m in mailbox.messages[3:] if m["To"] == "manager1@example.org")
    text = december.get_body(("plain",)).get_content()
    for candidate in shown:
        assert session.get(Organisation, candidate).name not in text


def test_a_crash_in_the_middle_then_a_rerun_gives_everyone_exactly_one(
    app, session, demo_people, mailbox
):
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
    assert recipients_of(mailbox) == MANAGERS


def test_only_one_of_two_overlapping_claims_wins(session, demo_people):
    user = demo_people["manager1"]
    claims = Claims(PERIOD, timedelta(minutes=15))
    assert claims.take(session, user.id, DeliveryState.SENDING, message_id="<one@x>")
    assert not claims.take(session, user.id, DeliveryState.SENDING, message_id="<one@x>")
    assert not claims.take(session, user.id, DeliveryState.SKIPPED, "nothing new")
    stale_at_once = Claims(PERIOD, timedelta(0))
    assert stale_at_once.take(session, user.id, DeliveryState.SENDING)  # its run died
    claims.finish(session, user.id, DeliveryState.SENT)
    assert not stale_at_once.take(session, user.id, DeliveryState.SENDING)  # sent stays sent
    delivery = session.scalar(select(DigestDelivery).where(DigestDelivery.user_id == user.id))
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 2)


def test_a_claim_left_by_a_dead_run_is_taken_over_once_stale_with_the_same_message_id(
    app, runner, session, demo_people, mailbox
):
    """Claimed, maybe sent, never marked: while the claim is fresh another run may be
    sending it, so it is left alone (and the command says so); once stale it is sent again,
    with the same Message-ID, so mail clients show one message."""
    send_digests(session, app.config, PERIOD)
    claimed = demo_people["manager1"]
    mine = (DigestDelivery.user_id == claimed.id, DigestDelivery.period == PERIOD)
    session.execute(
        update(DigestDelivery)
        .where(*mine)
        .values(state=DeliveryState.SENDING, updated_at=datetime.now(UTC))
    )
    session.commit()
    fresh = runner.invoke(args=["digest", "send", "--period", PERIOD])
    assert fresh.exit_code == 1 and len(mailbox.messages) == 3
    assert "1 claimed by another run in the last 900 s: not sent by this one." in fresh.output
    session.execute(
        update(DigestDelivery)
        .where(*mine)
        .values(updated_at=datetime.now(UTC) - timedelta(seconds=901))
    )
    session.commit()
    later = send_digests(session, app.config, PERIOD)
    assert later.ok and later.sent == 1
    ids = [m["Message-ID"] for m in mailbox.messages]
    assert len(ids) == 4 and len(set(ids)) == 3


def test_refusals_are_retried_and_what_still_fails_is_sent_next_run(
    app, session, demo_people, mailbox, monkeypatch
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


def test_a_server_that_hangs_up_mid_session_loses_nothing(
    app, session, demo_people, mailbox, monkeypatch
):
    """The server closes the connection twice: on the second message's MAIL, and after
    the third one's content, before accepting it. Both are sent again on a new
    connection; each manager gets exactly one."""
    original = mailbox.handle_DATA
    seen = Counter[str]()

    async def mail(server, smtp_session, envelope, address, options):
        seen["MAIL"] += 1
        if seen["MAIL"] == 2:
            server.transport.close()
            return "421 Closing"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def data(server, smtp_session, envelope):
        seen["DATA"] += 1
        if seen["DATA"] == 3:
            server.transport.close()
            return "421 Closing"
        return await original(server, smtp_session, envelope)

    monkeypatch.setattr(mailbox, "handle_MAIL", mail, raising=False)
    monkeypatch.setattr(mailbox, "handle_DATA", data)
    summary = send_digests(session, app.config, PERIOD)
    assert summary.ok and summary.sent == 3 and seen == {"MAIL": 5, "DATA": 4}
    assert recipients_of(mailbox) == MANAGERS
    states = session.scalars(select(DigestDelivery.state).where(DigestDelivery.period == PERIOD))
    assert Counter(states) == {DeliveryState.SENT: 3, DeliveryState.SKIPPED: 2}


def test_the_command_exits_non_zero_when_something_failed(app, runner, session, demo_people):
    saved = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1
    try:
        result = runner.invoke(args=["digest", "send", "--period", PERIOD])
    finally:
        app.config["SMTP_PORT"] = saved
    assert result.exit_code == 1
    assert "3 failed: the next run sends them." in result.output


def test_people_with_the_digest_off_or_inactive_get_none_and_inactive_are_told_once(
    app, session, demo_people, mailbox
):
    demo_people["manager2"].digest = "off"
    demo_people["manager3"].last_login_at = datetime.now(UTC) - timedelta(days=400)
    session.commit()
    summary = send_digests(session, app.config, PERIOD)
    assert summary.paused == 1 and summary.skipped["digest switched off"] == 1
    assert recipients_of(mailbox) == ["manager1@example.org", "manager3@example.org"]
    notice = next(m for m in mailbox.messages if m["To"] == "manager3@example.org")
    assert notice["Subject"] == "Your matchmaker digest is paused"
    send_digests(session, app.config, "2026-12")
    assert [m["To"] for m in mailbox.messages].count("manager3@example.org") == 1


def test_the_dry_run_writes_files_and_records_nothing(app, session, demo_people, tmp_path, mailbox):
    summary = send_digests(session, app.config, PERIOD, dry_run=tmp_path)
    assert summary.sent == 3 and len(list(tmp_path.glob("*.eml"))) == 3
    assert mailbox.messages == []
    assert session.scalars(select(DigestDelivery)).all() == []


def test_the_command_dry_run_limit_and_summary(
    app, runner, session, demo_people, mailbox, tmp_path
):
    demo_people["manager2"].digest = "off"
    demo_people["manager3"].last_login_at = datetime.now(UTC) - timedelta(days=400)
    session.commit()
    send = ["digest", "send", "--period", PERIOD]
    folder = Path(app.instance_path) / "digest-dry-run" / PERIOD
    try:
        dry = runner.invoke(args=[*send, "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert f"Wrote 1 to {folder} (" in dry.output
        assert [p.name for p in folder.glob("*.eml")] == [
            f"{PERIOD}-{demo_people['manager1'].id}.eml"
        ]
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    for line in (
        "Skipped 1: digest switched off.",
        "Skipped 2: nothing new to tell.",
        "Skipped 1: paused: not signed in for a long time.",
    ):
        assert line in dry.output
    elsewhere = runner.invoke(args=[*send, "--dry-run-dir", str(tmp_path / "out")])
    assert f"Wrote 1 to {tmp_path / 'out'} (" in elsewhere.output
    assert mailbox.messages == [] and session.scalars(select(DigestDelivery)).all() == []

    limited = runner.invoke(args=[*send, "--limit", "1"])  # manager1 first: no pause notice
    assert limited.exit_code == 0, limited.output
    assert "Sent 1 (" in limited.output
    assert "Skipped 3: over the limit: left for the next run." in limited.output
    assert recipients_of(mailbox) == ["manager1@example.org"]
    rest = runner.invoke(args=send)
    assert rest.exit_code == 0, rest.output
    for line in (
        "Sent 0 (",
        "Skipped 1: already done this period.",
        "Skipped 1: digest switched off.",
        "Skipped 2: nothing new to tell.",
        "Told 1 inactive people that their digest is paused.",
    ):
        assert line in rest.output
    assert recipients_of(mailbox) == ["manager1@example.org", "manager3@example.org"]
    assert runner.invoke(args=[*send, "--dry-run", "out/"]).exit_code == 2  # no folder here


class SlowMail:
    """An SMTP MAIL hook that takes `pause` seconds and counts its calls: a sender there
    has marked the message before sent and claimed this one, and nothing is accepted."""

    def __init__(self, pause: float) -> None:
        self.pause, self.calls = pause, 0

    async def __call__(self, server, smtp_session, envelope, address, options) -> str:
        self.calls += 1
        await asyncio.sleep(self.pause)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"


def assert_everyone_due_got_exactly_one(network, mailbox) -> None:
    with Session(network.engine) as session:
        states = dict(
            session.execute(
                select(DigestDelivery.user_id, DigestDelivery.state).where(
                    DigestDelivery.period == PERIOD
                )
            ).all()
        )
        emails = dict(session.execute(select(User.id, User.email)).all())
        due = {u.id for u in recipients(session)}
    received = Counter(m["To"] for m in mailbox.messages)
    assert set(received.values()) == {1}, received
    assert set(states) == due  # every recipient was handled
    assert {emails[u] for u, s in states.items() if s is DeliveryState.SENT} == set(received)
    assert set(states.values()) <= {DeliveryState.SENT, DeliveryState.SKIPPED}


def test_the_command_killed_in_the_middle_then_run_again_sends_everyone_exactly_one(
    app, mailbox, separate_network, tmp_path, monkeypatch
):
    slow = SlowMail(0.3)
    monkeypatch.setattr(mailbox, "handle_MAIL", slow, raising=False)
    send = ("digest", "send", "--period", PERIOD)
    first = separate_network.flask(*send, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while slow.calls < 6:  # five accepted and marked sent; the sixth claimed, waiting
        assert first.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "no mail arrived"
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    assert first.wait(timeout=30) == -signal.SIGKILL
    arrived = len(mailbox.messages)
    assert arrived == 5
    with Session(separate_network.engine) as session:
        states = Counter(session.scalars(select(DigestDelivery.state)))
    assert states[DeliveryState.SENT] == arrived and states[DeliveryState.SENDING] == 1
    time.sleep(1.2)  # the dead run's claim turns stale (DIGEST_CLAIM_STALE_SECONDS=1)

    assert separate_network.run(*send, log=tmp_path / "second.log") == 0
    assert len(mailbox.messages) > arrived
    assert_everyone_due_got_exactly_one(separate_network, mailbox)
    total = len(mailbox.messages)
    assert separate_network.run(*send, log=tmp_path / "third.log") == 0
    assert len(mailbox.messages) == total
    assert "Sent 0 (" in (tmp_path / "third.log").read_text()


def test_two_runs_at_once_never_send_anyone_the_same_period_twice(
    app, mailbox, separate_network, tmp_path, monkeypatch
):
    monkeypatch.setattr(mailbox, "handle_MAIL", SlowMail(0.1), raising=False)
    send = ("digest", "send", "--period", PERIOD)
    logs = [(tmp_path / f"run{n}.log").open("wb") for n in (1, 2)]
    try:
        runs = [separate_network.flask(*send, stdout=log, stderr=subprocess.STDOUT) for log in logs]
        statuses = [run.wait(timeout=300) for run in runs]
    finally:
        for log in logs:
            log.close()
    outputs = [(tmp_path / f"run{n}.log").read_text() for n in (1, 2)]
    for status, output in zip(statuses, outputs, strict=True):
        assert "Traceback" not in output and "Failed" not in output, output
        assert status == 0 or "claimed by another run" in output, output
    assert_everyone_due_got_exactly_one(separate_network, mailbox)


def test_a_large_run_sent_by_one_process_per_core_gives_everyone_exactly_one(
    app, mailbox, separate_network, tmp_path
):
    """DIGEST_PARALLEL_FROM=1: the lines and the sending are shared among forked workers,
    as they are from 2,000 recipients on; the result must be the one-process result."""
    separate_network.env["DIGEST_PARALLEL_FROM"] = "1"
    separate_network.env["INDEX_DIR"] = str(tmp_path / "index")
    log = tmp_path / "parallel.log"
    assert separate_network.run("digest", "send", "--period", PERIOD, log=log) == 0
    output = log.read_text()
    assert "Traceback" not in output, output
    # The index is built once, in a child that takes its memory with it, and no builder
    # thread starts in the run or its workers.
    assert output.count("batch index: index of data version") == 1, output
    assert "index builder of" not in output
    assert list((tmp_path / "index").glob("*/CURRENT"))
    assert_everyone_due_got_exactly_one(separate_network, mailbox)
    sent = len(mailbox.messages)
    assert sent > 0 and f"Sent {sent} (" in output
    # Every message carries its own matches, as in a one-process run.
    for message in mailbox.messages:
        assert "/hubs/" in message.get_body(("plain",)).get_content()
    again = tmp_path / "again.log"
    assert separate_network.run("digest", "send", "--period", PERIOD, log=again) == 0
    assert len(mailbox.messages) == sent


def test_chunk_tasks_run_in_any_order_and_twice_give_everyone_exactly_one(
    app, session, demo_people, mailbox
):
    """What a queue does with a run: the plan hands out chunks of people, which workers
    run in any order, one of them twice (a retried task): each due person is in one
    chunk, and gets one digest."""
    app.config["DIGEST_CHUNK_SIZE"] = 2
    queued: list[tuple[str, list[int], str]] = []
    plan = enqueue_run(session, app.config, PERIOD, lambda *task: queued.append(task))
    due = sorted(u.id for u in recipients(session))
    assert plan.people == 5 and [len(ids) for _, ids, _ in queued] == [2, 2, 1]
    assert sorted(i for _, ids, _ in queued for i in ids) == due
    for period, ids, now in [*reversed(queued), queued[1]]:
        send_chunk(session, app.config, period, ids, now=datetime.fromisoformat(now))
    assert recipients_of(mailbox) == MANAGERS
    states = session.scalars(select(DigestDelivery.state).where(DigestDelivery.period == PERIOD))
    assert Counter(states) == {DeliveryState.SENT: 3, DeliveryState.SKIPPED: 2}
    again = enqueue_run(session, app.config, PERIOD, lambda *task: queued.append(task))
    assert again.people == 0 and again.skipped["already done this period"] == 5


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_a_worker_killed_mid_chunk_leaves_its_people_to_the_next_run(
    app, mailbox, separate_network, tmp_path, monkeypatch
):
    """A forked worker is SIGKILLed while its chunk is being sent: the run stops and says
    so; the next run sends whoever is left, and nobody gets the period twice."""
    slow = SlowMail(0.3)
    monkeypatch.setattr(mailbox, "handle_MAIL", slow, raising=False)
    separate_network.env["DIGEST_PARALLEL_FROM"] = "1"
    send = ("digest", "send", "--period", PERIOD, "--workers", "2")
    log = tmp_path / "killed.log"
    with log.open("wb") as out:
        first = separate_network.flask(*send, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 180
        while slow.calls < 4:
            assert first.poll() is None, "the run ended before a worker could be killed"
            assert time.monotonic() < deadline, "no mail arrived"
            time.sleep(0.01)
        workers = children_of(first.pid)
        assert workers, "no worker process"
        for worker in workers:  # the pool's workers, and its manager thread's none
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)
                break
        assert first.wait(timeout=60) == 1
    assert "Stopped early: a worker process died" in log.read_text()
    arrived = len(mailbox.messages)
    assert 0 < arrived < 16
    time.sleep(1.2)  # the dead worker's claim turns stale (DIGEST_CLAIM_STALE_SECONDS=1)

    assert separate_network.run(*send, log=tmp_path / "second.log") == 0
    assert len(mailbox.messages) > arrived
    assert_everyone_due_got_exactly_one(separate_network, mailbox)


def test_a_run_on_the_job_queue_plans_chunks_that_the_workers_send_once(
    app, runner, session, demo_people, mailbox
):
    """`digest send --enqueue` (and the periodic job) only plans: the chunks wait on the
    real queue until a worker runs them; running the plan again once they are sent
    queues nobody."""
    app.config["DIGEST_CHUNK_SIZE"] = 2
    result = runner.invoke(args=["digest", "send", "--period", PERIOD, "--enqueue"])
    assert result.exit_code == 0, result.output
    assert "Queued 5 people in 3 chunks for 2026-11." in result.output
    assert queued(app) == ["digest_chunk"] * 3 and mailbox.messages == []
    assert run_queued_jobs(app) == ["digest_chunk"] * 3
    assert recipients_of(mailbox) == MANAGERS
    app_queue(app).tasks["send_digest"](PERIOD)  # what the 1st of the month enqueues
    assert run_queued_jobs(app) == ["send_digest"]
    assert queued(app) == [] and len(mailbox.messages) == 3
