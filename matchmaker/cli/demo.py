"""`flask --app matchmaker seed-demo`: the demo network for a first look."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from matchmaker.demo.seed import DEFAULT_HUBS, DEFAULT_SEED, DatabaseNotEmpty, seed_demo
from matchmaker.extensions import db


@click.command("seed-demo")
@click.option("--hubs", default=DEFAULT_HUBS, show_default=True, type=click.IntRange(1, 200_000))
@click.option("--seed", default=DEFAULT_SEED, show_default=True, type=int)
@click.option("--if-empty", is_flag=True, help="Do nothing, successfully, if there is data.")
@with_appcontext
def seed_demo_command(hubs: int, seed: int, if_empty: bool) -> None:
    """Fill an empty database with a demo network and demo accounts."""
    try:
        summary = seed_demo(db.session(), hubs=hubs, seed=seed)
    except DatabaseNotEmpty as error:
        if if_empty:
            click.echo("The database already has data; no demo network added.")
            return
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Demo network: {summary.hubs} hubs in {summary.countries} countries, "
        f"{summary.organisations - summary.hubs} partner organisations, "
        f"{summary.availability_windows} availability windows, {summary.projects} past projects."
    )
    click.echo("Demo accounts (password for all: " + summary.accounts[0].password + "):")
    for account in summary.accounts:
        hub = f" of {account.hub_slug}" if account.hub_slug else ""
        click.echo(f"  {account.email:28} {account.role.value}{hub}")
