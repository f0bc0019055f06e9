"""`flask exchanges expire` and `flask notifications send`: the jobs the queue's schedule
runs, as commands for those who prefer cron."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from matchmaker.exchanges.expiry import run_daily_expiry
from matchmaker.extensions import db
from matchmaker.outbox import send_due


@click.group("exchanges")
def exchanges_cli() -> None:
    """Exchanges between hubs."""


@exchanges_cli.command("expire")
@with_appcontext
def expire_command() -> None:
    """Expire unanswered proposals and remind hosts before; remind hubs whose feedback on
    a completed exchange is missing; then mail what it wrote. Run it daily (see the README)."""
    session = db.session()
    report = run_daily_expiry(session, current_app.config)
    sent, failed = send_due(session, current_app.config)
    click.echo(
        f"{report.expired} expired, {report.reminded} reminded; {report.feedback_reminded} "
        f"reminded of their feedback; {sent} emails sent, {failed} failed."
    )
    if failed:
        raise SystemExit(1)


@click.group("notifications")
def notifications_cli() -> None:
    """Emails about what concerns each person."""


@notifications_cli.command("send")
@with_appcontext
def send_command() -> None:
    """Send the outbox's due emails, retrying those that failed before (with backoff).
    The queue does this every minute; for cron, run it every few minutes. It exits with
    status 1 when some still failed."""
    sent, failed = send_due(db.session(), current_app.config)
    click.echo(f"{sent} emails sent, {failed} failed (retried later).")
    if failed:
        raise SystemExit(1)
