"""`flask exchanges expire` and `flask notifications send`: the jobs a scheduler runs."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from matchmaker.exchanges.outcomes import remind_feedback
from matchmaker.exchanges.proposals import ProposalRules, expire_and_remind
from matchmaker.extensions import db
from matchmaker.notifications import deliver


@click.group("exchanges")
def exchanges_cli() -> None:
    """Exchanges between hubs."""


@exchanges_cli.command("expire")
@with_appcontext
def expire_command() -> None:
    """Expire unanswered proposals and remind hosts before; remind hubs whose feedback on
    a completed exchange is missing; then mail what it wrote. Run it daily (see the README)."""
    session = db.session()
    expired, reminded = expire_and_remind(session, ProposalRules.from_config(current_app.config))
    feedback = remind_feedback(session)
    sent, failed = deliver(session, current_app.config)
    click.echo(
        f"{expired} expired, {reminded} reminded; {feedback} reminded of their feedback; "
        f"{sent} emails sent, {failed} failed."
    )
    if failed:
        raise SystemExit(1)


@click.group("notifications")
def notifications_cli() -> None:
    """Emails about what concerns each person."""


@notifications_cli.command("send")
@with_appcontext
def send_command() -> None:
    """Mail the messages that are due, retrying those that failed before (with backoff).
    Run it every few minutes; it exits with status 1 when some still failed."""
    sent, failed = deliver(db.session(), current_app.config)
    click.echo(f"{sent} emails sent, {failed} failed (retried later).")
    if failed:
        raise SystemExit(1)
