"""The engine through the database: the adapter, the suggestion use case with what it
records, the index cache, the `flask match` commands and the weights setting."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.config import ConfigError, load_config
from matchmaker.demo.seed import seed_demo
from matchmaker.engine import load_network
from matchmaker.errors import Forbidden, InputError, NotFound, SignInRequired
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.query import MatchQuery
from matchmaker.models import (
    AvailabilityKind,
    AvailabilityWindow,
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    Need,
    Organisation,
    OrganisationKind,
    ParticipantRole,
    Service,
    SuggestionImpression,
    User,
)
from matchmaker.suggestions.matches import (
    api_matches,
    hub_and_shown,
    hub_to_match,
    matches_for,
    suggestions_for,
    times_shown,
)

TODAY = date.today()


pytestmark = pytest.mark.usefixtures("fresh_index_cache")


@pytest.fixture
def demo(session: Session) -> Organisation:
    """The demo network; returns the hub of manager1@example.org."""
    seed_demo(session, hubs=24, seed=5, today=TODAY)
    user = session.scalar(select(User).where(User.email == "manager1@example.org"))
    assert user is not None and user.hub is not None
    return user.hub


def test_the_adapter_reads_every_hub_with_its_entries_and_current_windows(session, demo):
    old = AvailabilityWindow(
        organisation_id=demo.id,
        kind=AvailabilityKind.DESKS,
        starts_on=TODAY - timedelta(days=90),
        ends_on=TODAY - timedelta(days=60),
        places=2,
    )
    session.add(old)
    session.flush()
    network = load_network(session, today=TODAY)
    stored = session.scalars(select(Organisation)).all()
    assert {o.id for o in network.organisations} == {o.id for o in stored}
    mine = next(o for o in network.organisations if o.id == demo.id)
    assert [e.title for e in mine.services] == [s.title for s in demo.services]
    assert [(e.title, e.priority) for e in mine.needs] == [
        (n.title, n.priority) for n in demo.needs
    ]
    assert set(mine.languages) == set(demo.languages)
    assert all(w.ends_on >= TODAY for w in mine.windows)
    assert len(network.projects) > 0 and all(p.members for p in network.projects)


@pytest.mark.parametrize("kind", list(ExchangeKind))
def test_a_demo_hub_gets_explained_suggestions_of_every_kind(session, demo, kind):
    result = suggestions_for(session, demo.id, MatchQuery(kind, limit=5))
    assert result.items, result.reason
    titles_of_needs = {n.title for n in demo.needs}
    services = {s.organisation_id: {s.title} for s in session.scalars(select(Service))}
    for item in result.items:
        assert 0 <= item.score <= 1
        assert item.organisation.id != demo.id
        matches = [
            r.text for r in item.reasons if r.kind == "match" and r.text.startswith("Your need")
        ]
        for text in matches:
            assert any(f"“{title}”" in text for title in titles_of_needs)
            theirs = {
                s.title
                for s in session.scalars(
                    select(Service).where(Service.organisation_id == item.organisation.id)
                )
            }
            assert any(f"“{title}”" in text for title in theirs)
        assert any(r.kind == "place" for r in item.reasons)
    assert services  # the demo has services at all


def test_showing_suggestions_is_recorded_and_lowers_the_same_pair_next_time(session, demo):
    query = MatchQuery(ExchangeKind.SHADOWING, limit=3)
    first = suggestions_for(session, demo.id, query)
    top = first.items[0]
    rows = session.scalars(
        select(SuggestionImpression).where(SuggestionImpression.organisation_id == demo.id)
    ).all()
    assert {r.candidate_id for r in rows} == {s.organisation.id for s in first.items}
    assert all(r.times_shown == 1 and r.kind is ExchangeKind.SHADOWING for r in rows)
    second = suggestions_for(session, demo.id, query, record=False)
    again = next(
        s
        for s in second.items
        + tuple(
            suggestions_for(
                session, demo.id, MatchQuery(ExchangeKind.SHADOWING, limit=50), record=False
            ).items
        )
        if s.organisation.id == top.organisation.id
    )
    assert again.score < top.score
    assert any(
        r.kind == "history" and "Suggested to you once before" in r.text for r in again.reasons
    )
    session.expire_all()
    assert (
        session.scalar(
            select(SuggestionImpression.times_shown).where(
                SuggestionImpression.candidate_id == top.organisation.id,
                SuggestionImpression.organisation_id == demo.id,
            )
        )
        == 1
    )


def test_the_index_is_reused_until_the_data_changes(session, demo):
    from matchmaker.engine import INDEXES as cache

    first = cache.get(session)
    assert cache.get(session) is first
    need = demo.needs[0]
    session.add(
        Need(
            organisation_id=demo.id,
            category_id=need.category_id,
            title="Learning to run a repair café",
        )
    )
    session.flush()
    rebuilt = cache.get(session)
    assert rebuilt is not first
    mine = rebuilt.organisations[rebuilt.position[demo.id]]
    assert "Learning to run a repair café" in [n.title for n in mine.needs]


def test_an_edit_in_the_same_second_as_the_last_refreshes_the_index(session, demo):
    """Nothing is added or removed: only the changed title tells the cache. (Before
    updated_at kept microseconds, the second edit went unseen on SQLite whenever it fell
    in the same second as the first, and always on PostgreSQL within one transaction.)"""
    from matchmaker.engine import INDEXES as cache

    demo.needs[0].title = "Learning to run a tool library"
    session.flush()
    first = cache.get(session)
    demo.needs[0].title = "Learning to run a repair café"
    session.flush()
    rebuilt = cache.get(session)
    assert rebuilt is not first
    mine = rebuilt.organisations[rebuilt.position[demo.id]]
    assert "Learning to run a repair café" in [n.title for n in mine.needs]


def test_an_open_proposal_keeps_that_hub_out_of_the_same_kind(session, demo):
    query = MatchQuery(ExchangeKind.SHADOWING, limit=50)
    before = suggestions_for(session, demo.id, query, record=False)
    other = before.items[0].organisation
    exchange = Exchange(kind=ExchangeKind.SHADOWING, state=ExchangeState.PROPOSED)
    exchange.participants = [
        ExchangeParticipant(organisation_id=demo.id, role=ParticipantRole.GUEST, position=0),
        ExchangeParticipant(organisation_id=other.id, role=ParticipantRole.HOST, position=1),
    ]
    session.add(exchange)
    session.flush()
    after = suggestions_for(session, demo.id, query, record=False)
    assert other.id not in {s.organisation.id for s in after.items}
    assert after.eligible == before.eligible - 1


def test_cli_suggest_prints_ranked_reasons_and_json(runner: FlaskCliRunner, session, demo):
    result = runner.invoke(
        args=["match", "suggest", demo.slug, "--kind", "residency", "--limit", "2"]
    )
    assert result.exit_code == 0, result.output
    assert f"Manager residency suggestions for {demo.name}:" in result.output
    assert "  1. " in result.output and "Your need “" in result.output
    as_json = runner.invoke(args=["match", "suggest", demo.slug, "--kind", "shadowing", "--json"])
    data = json.loads(as_json.output)
    assert data["hub"] == demo.slug and data["suggestions"]
    assert {"slug", "score", "signals", "reasons"} <= set(data["suggestions"][0])
    # The CLI looks, it does not count as showing suggestions to the manager.
    assert session.scalar(select(SuggestionImpression).limit(1)) is None


def test_cli_suggest_refuses_bad_input_with_reasons(runner: FlaskCliRunner, session, demo):
    unknown = runner.invoke(args=["match", "suggest", "no-such-hub", "--kind", "shadowing"])
    assert (
        unknown.exit_code == 1
        and "no hub or organisation with the slug 'no-such-hub'" in unknown.output
    )
    dates = runner.invoke(
        args=[
            "match",
            "suggest",
            demo.slug,
            "--kind",
            "residency",
            "--from",
            "2027-03-01",
            "--to",
            "2027-02-01",
        ]
    )
    assert dates.exit_code == 2 and "ends_on: must be on or after the start date" in dates.output
    half = runner.invoke(
        args=["match", "suggest", demo.slug, "--kind", "residency", "--from", "2027-03-01"]
    )
    assert half.exit_code == 2 and "give both dates" in half.output
    kind = runner.invoke(args=["match", "suggest", demo.slug, "--kind", "picnic"])
    assert kind.exit_code == 2 and "picnic" in kind.output


def test_cli_suggest_explains_an_empty_result(runner: FlaskCliRunner, session, demo):
    result = runner.invoke(
        args=["match", "suggest", demo.slug, "--kind", "shadowing", "--country", "zz"]
    )
    assert result.exit_code == 0
    assert "None: " in result.output and "none in ZZ" in result.output


def test_cli_exports_the_graph_that_networkx_reads_back(
    runner: FlaskCliRunner, session, demo, tmp_path: Path
):
    graphml = tmp_path / "network.graphml"
    result = runner.invoke(args=["match", "graph", str(graphml)])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(graphml)
    organisations = [n for n, d in graph.nodes(data=True) if d["type"] == "organisation"]
    assert len(organisations) == len(session.scalars(select(Organisation)).all())
    assert f"Wrote {graph.number_of_nodes()} nodes" in result.output
    node_link = tmp_path / "network.json"
    assert runner.invoke(args=["match", "graph", str(node_link), "--format", "json"]).exit_code == 0
    data = json.loads(node_link.read_text())
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert {e["relation"] for e in data["links"]} >= {
        "offers",
        "needs",
        "works_in",
        "located_in",
        "took_part_in",
    }
    missing = runner.invoke(args=["match", "graph", str(tmp_path / "no" / "such" / "dir.graphml")])
    assert missing.exit_code == 1 and "cannot write" in missing.output


def test_weights_come_from_configuration_and_are_checked(
    tmp_path: Path, app, session, demo, monkeypatch
):
    config = load_config({"MATCHING_WEIGHTS": '{"shadowing": {"languages": 0.9}}'}, tmp_path)
    assert config["MATCHING_WEIGHTS"] == {"shadowing": {"languages": 0.9}}
    for raw, message in [
        ("{not json", "not valid JSON"),
        ("[1]", "must be a JSON object"),
        ('{"picnic": {}}', "unknown exchange kind 'picnic'"),
        ('{"shadowing": {"charm": 1}}', "unknown signal 'charm'"),
        ('{"shadowing": {"languages": -1}}', "must be a number ≥ 0"),
    ]:
        with pytest.raises(ConfigError, match=message):
            load_config({"MATCHING_WEIGHTS": raw}, tmp_path)
    default = suggestions_for(
        session, demo.id, MatchQuery(ExchangeKind.SHADOWING, limit=50), record=False
    )
    # The door reads the app's setting itself: no use case passes weights around.
    monkeypatch.setitem(app.config, "MATCHING_WEIGHTS", {"shadowing": {"languages": 5.0}})
    languages_first = suggestions_for(
        session, demo.id, MatchQuery(ExchangeKind.SHADOWING, limit=50), record=False
    )
    speaks = [s.signals["languages"] for s in languages_first.items]
    assert speaks == sorted(speaks, reverse=True)
    assert [s.organisation.id for s in default.items] != [
        s.organisation.id for s in languages_first.items
    ]


def test_the_hub_and_what_it_was_shown_are_read_together_for_one_kind(session, demo) -> None:
    """What the API's one read gives the ranking: the hub's id, and each candidate's
    showings of the kind asked for, not of another kind."""
    assert hub_and_shown(session, demo.slug, ExchangeKind.SHADOWING) == (demo.id, {})
    first = suggestions_for(session, demo.id, MatchQuery(ExchangeKind.SHADOWING, limit=3))
    suggestions_for(session, demo.id, MatchQuery(ExchangeKind.SHADOWING, limit=3))
    second = suggestions_for(session, demo.id, MatchQuery(ExchangeKind.SHADOWING, limit=3))
    expected = times_shown(session, demo.id, ExchangeKind.SHADOWING)
    assert sum(expected.values()) == 9 and first.items and second.items
    assert hub_and_shown(session, demo.slug, ExchangeKind.SHADOWING) == (demo.id, expected)
    assert hub_and_shown(session, demo.slug, ExchangeKind.RESIDENCY) == (demo.id, {})
    assert hub_and_shown(session, demo.slug, None) == (demo.id, {})
    partner = session.scalars(
        select(Organisation).where(Organisation.kind != OrganisationKind.HUB)
    ).first()
    for slug in ("no-such-hub", *([partner.slug] if partner else [])):
        with pytest.raises(NotFound):
            hub_and_shown(session, slug, ExchangeKind.SHADOWING)


def test_a_hubs_matches_are_asked_by_its_manager_or_a_coordinator_and_counted_for_it_only(
    session, demo
):
    """Its own manager's asking counts as shown to the hub; a coordinator's or an admin's
    look does not; another hub's manager is refused and nobody signed in must sign in."""
    users = {u.email.split("@")[0]: u for u in session.scalars(select(User))}
    query = MatchQuery(ExchangeKind.SHADOWING, limit=3)

    def shown() -> int:
        return sum(
            session.scalars(
                select(SuggestionImpression.times_shown).where(
                    SuggestionImpression.organisation_id == demo.id
                )
            )
        )

    asked = {"kind": "shadowing", "limit": "3"}
    for looker in ("coordinator", "admin"):
        hub = hub_to_match(session, users[looker], demo.slug)
        assert hub == demo and matches_for(session, users[looker], hub.id, query).items
        assert api_matches(session, users[looker], demo.slug, asked).items
    assert shown() == 0
    result = api_matches(session, users["manager1"], demo.slug, asked)
    assert result.items and shown() == len(result.items)
    api_matches(session, users["manager1"], demo.slug, asked)
    assert shown() == 2 * len(result.items)
    bad = {"kind": "shadowing", "limit": "0"}
    for find in (hub_to_match, lambda *a: api_matches(*a, asked), lambda *a: api_matches(*a, bad)):
        with pytest.raises(Forbidden):
            find(session, users["manager2"], demo.slug)
        with pytest.raises(SignInRequired):
            find(session, None, demo.slug)
        with pytest.raises(NotFound):
            find(session, users["coordinator"], "no-such-hub")
    with pytest.raises(InputError) as refused:
        api_matches(session, users["manager1"], demo.slug, bad)
    assert set(refused.value.problems) == {"limit"}
    with pytest.raises(Forbidden):
        matches_for(session, users["manager2"], demo.id, query)
    with pytest.raises(SignInRequired):
        matches_for(session, None, demo.id, query)
    assert shown() == 2 * len(result.items)
