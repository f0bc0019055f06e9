"""Sending the monthly digest: once per person and period, never lost.

Each person's delivery is claimed before the message goes, by one conditional UPDATE (or
INSERT) committed on its own: it succeeds only if the delivery is not sent or skipped
and nobody else holds a fresh claim, so two overlapping runs never both send to the same
person. The delivery is marked sent, and committed, right after the server accepts the
message. A run that dies between the two leaves a claim that turns stale after
`DIGEST_CLAIM_STALE_SECONDS`; a later run takes it over and sends again with the same
Message-ID (at most one such copy per crash). A refused or dropped connection is retried
with backoff; what still fails is recorded and sent by the next run.
"""

from __future__ import annotations

import smtplib
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload

from matchmaker.digest.claims import Claims
from matchmaker.digest.content import DigestContent, gather
from matchmaker.digest.message import build, paused_notice, person_token
from matchmaker.digest.parallel import send_in_workers
from matchmaker.mail import MailSession
from matchmaker.matching.forked import can_fork
from matchmaker.models import DeliveryState, DigestDelivery, Role, User
from matchmaker.suggestions.matches import record_impressions

STALE_CLAIM_SECONDS = 900  # longer than one message's tries can take (4 x 30 s + waits)


@dataclass
class SendSummary:
    sent: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (email, reason)
    paused: int = 0  # told, this run, that their digest is paused
    busy: int = 0  # claimed by another run that is sending them (or died doing so)
    compose_seconds: float = 0.0  # finding everyone's news (matches above all)
    send_seconds: float = 0.0

    def add(self, other: SendSummary) -> None:
        """Count in what another worker of this run did."""
        self.sent += other.sent
        self.skipped.update(other.skipped)
        self.failed.extend(other.failed)
        self.paused += other.paused
        self.busy += other.busy

    @property
    def ok(self) -> bool:
        """Everyone due was sent or skipped by this run."""
        return not self.failed and not self.busy


REACHABLE = (
    User.is_active,
    User.invited_at.is_(None),
    User.role.in_([Role.MANAGER, Role.COORDINATOR, Role.ADMIN]),
)


def recipients(session: Session) -> list[User]:
    """Everyone who may get a digest: active, with a password set, digest not off."""
    return list(
        session.scalars(
            select(User)
            .where(*REACHABLE, User.digest != "off")
            .options(selectinload(User.hub))
            .order_by(User.id)
        )
    )


def switched_off(session: Session) -> int:
    """People who would get a digest but switched it off: counted in the summary."""
    return session.scalar(select(func.count()).where(*REACHABLE, User.digest == "off")) or 0


def send_digests(
    session: Session,
    config: Mapping[str, Any],
    period: str,
    *,
    dry_run: Path | None = None,
    limit: int | None = None,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> SendSummary:
    """Send `period`'s digest to everyone due; `limit` bounds the people handled this run
    (digests, pause notices and nothing-new alike), `on_total` hears how many that is."""
    now = now or datetime.now(UTC)
    parallel_from = config.get("DIGEST_PARALLEL_FROM", 2000)
    summary = SendSummary()
    if off := switched_off(session):
        summary.skipped["digest switched off"] = off
    inactive_after = timedelta(days=config.get("DIGEST_INACTIVE_DAYS", 180))
    done = {
        user_id: state
        for user_id, state in session.execute(
            select(DigestDelivery.user_id, DigestDelivery.state).where(
                DigestDelivery.period == period
            )
        ).all()
    }
    everyone = recipients(session)
    due = [u for u in everyone if done.get(u.id) not in (DeliveryState.SENT, DeliveryState.SKIPPED)]
    if len(due) < len(everyone):
        summary.skipped["already done this period"] = len(everyone) - len(due)
    if limit is not None and len(due) > limit:
        summary.skipped["over the limit: left for the next run"] = len(due) - limit
        due = due[:limit]
    if on_total:
        on_total(len(due))
    inactive: list[User] = []
    people: list[User] = []
    for user in due:
        last_seen = user.last_login_at or user.created_at
        if last_seen is not None and now - last_seen > inactive_after:
            inactive.append(user)
            continue
        if user.digest_paused_at is not None and dry_run is None:
            user.digest_paused_at = None  # back: the digest starts again
        people.append(user)
    claims = Claims(
        period, timedelta(seconds=config.get("DIGEST_CLAIM_STALE_SECONDS", STALE_CLAIM_SECONDS))
    )
    mail = MailSession(config, config.get("DIGEST_RETRY_SECONDS", 1.0))
    try:
        started = time.perf_counter()
        contents = gather(session, people, period, today=now.date(), parallel_from=parallel_from)
        summary.compose_seconds = time.perf_counter() - started
        # Keep the loaded people and hubs: reloading each one after the commit would cost
        # more than the rest of its message. The writes below go through `writer`; the
        # objects are expired at the end, so they show them.
        expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire_on_commit
        # Each message commits twice: in a session of their own, apart from the thousands
        # of people and hubs the content holds, which every commit would otherwise walk.
        with Session(bind=session.get_bind(), join_transaction_mode="create_savepoint") as writer:
            for user in inactive:
                summary.skipped["paused: not signed in for a long time"] += 1
                if dry_run is None:
                    _pause(writer, config, user, claims, summary, mail)
                if progress:
                    progress(1)
            bind = session.get_bind()
            if (
                dry_run is None
                and len(contents) >= parallel_from
                and can_fork()
                and isinstance(bind, Engine)
            ):
                mail.close()  # each worker opens its own connection
                for part in send_in_workers(bind, config, contents, claims, progress):
                    summary.add(part)
            else:
                for content in contents:
                    send_one(writer, config, content, claims, summary, mail, dry_run)
                    if progress:
                        progress(1)
        summary.send_seconds = time.perf_counter() - started - summary.compose_seconds
    finally:
        mail.close()
        session.expire_all()  # the writer changed what these objects show
    return summary


def _elsewhere(session: Session, claims: Claims, user_id: int, summary: SendSummary) -> None:
    """Count a delivery another run holds (busy), or finished while this one ran."""
    state = claims.state(session, user_id)
    # End the read: on SQLite a transaction that read and then writes fails at once if
    # another process wrote in between; the next claim must start a transaction of its own.
    session.commit()
    if state is DeliveryState.SENDING:
        summary.busy += 1
    else:
        summary.skipped["done by another run meanwhile"] += 1


def send_one(
    session: Session,
    config: Mapping[str, Any],
    content: DigestContent,
    claims: Claims,
    summary: SendSummary,
    mail: MailSession,
    dry_run: Path | None,
) -> None:
    """Claim, build, send and mark one person's digest (or record why not); commits."""
    user = content.user
    if content.is_empty:
        if dry_run is None:
            taken = claims.take(session, user.id, DeliveryState.SKIPPED, "nothing new")
            session.commit()
            if not taken:
                _elsewhere(session, claims, user.id, summary)
                return
        summary.skipped["nothing new to tell"] += 1
        return
    message = build(content, config)
    if dry_run is not None:
        dry_run.mkdir(parents=True, exist_ok=True)
        (dry_run / f"{content.period}-{user.id}.eml").write_bytes(bytes(message))
        summary.sent += 1
        return
    taken = claims.take(session, user.id, DeliveryState.SENDING, message_id=message["Message-ID"])
    session.commit()  # the claim: from here on this run owns the message
    if not taken:
        _elsewhere(session, claims, user.id, summary)
        return
    try:
        mail.send(message)
    except (smtplib.SMTPException, OSError) as error:
        claims.finish(session, user.id, DeliveryState.FAILED, str(error)[:500])
        session.commit()
        summary.failed.append((user.email, str(error)[:200]))
        return
    claims.finish(session, user.id, DeliveryState.SENT)
    by_kind: dict[Any, list[int]] = defaultdict(list)
    for match in content.matches:
        by_kind[match.kind].append(match.hub_id)
    for kind, candidates in by_kind.items():  # shown now: not "new" next month
        assert user.hub_id is not None
        record_impressions(session, user.hub_id, kind, candidates, commit=False)
    session.commit()  # right after the server accepted it: the window for a resend is small
    summary.sent += 1


def _pause(
    session: Session,
    config: Mapping[str, Any],
    user: User,
    claims: Claims,
    summary: SendSummary,
    mail: MailSession,
) -> None:
    """Skip an inactive person's digest; tell them once (claimed like a digest)."""
    if user.digest_paused_at is not None:
        if not claims.take(session, user.id, DeliveryState.SKIPPED, "paused: inactive"):
            _elsewhere(session, claims, user.id, summary)
        session.commit()
        return
    taken = claims.take(session, user.id, DeliveryState.SENDING, "pause notice")
    session.commit()
    if not taken:
        _elsewhere(session, claims, user.id, summary)
        return
    try:
        mail.send(paused_notice(user.email, config, person_token(config, user.id)))
    except (smtplib.SMTPException, OSError) as error:
        claims.finish(session, user.id, DeliveryState.FAILED, f"pause notice: {error}"[:500])
        session.commit()
        summary.failed.append((user.email, f"pause notice: {error}"[:200]))
        return
    session.connection().execute(
        update(User).where(User.id == user.id).values(digest_paused_at=datetime.now(UTC))
    )
    claims.finish(session, user.id, DeliveryState.SKIPPED, "paused: inactive")
    session.commit()
    summary.paused += 1
