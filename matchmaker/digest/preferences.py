"""A person's digest preference, changed from the signed link in every digest: no sign-in
is needed, so the link itself says whose preference it is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from matchmaker.digest.message import user_id_from_token
from matchmaker.errors import InputError, NotFound
from matchmaker.models import User

CHOICES = ("monthly", "off")


def holder_of(session: Session, config: Mapping[str, Any], token: str) -> User:
    """The person a digest link was signed for; `NotFound` for a link that is not whole
    or names nobody any more."""
    user_id = user_id_from_token(config, token)
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise NotFound(_("this link is not valid: check that it was copied whole"))
    return user


def choose_digest(session: Session, user: User, choice: str) -> None:
    """Receive the digest monthly or never ("off"), as the person chose; anything else is
    refused so a mangled form cannot switch it to an unknown state."""
    if choice not in CHOICES:
        raise InputError.of("digest", _("Choose monthly or never."))
    user.digest = choice
    session.commit()
