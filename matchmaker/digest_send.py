"""Sending the monthly digest: once per person and period, never lost.

Each person's delivery is claimed (committed) before the message goes and marked sent
right after, so a second run or a run after a crash sends only what was not sent. A
message whose run died between the two is sent again with the same Message-ID, so the
receiving server and mail clients see one message. A refused or dropped connection is
retried with backoff; what still fails is recorded and sent by the next run.
"""

from __future__ import annotations

import smtplib
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, insert, select, update
from sqlalchemy.orm import Session, selectinload

from matchmaker.digest_content import DigestContent, gather
from matchmaker.digest_mail import build, paused_notice, person_token
from matchmaker.models import DeliveryState, DigestDelivery, Role, User
from matchmaker.suggestions import record_impressions

RETRIES = 4
TEMPORARY = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
    OSError,
)


@dataclass
class SendSummary:
    sent: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (email, reason)
    paused: int = 0  # told, this run, that their digest is paused
    compose_seconds: float = 0.0  # finding everyone's news (matches above all)
    send_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


class MailSession:
    """One SMTP connection for many messages, reopened when the server drops it."""

    def __init__(self, config: Mapping[str, Any], retry_base: float) -> None:
        self.config, self.retry_base = config, retry_base
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        tls = config.get("SMTP_TLS", "none")
        smtp_class = smtplib.SMTP_SSL if tls == "ssl" else smtplib.SMTP
        smtp = smtp_class(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30)
        if tls == "starttls":
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD", ""))
        return smtp

    def send(self, message: Message) -> None:
        """Deliver or raise the last error after `RETRIES` tries with doubling waits."""
        for attempt in range(RETRIES):
            try:
                if self.smtp is None:
                    self.smtp = self._connect()
                self.smtp.send_message(message)
                return
            except smtplib.SMTPResponseException as error:
                self.close()
                if error.smtp_code < 400 or error.smtp_code >= 500 or attempt == RETRIES - 1:
                    raise
            except smtplib.SMTPRecipientsRefused:
                raise
            except TEMPORARY:
                self.close()
                if attempt == RETRIES - 1:
                    raise
            time.sleep(self.retry_base * 2**attempt)

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            finally:
                self.smtp.close()
                self.smtp = None


def recipients(session: Session) -> list[User]:
    """Everyone who may get a digest: active, with a password set, digest not off."""
    return list(
        session.scalars(
            select(User)
            .where(
                User.is_active,
                User.invited_at.is_(None),
                User.digest != "off",
                User.role.in_([Role.MANAGER, Role.COORDINATOR, Role.ADMIN]),
            )
            .options(selectinload(User.hub))
            .order_by(User.id)
        )
    )


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def send_digests(
    session: Session,
    config: Mapping[str, Any],
    period: str,
    *,
    dry_run: Path | None = None,
    limit: int | None = None,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> SendSummary:
    now = now or datetime.now(UTC)
    summary = SendSummary()
    inactive_after = timedelta(days=config.get("DIGEST_INACTIVE_DAYS", 180))
    done = {
        user_id: state
        for user_id, state in session.execute(
            select(DigestDelivery.user_id, DigestDelivery.state).where(
                DigestDelivery.period == period
            )
        ).all()
    }
    mail = MailSession(config, config.get("DIGEST_RETRY_SECONDS", 1.0))
    try:
        people: list[User] = []
        for user in recipients(session):
            if done.get(user.id) in (DeliveryState.SENT, DeliveryState.SKIPPED):
                summary.skipped["already done this period"] += 1
                continue
            last_seen = _aware(user.last_login_at) or _aware(user.created_at)
            if last_seen is not None and now - last_seen > inactive_after:
                if dry_run is None:
                    _pause(session, config, user, period, summary, mail)
                summary.skipped["paused: not signed in for a long time"] += 1
                continue
            if user.digest_paused_at is not None and dry_run is None:
                user.digest_paused_at = None  # back: the digest starts again
            people.append(user)
        started = time.perf_counter()
        contents = gather(session, people[:limit], period, config.get("MATCHING_WEIGHTS"))
        summary.compose_seconds = time.perf_counter() - started
        session.commit()
        # Each message commits twice: in a session of their own, apart from the thousands
        # of people and hubs the content holds, which every commit would otherwise walk.
        with Session(bind=session.get_bind(), join_transaction_mode="create_savepoint") as writer:
            for content in contents:
                _one(writer, config, content, summary, mail, dry_run)
                if progress:
                    progress(1)
        summary.send_seconds = time.perf_counter() - started - summary.compose_seconds
    finally:
        mail.close()
    return summary


def _record(
    session: Session,
    user: User,
    period: str,
    state: DeliveryState,
    reason: str = "",
    message_id: str = "",
    claim: bool = False,
) -> None:
    """Write the delivery's state with one statement (no ORM round trip per message);
    `claim` also counts an attempt."""
    values: dict[str, Any] = {"state": state, "reason": reason}
    if message_id:
        values["message_id"] = message_id
    where = (DigestDelivery.user_id == user.id, DigestDelivery.period == period)
    changes = {**values, "attempts": DigestDelivery.attempts + 1} if claim else values
    connection = session.connection()  # Core: no ORM bookkeeping for a one-row write
    updated = connection.execute(update(DigestDelivery).where(*where).values(changes))
    if not cast(CursorResult[Any], updated).rowcount:
        connection.execute(
            insert(DigestDelivery).values(
                user_id=user.id, period=period, attempts=int(claim), **values
            )
        )


def _one(
    session: Session,
    config: Mapping[str, Any],
    content: DigestContent,
    summary: SendSummary,
    mail: MailSession,
    dry_run: Path | None,
) -> None:
    user = content.user
    if content.is_empty:
        if dry_run is None:
            _record(session, user, content.period, DeliveryState.SKIPPED, "nothing new")
            session.commit()
        summary.skipped["nothing new to tell"] += 1
        return
    message = build(content, config)
    if dry_run is not None:
        dry_run.mkdir(parents=True, exist_ok=True)
        (dry_run / f"{content.period}-{user.id}.eml").write_bytes(bytes(message))
        summary.sent += 1
        return
    _record(
        session,
        user,
        content.period,
        DeliveryState.SENDING,
        message_id=message["Message-ID"],
        claim=True,
    )
    session.commit()  # the claim: from here on this run owns the message
    try:
        mail.send(message)
    except (smtplib.SMTPException, OSError) as error:
        _record(session, user, content.period, DeliveryState.FAILED, str(error)[:500])
        session.commit()
        summary.failed.append((user.email, str(error)[:200]))
        return
    _record(session, user, content.period, DeliveryState.SENT)
    by_kind: dict[Any, list[int]] = defaultdict(list)
    for match in content.matches:
        by_kind[match.kind].append(match.hub_id)
    for kind, candidates in by_kind.items():  # shown now: not "new" next month
        assert user.hub_id is not None
        record_impressions(session, user.hub_id, kind, candidates, commit=False)
    session.commit()
    summary.sent += 1


def _pause(
    session: Session,
    config: Mapping[str, Any],
    user: User,
    period: str,
    summary: SendSummary,
    mail: MailSession,
) -> None:
    """Skip an inactive person's digest; tell them once."""
    if user.digest_paused_at is None:
        try:
            mail.send(paused_notice(user.email, config, person_token(config, user.id)))
        except (smtplib.SMTPException, OSError) as error:
            summary.failed.append((user.email, f"pause notice: {error}"[:200]))
            return
        user.digest_paused_at = datetime.now(UTC)
        summary.paused += 1
    _record(session, user, period, DeliveryState.SKIPPED, "paused: inactive")
    session.commit()
