"""`flask --app matchmaker users create`: accounts from the shell."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from matchmaker.accounts.users import create_user
from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.models import Role


@click.group("users")
def users_cli() -> None:
    """Manage user accounts."""


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--hub", "hub_slug", help="Slug of the hub a manager manages.")
@click.option("--name", default="")
@click.password_option(help="Asked for when not given.")
@with_appcontext
def create_user_command(
    email: str, role: str, hub_slug: str | None, name: str, password: str
) -> None:
    """Create an account."""
    try:
        user = create_user(db.session(), email, role, password, hub_slug, name)
        db.session.commit()
    except InputError as error:
        db.session.rollback()
        ((field, reason),) = error.problems.items()
        raise click.BadParameter(reason, param_hint=f"--{field}") from None
    click.echo(f"Created {user.role.value} {user.email}.")
