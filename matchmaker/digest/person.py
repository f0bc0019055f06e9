"""One person's digest: build, claim, send and mark it, or record why not. Each step
that matters commits, so a run that dies leaves at most the one message in flight behind
(see `sending` for the promise and its one window).
"""

from __future__ import annotations

import smtplib
from collections import Counter, defaultdict
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from matchmaker.digest.claims import Claims
from matchmaker.digest.content import DigestContent
from matchmaker.digest.message import Digest, build, paused_notice, person_token
from matchmaker.mail import MailSession
from matchmaker.models import DeliveryState, User
from matchmaker.suggestions.matches import record_impressions

STALE_CLAIM_SECONDS = 900  # longer than one message's tries can take (4 x 30 s + waits)


@dataclass
class SendSummary:
    sent: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (email, reason)
    paused: int = 0  # told, this run, that their digest is paused
    busy: int = 0  # claimed by another run that is sending them (or died doing so)
    stopped: list[str] = field(default_factory=list)  # why the run ended before its end
    compose_seconds: float = 0.0  # finding everyone's news (matches above all)
    send_seconds: float = 0.0

    def add(self, other: SendSummary) -> None:
        """Count in what another chunk of this run did."""
        self.sent += other.sent
        self.skipped.update(other.skipped)
        self.failed.extend(other.failed)
        self.paused += other.paused
        self.busy += other.busy
        self.stopped.extend(other.stopped)
        self.compose_seconds += other.compose_seconds
        self.send_seconds += other.send_seconds

    @property
    def ok(self) -> bool:
        """Everyone due was sent or skipped by this run."""
        return not self.failed and not self.busy and not self.stopped


def elsewhere(session: Session, claims: Claims, user_id: int, summary: SendSummary) -> None:
    """Count a delivery another run holds (busy), or finished while this one ran."""
    state = claims.state(session, user_id)
    # End the read: on SQLite a transaction that read and then writes fails at once if
    # another process wrote in between; the next claim must start a transaction of its own.
    session.commit()
    if state is DeliveryState.SENDING:
        summary.busy += 1
    else:
        summary.skipped["done by another run meanwhile"] += 1


class Sender:
    """Sends each digest in a thread of its own while the caller builds the next one: the
    wait for the mail server's replies overlaps the building. A message's claim is
    committed before it goes and finished right after the server accepts it, and the
    next claim is taken only then: at most one message is in flight, as without it."""

    def __init__(
        self, session: Session, claims: Claims, summary: SendSummary, mail: MailSession
    ) -> None:
        self.session, self.claims, self.summary, self.mail = session, claims, summary, mail
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="digest-smtp")
        self._in_flight: tuple[DigestContent, Future[None]] | None = None

    def send(self, content: DigestContent, message: Digest) -> None:
        """Claim `message`'s delivery (once the one in flight has landed) and send it."""
        # One transaction records the landed message and claims this one: as soon after
        # the server's answer as two, with one commit fewer per message.
        self.land(commit=False)
        user = content.user
        taken = self.claims.take(
            self.session, user.id, DeliveryState.SENDING, message_id=message["Message-ID"]
        )
        self.session.commit()  # the claim: from here on this run owns the message
        if not taken:
            elsewhere(self.session, self.claims, user.id, self.summary)
            return
        self._in_flight = (content, self._thread.submit(self.mail.send, message))

    def skip(self, user: User, reason: str) -> bool:
        """Record that `user` gets nothing this period (committed); False when another
        run has them."""
        taken = self.claims.take(self.session, user.id, DeliveryState.SKIPPED, reason)
        self.session.commit()
        if not taken:
            elsewhere(self.session, self.claims, user.id, self.summary)
        return taken

    def land(self, *, commit: bool = True) -> None:
        """Wait for the message in flight, if any, and record how it ended (committed,
        unless the caller commits it with more)."""
        if self._in_flight is None:
            return
        (content, sending), self._in_flight = self._in_flight, None
        user, session = content.user, self.session
        try:
            sending.result()
        except (smtplib.SMTPException, OSError) as error:
            self.claims.finish(session, user.id, DeliveryState.FAILED, str(error)[:500])
            if commit:
                session.commit()
            self.summary.failed.append((user.email, str(error)[:200]))
            return
        self.claims.finish(session, user.id, DeliveryState.SENT)
        by_kind: dict[Any, list[int]] = defaultdict(list)
        for match in content.matches:
            by_kind[match.kind].append(match.hub_id)
        for kind, candidates in by_kind.items():  # shown now: not "new" next month
            assert user.hub_id is not None
            record_impressions(session, user.hub_id, kind, candidates, commit=False)
        if commit:
            session.commit()  # right after the server accepted it: the window for a resend is small
        self.summary.sent += 1

    def close(self) -> None:
        try:
            self.land()
        finally:
            self._thread.shutdown()


def send_one(
    content: DigestContent, config: Mapping[str, Any], sender: Sender, dry_run: Path | None
) -> None:
    """Build one person's digest and hand it to `sender`, or record why not (nothing
    new: skipped, committed)."""
    user, summary = content.user, sender.summary
    if content.is_empty:
        if dry_run is None and not sender.skip(user, "nothing new"):
            return
        summary.skipped["nothing new to tell"] += 1
        return
    message = build(content, config)
    if dry_run is not None:
        dry_run.mkdir(parents=True, exist_ok=True)
        (dry_run / f"{content.period}-{user.id}.eml").write_bytes(bytes(message))
        summary.sent += 1
        return
    sender.send(content, message)


def pause(
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
            elsewhere(session, claims, user.id, summary)
        session.commit()
        return
    taken = claims.take(session, user.id, DeliveryState.SENDING, "pause notice")
    session.commit()
    if not taken:
        elsewhere(session, claims, user.id, summary)
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
