"""`flask --app matchmaker digest send`: the monthly digest, from a scheduler."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from matchmaker.digest.sending import STALE_CLAIM_SECONDS, enqueue_run, send_digests
from matchmaker.extensions import db


@click.group("digest")
def digest_cli() -> None:
    """The monthly match digest."""


def _period(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    value = value or date.today().strftime("%Y-%m")
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise click.BadParameter(f"{value!r} is not a month like 2027-03")
    return value


def _enqueue(period: str, limit: int | None) -> None:
    """The run as queue tasks: one per chunk, sent by `flask jobs worker` anywhere."""
    from matchmaker.jobs import enqueue

    def put(*chunk: object) -> None:
        if not enqueue("digest_chunk", *chunk):
            raise click.ClickException("the job queue cannot be reached (QUEUE_URL)")

    plan = enqueue_run(db.session(), current_app.config, period, put, limit=limit)
    click.echo(f"Queued {plan.people} people in {len(plan.chunks)} chunks for {period}.")
    for reason, count in sorted(plan.skipped.items()):
        click.echo(f"Skipped {count}: {reason}.")


@digest_cli.command("send")
@click.option("--period", callback=_period, help="The month, YYYY-MM (default: this month).")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Write the messages as .eml files to instance/digest-dry-run/PERIOD/ instead.",
)
@click.option(
    "--dry-run-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A dry run that writes the .eml files to this folder.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), help="Handle at most this many people this run."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes for a large run (default: DIGEST_WORKERS, or one per core).",
)
@click.option(
    "--enqueue",
    is_flag=True,
    help="Put the run's chunks on the job queue for its workers instead of sending here.",
)
@with_appcontext
def send_command(
    period: str,
    dry_run: bool,
    dry_run_dir: Path | None,
    limit: int | None,
    workers: int | None,
    enqueue: bool,
) -> None:
    """Compose and send this period's digest to everyone who has something new.
    Safe to run again: nobody gets the same period twice."""
    if enqueue:
        _enqueue(period, limit)
        return
    folder = dry_run_dir
    if dry_run and folder is None:
        folder = Path(current_app.instance_path) / "digest-dry-run" / period
    session = db.session()
    with click.progressbar(length=1, label=f"Digest {period}") as bar:

        def total(people: int) -> None:
            bar.length = max(people, 1)

        summary = send_digests(
            session,
            current_app.config,
            period,
            dry_run=folder,
            limit=limit,
            workers=workers,
            progress=bar.update,
            on_total=total,
        )
    where = f" to {folder}" if folder else ""
    click.echo(
        f"{'Wrote' if folder else 'Sent'} {summary.sent}{where} "
        f"(composed in {summary.compose_seconds:.1f} s, sent in {summary.send_seconds:.1f} s)."
    )
    for reason, count in sorted(summary.skipped.items()):
        click.echo(f"Skipped {count}: {reason}.")
    if summary.paused:
        click.echo(f"Told {summary.paused} inactive people that their digest is paused.")
    if summary.busy:
        stale = current_app.config.get("DIGEST_CLAIM_STALE_SECONDS", STALE_CLAIM_SECONDS)
        click.echo(
            f"{summary.busy} claimed by another run in the last {stale} s: not sent by this one. "
            "If no other run is going (one died), run again after that.",
            err=True,
        )
    for email, reason in summary.failed:
        click.echo(f"Failed {email}: {reason}", err=True)
    if summary.failed:
        click.echo(f"{len(summary.failed)} failed: the next run sends them.", err=True)
    for reason in summary.stopped:
        click.echo(f"Stopped early: {reason}.", err=True)
    if not summary.ok:
        raise SystemExit(1)
