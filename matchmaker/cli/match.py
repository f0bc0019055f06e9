"""`flask --app matchmaker match ...`: suggestions and the network graph from the shell."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from matchmaker.cli.common import use_case_errors
from matchmaker.extensions import db
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.query import MAX_LIMIT, MatchQuery
from matchmaker.matching.ranking import Suggestions
from matchmaker.suggestions.matches import (
    export_network_graph,
    hub_id,
    suggestions_as_dict,
    suggestions_for,
)


@click.group("match")
def match_cli() -> None:
    """Ask the matching engine."""


def _codes(values: tuple[str, ...], upper: bool) -> frozenset[str]:
    return frozenset(v.strip().upper() if upper else v.strip().lower() for v in values)


@match_cli.command("suggest")
@click.argument("hub")
@click.option("--kind", required=True, type=click.Choice([k.value for k in ExchangeKind]))
@click.option("--country", multiple=True, help="Only candidates in this country (ISO code).")
@click.option("--discipline", multiple=True, help="Only candidates working in this discipline.")
@click.option("--language", multiple=True, help="Only candidates working in this language.")
@click.option("--max-km", type=click.FloatRange(min=0, min_open=True), help="Maximum distance.")
@click.option("--from", "starts_on", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--to", "ends_on", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--part", help="Programme part (call topic) for project partners, e.g. SC6.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, MAX_LIMIT))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@with_appcontext
def suggest_command(
    hub: str,
    kind: str,
    country: tuple[str, ...],
    discipline: tuple[str, ...],
    language: tuple[str, ...],
    max_km: float | None,
    starts_on: datetime | None,
    ends_on: datetime | None,
    part: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Ranked suggestions of one KIND for HUB (its slug), each with its reasons."""
    query = MatchQuery(
        kind=ExchangeKind(kind),
        countries=_codes(country, upper=True),
        disciplines=_codes(discipline, upper=False),
        languages=_codes(language, upper=False),
        max_distance_km=max_km,
        starts_on=starts_on.date() if starts_on else None,
        ends_on=ends_on.date() if ends_on else None,
        programme_part=part,
        limit=limit,
    )
    if problems := query.problems():
        raise click.UsageError("; ".join(f"{k}: {v}" for k, v in problems.items()))
    session = db.session()
    with use_case_errors():
        organisation_id = hub_id(session, hub)
    result = suggestions_for(
        session,
        organisation_id,
        query,
        record=False,
    )
    click.echo(
        json.dumps(suggestions_as_dict(result), indent=1, ensure_ascii=False)
        if as_json
        else as_text(result)
    )


def as_text(result: Suggestions) -> str:
    name = result.requester.name if result.requester else "?"
    lines = [f"{result.query.kind.label.capitalize()} suggestions for {name}:"]
    if not result.items:
        lines.append(f"  None: {result.reason}.")
    for rank, item in enumerate(result.items, start=1):
        o = item.organisation
        lines.append(f"{rank:>3}. {o.name} ({o.city or '?'}, {o.country}) score {item.score:.2f}")
        lines += [f"       {'−' if r.kind == 'weak' else '+'} {r.text}" for r in item.reasons]
    lines += [f"  Note: {note}." for note in result.notes]
    return "\n".join(lines)


@match_cli.command("graph")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "json"]),
    default="graphml",
    show_default=True,
    help="GraphML (Gephi, yEd) or node-link JSON (d3).",
)
@with_appcontext
def graph_command(file: Path, fmt: str) -> None:
    """Export the network graph to FILE for your own tools."""
    try:
        nodes, edges = export_network_graph(db.session(), file, fmt)
    except OSError as error:
        raise click.ClickException(f"cannot write {file}: {error.strerror}") from None
    click.echo(f"Wrote {nodes} nodes and {edges} edges to {file} ({fmt}).")
