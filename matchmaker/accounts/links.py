"""Emailed account links: a password reset, and a coordinator's invitation to a new
hub manager (or coordinator) to choose a password.

A link is signed with the app's secret, expires, and names the account's auth version:
choosing a password raises that version, so each link works once.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.accounts.tokens import revoke_all
from matchmaker.accounts.users import check_new_password, create_user
from matchmaker.errors import InputError, LinkError
from matchmaker.i18n import current_language, for_reader
from matchmaker.models import Role, User
from matchmaker.outbox import write_email
from matchmaker.permissions import require_coordinator

RESET = "password-reset"
INVITATION = "invitation"
LIFETIMES = {RESET: 2 * 3600, INVITATION: 14 * 24 * 3600}


def _serializer(config: Mapping[str, Any], purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(config["SECRET_KEY"], salt=f"matchmaker-{purpose}")


def make_link(config: Mapping[str, Any], purpose: str, user: User) -> str:
    token = _serializer(config, purpose).dumps([user.id, user.auth_version])
    path = "reset-password" if purpose == RESET else "accept-invitation"
    return f"{config['BASE_URL']}/{path}/{token}"


def user_for_link(session: Session, config: Mapping[str, Any], purpose: str, token: str) -> User:
    try:
        user_id, version = _serializer(config, purpose).loads(token, max_age=LIFETIMES[purpose])
    except SignatureExpired:
        raise LinkError(_("This link has expired. Ask for a new one.")) from None
    except (BadSignature, ValueError, TypeError):
        raise LinkError(_("This link is not valid. Check that it was copied whole.")) from None
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active or user.auth_version != version:
        raise LinkError(_("This link has already been used. Ask for a new one."))
    return user


def request_password_reset(session: Session, config: Mapping[str, Any], email: str) -> None:
    """Email a reset link if the address has an account (through the outbox, committed
    here); says nothing either way, so the form cannot be used to find out who has an
    account, and answers as fast either way (no mail server is asked meanwhile)."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active or user.invited_at is not None:
        return
    link = make_link(config, RESET, user)
    with for_reader(user.language, user.time_zone):
        write_email(
            session,
            topic=RESET,
            recipient=user.email,
            subject=_("Reset your matchmaker password"),
            text=_(
                "Hello %(name)s,\n\nSomeone (we hope you) asked to reset the password of your "
                "matchmaker account. Choose a new one here, within 2 hours:\n\n%(link)s\n\n"
                "The link works once. If you did not ask, ignore this email: your password "
                "stays as it is.\n",
                name=user.display_name,
                link=link,
            ),
            language=user.language,
        )
    session.commit()


def set_password_from_link(
    session: Session, config: Mapping[str, Any], purpose: str, token: str, password: str
) -> User:
    user = user_for_link(session, config, purpose, token)
    new_password(session, user, password)
    session.commit()
    return user


def new_password(session: Session, user: User, password: str) -> None:
    """Set a checked password; every other session and every API token ends with the old
    one (the auth version changes, the tokens are revoked)."""
    check_new_password(password)
    user.set_password(password)
    revoke_all(session, user)

    if len(password) > 1000:
        raise InputError.of(
            "password",
            ngettext("use at most %(num)d character", "use at most %(num)d characters", 1000),
        )


def change_password(session: Session, user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise InputError.of("current_password", _("this is not your current password"))
    new_password(session, user, new)
    session.commit()


def invite(
    session: Session,
    config: Mapping[str, Any],
    inviter: User,
    email: str,
    role: Role | str,
    hub_slug: str | None = None,
    name: str = "",
) -> User:
    """Create the account without a usable password and email the link to choose one
    (through the outbox, in the same transaction). Coordinators invite managers and
    coordinators; only admins invite admins."""
    require_coordinator(inviter)
    if str(role) == Role.ADMIN.value and not inviter.is_admin:
        raise InputError.of("role", _("only an admin can invite an admin"))
    user = create_user(session, email, role, secrets.token_urlsafe(32), hub_slug, name)
    user.invited_at = datetime.now(UTC)
    session.flush()
    link = make_link(config, INVITATION, user)
    # Their language is not known until they sign in: the inviter's is the best guess.
    if user.hub:
        invites = _(
            "%(inviter)s invites you to matchmaker as manager of %(hub)s",
            inviter=inviter.display_name,
            hub=user.hub.name,
        )
    elif user.role is Role.ADMIN:
        invites = _(
            "%(inviter)s invites you to matchmaker as an admin", inviter=inviter.display_name
        )
    else:
        invites = _(
            "%(inviter)s invites you to matchmaker as a programme coordinator",
            inviter=inviter.display_name,
        )
    write_email(
        session,
        topic=INVITATION,
        recipient=user.email,
        subject=_("You are invited to matchmaker"),
        text=_(
            "Hello %(name)s,\n\n%(invites)s: the platform our network uses to match hubs for "
            "shadowing visits, hot-desking swaps, residencies and project partners.\n\n"
            "Choose your password here, within 14 days:\n\n%(link)s\n",
            name=user.display_name,
            invites=invites,
            link=link,
        ),
        language=current_language(),
    )
    session.commit()
    return user
