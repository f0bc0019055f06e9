"""What the commands share: the person a command acts as (`--as EMAIL`), a use case's
error turned into the command's message, with the session rolled back so nothing of a
refused action is stored, and the sending of the emails a command's changes committed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from sqlalchemy import select

from matchmaker.errors import Forbidden, InputError, LinkError, NotFound, SignInRequired
from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.outbox import send_committed


def person(email: str | None) -> User | None:
    """The active account with this email, or None."""
    if not email:
        return None
    user = db.session().scalar(select(User).where(User.email == email.strip().lower()))
    return user if user is not None and user.is_active else None


def message_of(error: Exception) -> str:
    """A use case's error as one line a person reads."""
    if isinstance(error, InputError):
        return "; ".join(f"{field}: {reason}" for field, reason in error.problems.items())
    return str(error)


@contextmanager
def use_case_errors(prefix: str = "") -> Iterator[None]:
    """Turn the use case's refusals into `click.ClickException` (exit code 1)."""
    try:
        yield
    except (InputError, NotFound, Forbidden, SignInRequired, LinkError) as error:
        db.session.rollback()
        raise click.ClickException(prefix + message_of(error)) from None


def mail_committed() -> tuple[int, int]:
    """Send the emails the command's committed changes wrote to the outbox, now, so the
    command can say how many went out: (sent, failed). A command is no request: it may
    wait for the mail server (the queued task then finds them sent)."""
    return send_committed(db.session(), current_app.config)
