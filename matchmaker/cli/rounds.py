"""`flask --app matchmaker rounds allocate|publish ROUND`: the coordinators' round actions
from a shell, through the same use cases as the pages and the API (acting as the round's
creator, or the coordinator given with --as)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from matchmaker.cli.common import mail_committed, person, use_case_errors
from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.rounds.allocation import allocate, review
from matchmaker.rounds.applications import get_round
from matchmaker.rounds.publishing import publish


@click.group("rounds")
def rounds_cli() -> None:
    """Residency rounds: allocate the applications, publish the outcome."""


def _coordinator(round_id: int, email: str | None) -> User:
    """The person acting: `--as EMAIL`, or else the round's creator."""
    if email:
        user = person(email)
        if user is None:
            raise click.ClickException(f"no active account with the email {email!r}")
        return user
    creator = get_round(db.session(), round_id).created_by
    if creator is None:
        raise click.ClickException("the round has no creator any more: give --as EMAIL")
    return creator


def _print_review(round_id: int, user: User) -> None:
    found = review(db.session(), user, round_id)
    for application in found.applications:
        where = application.placed_host.name if application.placed_host else "left out"
        click.echo(f"  {application.hub.name}: {where}. {application.outcome_message}")
    click.echo(f"Costs {found.placed_cost} of {found.budget}; {found.budget_left} left.")


ROUND = click.argument("round_id", metavar="ROUND", type=int)
AS = click.option("--as", "email", help="Act as this coordinator (default: the round's creator).")


@rounds_cli.command("allocate")
@ROUND
@AS
@with_appcontext
def allocate_command(round_id: int, email: str | None) -> None:
    """Run (or re-run) ROUND's allocation over its applications and store it."""
    with use_case_errors():
        user = _coordinator(round_id, email)
        allocation = allocate(db.session(), user, round_id)
    click.echo(allocation.reason)
    _print_review(round_id, user)


@rounds_cli.command("publish")
@ROUND
@AS
@with_appcontext
def publish_command(round_id: int, email: str | None) -> None:
    """Publish ROUND: schedule its residencies and mail every applicant their outcome."""
    session = db.session()
    with use_case_errors():
        made = publish(session, _coordinator(round_id, email), round_id)
    sent, failed = mail_committed()
    if made is None:
        click.echo("Already published: nothing more to do.")
    else:
        click.echo(
            f"Published: {len(made)} residencies scheduled; {sent} emails sent, "
            f"{failed} failed (retried by `flask notifications send`)."
        )
