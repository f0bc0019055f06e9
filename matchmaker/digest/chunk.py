"""One chunk of a digest run: compose the news of a few hundred people at once and send
each person's digest through its claim. A task of its own: any worker on any machine can
run it, in any order, more than once; the claims keep the promise that nobody gets the
period twice, and people a killed chunk did not finish are still due for the next run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from matchmaker.digest.claims import Claims
from matchmaker.digest.content import gather
from matchmaker.digest.person import (
    STALE_CLAIM_SECONDS,
    Sender,
    SendSummary,
    pause,
    send_one,
)
from matchmaker.digest.plan import done_for, recipients
from matchmaker.extensions import only_reading
from matchmaker.mail import MailSession
from matchmaker.models import User


def claims_of(config: Mapping[str, Any], period: str) -> Claims:
    stale = config.get("DIGEST_CLAIM_STALE_SECONDS", STALE_CLAIM_SECONDS)
    return Claims(period, timedelta(seconds=stale))


def send_chunk(
    session: Session,
    config: Mapping[str, Any],
    period: str,
    user_ids: list[int],
    *,
    now: datetime | None = None,
    dry_run: Path | None = None,
    progress: Callable[[int], None] | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> SendSummary:
    """Compose and send `period`'s digest to those of `user_ids` still due; `progress`
    hears of each person handled, and the chunk stops early (its people stay due) once
    `keep_going` says no."""
    now = now or datetime.now(UTC)
    summary = SendSummary()
    mail = MailSession(config, config.get("DIGEST_RETRY_SECONDS", 1.0))
    try:
        # Composing only reads: on SQLite it must not hold the write lock for the second
        # or so it takes, which would stall every other worker's claims meanwhile.
        with only_reading():
            started = time.perf_counter()
            done = done_for(session, period, user_ids)
            people = [u for u in recipients(session, user_ids) if u.id not in done]
            inactive_after = timedelta(days=config.get("DIGEST_INACTIVE_DAYS", 180))
            active: list[User] = []
            inactive: list[User] = []
            for user in people:
                (active if _active(user, now, inactive_after) else inactive).append(user)
            contents = gather(session, active, period, today=now.date())
            summary.compose_seconds = time.perf_counter() - started
            # Keep the loaded people and hubs: reloading each one after the commit would
            # cost more than the rest of its message. The writes below go through
            # `writer`; the objects are expired at the end, so they show them.
            expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
            try:
                session.commit()
            finally:
                session.expire_on_commit = expire_on_commit
        if done:  # finished by another run since this one was planned
            summary.skipped["done by another run meanwhile"] += len(done)
        claims = claims_of(config, period)
        # Messages commit in a session of their own, apart from the hundreds of people and
        # hubs the content holds, which every commit would otherwise walk.
        with Session(bind=session.get_bind(), join_transaction_mode="create_savepoint") as writer:
            back = [u.id for u in active if u.digest_paused_at is not None]
            if back and dry_run is None:  # active again: the digest starts again
                writer.execute(update(User).where(User.id.in_(back)).values(digest_paused_at=None))
                writer.commit()
            for user in inactive:
                if not keep_going():
                    break
                summary.skipped["paused: not signed in for a long time"] += 1
                if dry_run is None:
                    pause(writer, config, user, claims, summary, mail)
                if progress:
                    progress(1)
            sender = Sender(writer, claims, summary, mail)
            try:
                for content in contents:
                    if not keep_going():
                        break  # the run was stopped: leave the rest to the next one
                    send_one(content, config, sender, dry_run)
                    if progress:
                        progress(1)
            finally:
                sender.close()  # the message in flight lands and is recorded
        summary.send_seconds = time.perf_counter() - started - summary.compose_seconds
    finally:
        mail.close()
        session.expire_all()  # the writer changed what these objects show
    return summary


def _active(user: User, now: datetime, inactive_after: timedelta) -> bool:
    """Signed in (or joined) within `inactive_after`: the digest goes on."""
    last_seen = user.last_login_at or user.created_at
    return last_seen is None or now - last_seen <= inactive_after
