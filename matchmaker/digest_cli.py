"""`flask --app matchmaker digest send`: the monthly digest, from a scheduler."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from matchmaker.digest_send import recipients, send_digests
from matchmaker.extensions import db


@click.group("digest")
def digest_cli() -> None:
    """The monthly match digest."""


def _period(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    value = value or date.today().strftime("%Y-%m")
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise click.BadParameter(f"{value!r} is not a month like 2027-03")
    return value


@digest_cli.command("send")
@click.option("--period", callback=_period, help="The month, YYYY-MM (default: this month).")
@click.option(
    "--dry-run",
    "dry_run",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the messages as .eml files to this folder instead of sending.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Send at most this many this run.")
@with_appcontext
def send_command(period: str, dry_run: Path | None, limit: int | None) -> None:
    """Compose and send this period's digest to everyone who has something new.
    Safe to run again: nobody gets the same period twice."""
    session = db.session()
    total = len(recipients(session)) if limit is None else limit
    with click.progressbar(length=total, label=f"Digest {period}") as bar:
        summary = send_digests(
            session, current_app.config, period, dry_run=dry_run, limit=limit, progress=bar.update
        )
    where = f" to {dry_run}" if dry_run else ""
    click.echo(
        f"{'Wrote' if dry_run else 'Sent'} {summary.sent}{where} "
        f"(composed in {summary.compose_seconds:.1f} s, sent in {summary.send_seconds:.1f} s)."
    )
    for reason, count in sorted(summary.skipped.items()):
        click.echo(f"Skipped {count}: {reason}.")
    if summary.paused:
        click.echo(f"Told {summary.paused} inactive people that their digest is paused.")
    for email, reason in summary.failed:
        click.echo(f"Failed {email}: {reason}", err=True)
    if summary.failed:
        click.echo(f"{len(summary.failed)} failed: the next run sends them.", err=True)
        raise SystemExit(1)
