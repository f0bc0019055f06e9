"""Previewing a digest as it will be sent: a person checks their own, and a coordinator
checks anyone's (what a manager is about to receive) before the monthly run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from matchmaker.digest.content import DigestContent, gather
from matchmaker.digest.message import render, subject_of
from matchmaker.errors import Forbidden, NotFound
from matchmaker.models import User
from matchmaker.permissions import signed_in


@dataclass(frozen=True)
class DigestPreview:
    """One person's digest for a period, in both parts of the email and its subject."""

    person: User
    content: DigestContent
    text: str
    html: str
    subject: str


def whose_digest(session: Session, user: User | None, wanted_user_id: int | None) -> User:
    """The person whose digest `user` may preview: themselves (no id, or their own), or
    anyone for a coordinator; another person's digest shows their exchanges, so a manager
    is refused it."""
    user = signed_in(user)
    if wanted_user_id is None or wanted_user_id == user.id:
        return user
    if not user.is_coordinator:
        raise Forbidden(_("only a coordinator can preview someone else's digest"))
    person = session.get(User, wanted_user_id)
    if person is None:
        raise NotFound(_("there is no user number %(id)s", id=wanted_user_id))
    return person


def digest_preview(
    session: Session,
    user: User | None,
    wanted_user_id: int | None,
    period: str,
    config: Mapping[str, Any],
) -> DigestPreview:
    """The digest of `period` (YYYY-MM) that the wanted person (by default the user)
    would receive, rendered exactly as it is sent; `Forbidden` or `NotFound` as
    `whose_digest` decides."""
    person = whose_digest(session, user, wanted_user_id)
    (content,) = gather(session, [person], period)
    text, html = render(content, config)
    return DigestPreview(person, content, text, html, subject_of(content))
