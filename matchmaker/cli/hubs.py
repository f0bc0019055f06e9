"""`flask --app matchmaker hubs import|export` and `projects import`: hub profiles as CSV and
EU project history (CORDIS) in and out."""

from __future__ import annotations

import csv
import sys
import zlib
from pathlib import Path

import click
from flask.cli import with_appcontext

from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.hubs.cordis import read_cordis, write_cordis
from matchmaker.hubs.csv_export import export_hubs_csv
from matchmaker.hubs.csv_upload import FILE_FIELD, import_hubs_file


@click.group("hubs")
def hubs_cli() -> None:
    """Import and export hub profiles as CSV (see the README for the format)."""


@hubs_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_hubs_command(file: Path) -> None:
    """Import hubs from FILE.csv: all rows or, if any row is bad, none."""
    try:
        with file.open("rb") as stream:
            outcome = import_hubs_file(db.session(), stream)
    except InputError as error:
        raise click.ClickException(f"{file} {error.problems[FILE_FIELD]}") from None
    if outcome.errors:
        for problem in outcome.errors:
            click.echo(f"{file}: {problem}", err=True)
        raise click.ClickException(f"{len(outcome.errors)} problem(s) found; nothing was imported.")
    summary = outcome.summary
    assert summary is not None
    click.echo(
        f"Imported {file}: {summary.created} created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged."
    )


@hubs_cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--all-kinds", is_flag=True, help="Export partner organisations too, not only hubs.")
@with_appcontext
def export_hubs_command(file: Path, all_kinds: bool) -> None:
    """Export hubs to FILE.csv in the import format ('-' for standard output)."""
    if str(file) == "-":
        count = export_hubs_csv(db.session(), sys.stdout, all_kinds)
    else:
        try:
            with file.open("w", encoding="utf-8", newline="") as out:
                count = export_hubs_csv(db.session(), out, all_kinds)
        except OSError as error:
            raise click.ClickException(f"cannot write {file}: {error.strerror}") from None
        click.echo(f"Exported {count} organisations to {file}.")


@click.group("projects")
def projects_cli() -> None:
    """Import the collaboration history."""


@projects_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--programme-parts",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The companion rcn,programme_part file.",
)
@with_appcontext
def import_projects_command(file: Path, programme_parts: Path | None) -> None:
    """Import CORDIS-style participation records from FILE (CSV, gzip or plain)."""
    try:
        with click.progressbar(length=file.stat().st_size, label="Reading  ") as bar:
            data = read_cordis(file, programme_parts, on_bytes=bar.update)
    except (UnicodeDecodeError, EOFError, OSError, csv.Error, zlib.error) as error:
        raise click.ClickException(f"cannot read {file}: {error}") from None
    if data.errors:
        for problem in data.errors[:200]:
            click.echo(f"{file}: {problem}", err=True)
        if len(data.errors) > 200:
            click.echo(f"... and {len(data.errors) - 200} more.", err=True)
        raise click.ClickException(f"{len(data.errors)} problem(s) found; nothing was imported.")
    try:
        with click.progressbar(length=data.write_units, label="Importing") as bar:
            summary = write_cordis(db.session(), data, on_rows=bar.update)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(
        f"Read {data.rows} participations: {len(data.organisations)} organisations, "
        f"{len(data.projects)} projects."
    )
    click.echo(
        f"Organisations: {summary.organisations_created} created. "
        f"Projects: {summary.projects_created} created, {summary.projects_updated} updated. "
        f"Participations: {summary.participations_created} created, "
        f"{summary.participations_updated} updated. "
        f"Programme parts: {summary.parts_created} added, {summary.parts_removed} removed."
    )
    if data.countries_mapped:
        mapped = ", ".join(f"{k} ({v} rows)" for k, v in sorted(data.countries_mapped.items()))
        click.echo(f"Eurostat country codes mapped to ISO: {mapped}.")
    if data.missing_values:
        missing = ", ".join(f"{k} {v}" for k, v in sorted(data.missing_values.items()))
        click.echo(f"Missing values (NA or empty, stored as empty): {missing}.")
    if data.years_from_dates:
        click.echo(f"Years taken from the project's dates: {data.years_from_dates}.")
    if data.parts_for_unknown_projects:
        click.echo(
            f"Programme parts for projects not in {file.name}, skipped: "
            f"{data.parts_for_unknown_projects}."
        )
    if not summary.changed:
        click.echo("Nothing changed: the database already held this file.")
