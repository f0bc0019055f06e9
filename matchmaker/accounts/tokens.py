"""Personal API tokens: created and revoked by their owner, stored as a SHA-256 hash.

The secret is random (256 bits), so a plain hash is enough: there is nothing to guess.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session, joinedload

from matchmaker.errors import NotFound
from matchmaker.extensions import after_reading
from matchmaker.field_input import FieldReader
from matchmaker.models import ApiToken, User

PREFIX = "mm_"
MAX_TOKENS = 20
# A token's last use is noted to the minute: every API call writing it would make reads
# queue for the write lock.
LAST_USE_PRECISION = timedelta(minutes=1)
# Every API call runs it: built once, with the hash as a parameter. Building the select
# with its joined load and working out its cache key cost more than running it (0.9 of
# 1.5 ms a call, measured at 10,000 hubs).
_TOKEN_WITH_USER = (
    select(ApiToken)
    .options(joinedload(ApiToken.user))  # one query for both
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def hash_secret(secret: str) -> str:
    """What is stored of a random secret (a token, a feed address): its SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at, ApiToken.id)
        )
    )


def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the secret is returned once and never stored."""
    fields = FieldReader({"name": name})
    fields.text("name", required=True, limit=80, one_line=True)
    if len(tokens_of(session, user)) >= MAX_TOKENS:
        fields.problem(
            "name",
            ngettext(
                "you have %(num)d token already: revoke it first",
                "you have %(num)d tokens already: revoke one first",
                MAX_TOKENS,
            ),
        )
    fields.done()
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name.strip(), prefix=secret[:10], token_hash=hash_secret(secret)
    )
    session.add(token)
    session.commit()
    return token, secret


def revoke_token(session: Session, user: User, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFound(_("you have no token number %(num)d", num=token_id))
    token.revoked_at = datetime.now(UTC)
    session.commit()


def revoke_all(session: Session, user: User) -> None:
    """End every token of the user: a password change, a reset or switching the account
    off means whoever held a token may not act for them any more (no commit: the caller's
    change commits it)."""
    now = datetime.now(UTC)
    for token in tokens_of(session, user):
        token.revoked_at = now


def user_for_token(session: Session, secret: str) -> User | None:
    if not secret.startswith(PREFIX):
        return None
    token = session.scalar(_TOKEN_WITH_USER, {"token_hash": hash_secret(secret)})
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = datetime.now(UTC)
    if token.last_used_at is None or token.last_used_at < now - LAST_USE_PRECISION:
        after_reading(session, lambda write: _note_use(write, token.id, now))
    return token.user


def _note_use(session: Session, token_id: int, now: datetime) -> None:
    """At most once per `LAST_USE_PRECISION`, however many requests race to note it."""
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at < now - LAST_USE_PRECISION,
            ),
        )
        .values(last_used_at=now)
    )
