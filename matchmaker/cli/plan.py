"""`flask --app matchmaker plan ...`: swap rings, a residency round's allocation and a
call's consortia, proposed from the network with their explanations. Nothing is stored,
except a swap ring that `plan swaps --propose N` turns into a group proposal."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from matchmaker.cli.common import mail_committed, person, use_case_errors
from matchmaker.exchanges.proposals import ProposalRules
from matchmaker.exchanges.swap_rings import propose_ring
from matchmaker.extensions import db
from matchmaker.matching.consortia import Call
from matchmaker.matching.residency import ResidencyRound as RoundRules
from matchmaker.matching.swaps import SwapRules
from matchmaker.suggestions.plan_output import consortium_output, residency_output, swap_output
from matchmaker.suggestions.plans import (
    SwapPlan,
    plan_consortium,
    plan_residencies,
    plan_swaps,
    round_rules,
)

DAY = click.DateTime(["%Y-%m-%d"])


@click.group("plan")
def plan_cli() -> None:
    """Plan exchanges across the network (proposals only)."""


def _echo(text: str, data: dict[str, Any], as_json: bool) -> None:
    click.echo(json.dumps(data, indent=1, ensure_ascii=False) if as_json else text)


@plan_cli.command("swaps")
@click.option("--from", "starts_on", required=True, type=DAY, help="YYYY-MM-DD")
@click.option("--to", "ends_on", required=True, type=DAY, help="YYYY-MM-DD")
@click.option(
    "--cap",
    default=3,
    show_default=True,
    type=click.IntRange(1, 4),
    help="Most hubs in a ring (above 3: small networks only).",
)
@click.option(
    "--members",
    default=1,
    show_default=True,
    type=click.IntRange(1, 50),
    help="People each hub sends.",
)
@click.option(
    "--min-days",
    default=5,
    show_default=True,
    type=click.IntRange(1, 366),
    help="Shortest stay, in consecutive days.",
)
@click.option(
    "--time-limit",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds for the optimiser.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "--propose",
    "ring_number",
    type=click.IntRange(min=1),
    help="Propose ring N of the plan to its hubs (with --as and --message).",
)
@click.option("--as", "email", help="The coordinator or manager who proposes (email).")
@click.option("--message", default="", help="The personal message to the ring's hubs.")
@with_appcontext
def swaps_command(
    starts_on: datetime,
    ends_on: datetime,
    cap: int,
    members: int,
    min_days: int,
    time_limit: float,
    as_json: bool,
    ring_number: int | None,
    email: str | None,
    message: str,
) -> None:
    """Rings of hubs hosting each other's members at their free desks in the period;
    with --propose, one of them becomes a group proposal that every hub answers."""
    rules = SwapRules(cycle_cap=cap, min_days=min_days, time_limit_s=time_limit)
    plan = plan_swaps(
        db.session(),
        starts_on.date(),
        ends_on.date(),
        rules=rules,
        members=members,
    )
    _echo(*swap_output(plan), as_json)
    if ring_number is not None:
        _propose_ring(plan, ring_number, email, message)


def _propose_ring(plan: SwapPlan, number: int, email: str | None, message: str) -> None:
    session = db.session()
    rings = plan.clearing.rings
    if number > len(rings):
        raise click.UsageError(f"--propose {number}: the plan has {len(rings)} ring(s)")
    user = person(email)
    if user is None:
        raise click.UsageError("--as: give the email of an active coordinator or manager")
    with use_case_errors(f"ring {number} was not proposed: "):
        exchange = propose_ring(
            session, user, rings[number - 1], message, ProposalRules.from_config(current_app.config)
        )
    sent, failed = mail_committed()
    click.echo(
        f"Proposed ring {number} as exchange #{exchange.id}; {sent} emails sent, "
        f"{failed} failed (retried later).",
        err=True,
    )


@plan_cli.command("residencies")
@click.option("--round", "round_id", type=int, help="A stored round: its dates, budget, costs.")
@click.option("--from", "starts_on", type=DAY, help="YYYY-MM-DD (without --round)")
@click.option("--to", "ends_on", type=DAY, help="YYYY-MM-DD (without --round)")
@click.option("--budget", type=float, help="The round's budget (without --round).")
@click.option("--cost-per-residency", default=0.0, show_default=True, type=float)
@click.option("--cost-per-week", default=0.0, show_default=True, type=float)
@click.option("--weeks", type=click.IntRange(min=1), help="A residency's length in weeks.")
@click.option(
    "--applicant", "applicants", multiple=True, help="An applying hub's slug (default: all)."
)
@click.option(
    "--choices",
    default=5,
    show_default=True,
    type=click.IntRange(1, 20),
    help="Hosts each applicant ranks, from its suggestions.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@with_appcontext
def residencies_command(
    round_id: int | None,
    starts_on: datetime | None,
    ends_on: datetime | None,
    budget: float | None,
    cost_per_residency: float,
    cost_per_week: float,
    weeks: int | None,
    applicants: tuple[str, ...],
    choices: int,
    as_json: bool,
) -> None:
    """A stable allocation of applicants to residency hosts, within the round's budget."""
    session = db.session()
    if round_id is not None:
        with use_case_errors():
            rules = round_rules(session, round_id)
        rules = RoundRules(
            rules.starts_on,
            rules.ends_on,
            rules.budget,
            rules.cost_per_residency,
            rules.cost_per_week,
            weeks,
        )
    elif starts_on is None or ends_on is None or budget is None:
        raise click.UsageError("give --round, or --from, --to and --budget")
    else:
        rules = RoundRules(
            starts_on.date(), ends_on.date(), budget, cost_per_residency, cost_per_week, weeks
        )
    with use_case_errors():
        plan = plan_residencies(session, rules, applicants=applicants or None, choices=choices)
    _echo(*residency_output(plan), as_json)


@plan_cli.command("consortium")
@click.argument("hub")
@click.option("--min-partners", required=True, type=int, help="Members, this hub included.")
@click.option("--min-countries", required=True, type=int, help="Distinct countries.")
@click.option("--max-size", default=10, show_default=True, type=int, help="Most members.")
@click.option(
    "--competence",
    "competences",
    multiple=True,
    help="A required service category or discipline (slug), e.g. fablab.",
)
@click.option("--part", help="Programme part (call topic), e.g. SC6.")
@click.option("--top", default=3, show_default=True, type=click.IntRange(1, 10))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@with_appcontext
def consortium_command(
    hub: str,
    min_partners: int,
    min_countries: int,
    max_size: int,
    competences: tuple[str, ...],
    part: str | None,
    top: int,
    as_json: bool,
) -> None:
    """The best consortia around HUB (its slug) for a call, each with what it lacks."""
    call = Call(
        min_partners, min_countries, max_size, frozenset(c.strip().lower() for c in competences)
    )
    with use_case_errors():
        plan = plan_consortium(db.session(), hub, call, top=top, programme_part=part)
    _echo(*consortium_output(plan), as_json)
