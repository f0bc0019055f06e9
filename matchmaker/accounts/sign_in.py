"""Signing in, with repeated failures slowed down.

Each failure is stored under the email tried and the address it came from. After
`FREE_FAILURES` failures in `WINDOW`, the next try must wait, twice as long after each
further failure, never more than `MAX_WAIT`: guessing is slowed to a crawl while the
real user is at most a quarter of an hour away from signing in. A success clears the
email's failures.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from matchmaker.models import SignInFailure, User

FREE_FAILURES = 5
FREE_FAILURES_PER_ADDRESS = 30
WINDOW = timedelta(hours=1)
FIRST_WAIT = timedelta(seconds=2)
MAX_WAIT = timedelta(minutes=15)


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    error: str = ""
    retry_after: int = 0  # seconds; non-zero when the attempt was refused for speed


def _wait(failures: int, free: int) -> timedelta:
    if failures < free:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** (failures - free), MAX_WAIT)


def _throttle(session: Session, key: str, free: int, now: datetime) -> int:
    """Seconds still to wait before `key` may try again."""
    count, last = session.execute(
        select(func.count(), func.max(SignInFailure.failed_at)).where(
            SignInFailure.key == key, SignInFailure.failed_at > now - WINDOW
        )
    ).one()
    if not count:
        return 0
    remaining = last + _wait(count, free) - now
    return max(0, int(remaining.total_seconds() + 0.999))


def sign_in(
    session: Session, email: str, password: str, address: str, now: datetime | None = None
) -> SignInResult:
    """Check a password; commits the failure or the sign-in time."""
    now = now or datetime.now(UTC)
    email = email.strip().lower()
    keys = ((f"email:{email}", FREE_FAILURES), (f"ip:{address}", FREE_FAILURES_PER_ADDRESS))
    wait = max(_throttle(session, key, free, now) for key, free in keys)
    if wait:
        message = ngettext(
            "Too many failed sign-ins. Try again in %(num)d second.",
            "Too many failed sign-ins. Try again in %(num)d seconds.",
            wait,
        )
        return SignInResult(None, message, retry_after=wait)
    user = session.scalar(select(User).where(User.email == email))
    known = user is not None and user.invited_at is None
    # The hash is checked even without an account, so the time taken tells nobody which
    # addresses have one.
    if user is None or not known:
        check_password_hash(_dummy_hash(), password)
    if user is None or not known or not user.check_password(password):
        session.add_all(SignInFailure(key=key, failed_at=now) for key, _ in keys)
        session.execute(delete(SignInFailure).where(SignInFailure.failed_at < now - WINDOW))
        session.commit()
        return SignInResult(None, _("That email and password do not match an account."))
    if not user.is_active:
        return SignInResult(None, _("This account is switched off. Ask an admin."))
    session.execute(delete(SignInFailure).where(SignInFailure.key == keys[0][0]))
    user.last_login_at = now
    session.commit()
    return SignInResult(user)


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method="scrypt")


def sign_out(session: Session, user: User) -> None:
    """End the session on the server: its cookie, even copied, no longer signs anyone in.
    The auth version every session carries changes, so this signs out every session of the
    account, as a shared computer needs."""
    user.auth_version += 1
    session.commit()


def user_for_session(session: Session, session_id: str) -> User | None:
    """The user a session cookie names, if its auth version is still current."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.is_active or user.auth_version != int(version):
        return None
    return user
