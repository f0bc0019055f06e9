"""The language and time zone a person reads in: guessed once from their browser at their
first sign-in, then kept until they change it on their account page (or with the
language switcher). Pages, notifications and the digest follow them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from matchmaker.errors import InputError
from matchmaker.field_input import FieldReader
from matchmaker.i18n.choices import zone_error
from matchmaker.models import User


def keep_first_guess(session: Session, user: User, language: str | None) -> None:
    """At sign-in: a person with no language yet keeps the one their browser asked for
    (or chose with the switcher before signing in). Commits only a change."""
    if user.language is None and language:
        user.language = language
        session.commit()


def set_reading(
    session: Session, user: User, data: Mapping[str, Any], languages: Sequence[str]
) -> User:
    """Change the language and/or the time zone (the fields `data` names)."""
    fields = FieldReader(data)
    language = fields.text("language", one_line=True) if fields.has("language") else None
    zone = fields.text("time_zone", one_line=True) if fields.has("time_zone") else None
    fields.done()
    problems = {}
    if language is not None and language not in languages:
        problems["language"] = _(
            "%(value)s is not one of %(known)s", value=repr(language), known=", ".join(languages)
        )
    if zone and (reason := zone_error(zone)):
        problems["time_zone"] = reason
    if problems:
        raise InputError(problems)
    if language:
        user.language = language
    if zone is not None:
        user.time_zone = zone or None  # empty: back to the default (UTC)
    session.commit()
    return user
