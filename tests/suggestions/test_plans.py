"""Planning exchanges on the demo network, through the database: the use cases, the
`flask plan` commands (text and JSON) and their answers to input that plans nothing."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.cli.plan import plan_cli
from matchmaker.demo.seed import seed_demo
from matchmaker.engine import INDEXES
from matchmaker.matching.exchange_inputs import residency_inputs
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.residency import ResidencyRound as RoundRules
from matchmaker.models import (
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    Organisation,
    ParticipantRole,
    ResidencyRound,
)
from matchmaker.suggestions.matches import suggestions_for
from matchmaker.suggestions.plans import desk_day_balances
from tests.support.exchange_oracles import allocation_problems

TODAY = date.today()
FROM, TO = TODAY + timedelta(days=7), TODAY + timedelta(days=120)


pytestmark = pytest.mark.usefixtures("fresh_index_cache")


@pytest.fixture
def demo(session: Session) -> dict[str, Organisation]:
    seed_demo(session, hubs=24, seed=5, today=TODAY)
    return {o.slug: o for o in session.scalars(select(Organisation))}


def plan(runner: FlaskCliRunner, *args: str) -> dict:
    result = runner.invoke(plan_cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_swap_rings_follow_the_rules_with_the_engines_scores(runner, session, demo):
    data = plan(runner, "swaps", "--from", str(FROM), "--to", str(TO))
    assert data["rings"] and data["optimal"]
    assert data["objective"] == pytest.approx(sum(r["weight"] for r in data["rings"]), abs=1e-5)
    seen: set[str] = set()
    for ring in data["rings"]:
        legs = ring["legs"]
        starts, ends = date.fromisoformat(ring["starts_on"]), date.fromisoformat(ring["ends_on"])
        assert starts >= FROM and ends <= TO and (ends - starts).days + 1 >= 5
        for leg, following in zip(legs, legs[1:] + legs[:1], strict=True):
            assert leg["host"] == following["guest"] and leg["guest"] not in seen
            seen.add(leg["guest"])
            host, guest = demo[leg["host"]], demo[leg["guest"]]
            assert any(
                w.kind is AvailabilityKind.DESKS and w.starts_on <= starts and ends <= w.ends_on
                for w in host.availability
            )
            query = MatchQuery(ExchangeKind.HOT_DESKING, starts_on=FROM, ends_on=TO, limit=100)
            shown = suggestions_for(session, guest.id, query, record=False)
            score = next(s.score for s in shown.items if s.organisation.id == host.id)
            assert leg["score"] == pytest.approx(score, abs=1e-4)
    assert {h["hub"] for h in data["left_out"]}.isdisjoint(seen)
    text = runner.invoke(plan_cli, ["swaps", "--from", str(FROM), "--to", str(TO)]).output
    assert text.startswith("Hot-desking swaps, ") and "the best possible, proven" in text
    assert "  1. (weight " in text and "Ring of " in text


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (TODAY + timedelta(days=3000), TODAY + timedelta(days=3030), "none did"),
        (TO, FROM, "The period ends before it starts"),
    ],
)
def test_swaps_that_cannot_be_planned_say_why(runner, session, demo, start, end, reason):
    data = plan(runner, "swaps", "--from", str(start), "--to", str(end))
    assert data["rings"] == [] and reason in data["reason"]


def test_the_ledger_counts_desk_days_given_and_taken(session, demo):
    a, b, c = (demo[slug].id for slug in list(demo)[:3])
    ring = Exchange(
        kind=ExchangeKind.HOT_DESKING,
        state=ExchangeState.COMPLETED,
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 1, 14),
    )
    ring.participants = [
        ExchangeParticipant(organisation_id=hub, role=ParticipantRole.RING_MEMBER, position=i)
        for i, hub in enumerate((a, b, c))
    ]
    pair = Exchange(
        kind=ExchangeKind.HOT_DESKING,
        state=ExchangeState.COMPLETED,
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 2, 5),
    )
    pair.participants = [
        ExchangeParticipant(organisation_id=a, role=ParticipantRole.HOST, position=0),
        ExchangeParticipant(organisation_id=c, role=ParticipantRole.GUEST, position=1),
    ]
    open_one = Exchange(
        kind=ExchangeKind.HOT_DESKING,
        state=ExchangeState.PROPOSED,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 9),
    )
    open_one.participants = [
        ExchangeParticipant(organisation_id=b, role=ParticipantRole.HOST, position=0),
        ExchangeParticipant(organisation_id=a, role=ParticipantRole.GUEST, position=1),
    ]
    session.add_all([ring, pair, open_one])
    session.flush()
    # Each ring member hosts the next for 10 days, so the ring itself balances out.
    assert desk_day_balances(session) == {a: 5, b: 0, c: -5}


def test_a_residency_round_is_stable_within_budget(runner, session, demo):
    data = plan(
        runner,
        "residencies",
        "--from",
        str(FROM),
        "--to",
        str(TO),
        "--budget",
        "1e9",
        "--cost-per-week",
        "100",
        "--choices",
        "3",
    )
    assert data["placements"] and not data["budget_binding"]
    assert data["total_cost"] == pytest.approx(sum(p["cost"] for p in data["placements"]))
    inputs = residency_inputs(INDEXES.get(session), FROM, TO, choices=3)
    slug_of = {o.id: o.slug for o in demo.values()}
    assert data["choices"] == {
        slug_of[a.id]: [slug_of[h] for h in a.hosts] for a in inputs.applicants
    }
    id_of = {o.slug: o.id for o in demo.values()}
    allocation = {id_of[p["applicant"]]: id_of[p["host"]] for p in data["placements"]}
    assert allocation_problems(inputs.applicants, inputs.hosts, allocation) == []
    tight = plan(
        runner,
        "residencies",
        "--from",
        str(FROM),
        "--to",
        str(TO),
        "--budget",
        str(data["total_cost"] - 1),
        "--cost-per-week",
        "100",
        "--choices",
        "3",
    )
    assert tight["budget_binding"] and tight["total_cost"] <= data["total_cost"] - 1
    assert any(left["cause"] == "budget" for left in tight["left_out"])


def test_a_stored_round_and_chosen_applicants_plan_a_round(runner, session, demo):
    stored = ResidencyRound(
        name="Spring",
        starts_on=FROM,
        ends_on=TO,
        budget=Decimal(500),
        cost_per_residency=Decimal(1000),
    )
    session.add(stored)
    session.flush()
    slugs = list(demo)[:2]
    args = ["residencies", "--round", str(stored.id), "--applicant", slugs[0], "--applicant"]
    data = plan(runner, *args, slugs[1])
    assert data["budget"] == 500 and data["placements"] == []
    assert {left["applicant"] for left in data["left_out"]} == set(slugs)
    assert "is below the cost of one residency (1,000.00)" in data["reason"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--from", str(FROM), "--to", str(TO)], 2, "give --round, or --from, --to and --budget"),
        (["--round", "999999"], 1, "no residency round #999999"),
        (
            ["--from", str(FROM), "--to", str(TO), "--budget", "10", "--applicant", "nobody"],
            1,
            "no hub or organisation with the slug 'nobody'",
        ),
    ],
)
def test_residency_plans_refuse_what_they_cannot_read(runner, session, demo, args, code, message):
    result = runner.invoke(plan_cli, ["residencies", *args])
    assert result.exit_code == code and message in result.output


def test_a_round_with_its_dates_reversed_says_so(session, demo):
    from matchmaker.suggestions.plans import plan_residencies

    result = plan_residencies(session, RoundRules(TO, FROM, 1000.0))
    assert result.allocation.reason == "The round ends before it starts."


def competences(organisation: Organisation) -> set[str]:
    return {s.category.slug for s in organisation.services} | {
        d.slug for d in organisation.disciplines
    }


def test_consortia_meet_the_call_around_the_hub(runner, session, demo):
    hub = next(iter(demo))
    needed = ["fablab", "funding"]
    data = plan(
        runner,
        "consortium",
        hub,
        "--min-partners",
        "4",
        "--min-countries",
        "3",
        "--max-size",
        "5",
        "--competence",
        needed[0],
        "--competence",
        needed[1],
    )
    assert data["consortia"] and data["candidates"] > 0
    scores = [c["score"] for c in data["consortia"]]
    assert scores == sorted(scores, reverse=True)
    for consortium in data["consortia"]:
        members = [demo[slug] for slug in consortium["members"]]
        assert consortium["eligible"] and members[0].slug == hub
        assert 4 <= len(members) <= 5 and len({m.country for m in members}) >= 3
        assert set(needed) <= set().union(*(competences(m) for m in members))
    text = runner.invoke(
        plan_cli, ["consortium", hub, "--min-partners", "4", "--min-countries", "3"]
    ).output
    assert text.startswith(f"Consortia for {demo[hub].name} (") and "1. [eligible] " in text


@pytest.mark.parametrize(
    ("args", "missing"),
    [
        (
            ["--min-partners", "3", "--min-countries", "2", "--competence", "quantum"],
            "no candidate offers competence 'quantum'",
        ),
        (
            ["--min-partners", "6", "--min-countries", "2", "--max-size", "4"],
            "the call asks for at least 6 members but at most 4",
        ),
    ],
)
def test_a_call_no_consortium_can_meet_gets_the_closest_and_what_it_lacks(
    runner, session, demo, args, missing
):
    data = plan(runner, "consortium", next(iter(demo)), *args)
    (closest,) = data["consortia"]
    assert not closest["eligible"] and missing in closest["missing"]
    assert data["reason"].startswith("No consortium can meet the call: ")


def test_an_unknown_hub_has_no_consortium(runner, session, demo):
    result = runner.invoke(
        plan_cli, ["consortium", "nobody", "--min-partners", "3", "--min-countries", "2"]
    )
    assert result.exit_code == 1
    assert "no hub or organisation with the slug 'nobody'" in result.output
