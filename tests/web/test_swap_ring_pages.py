"""Swap rings through the pages, the API and the CLI, on the demo network: the plan's rings
with their explanations, proposed by a coordinator or by a manager of a hub in the ring
(never another), answered by every hub through the usual accept action."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.accounts.tokens import create_token
from matchmaker.cli.plan import plan_cli
from matchmaker.models import Exchange, ExchangeState, Organisation, Role, User
from tests.support.builders import person
from tests.support.english_demo import seed_demo_in_english
from tests.support.exchange_fixtures import MESSAGE
from tests.support.web import csrf_token

TODAY = date.today()
FROM, TO = TODAY + timedelta(days=7), TODAY + timedelta(days=90)
PERIOD = {"starts_on": FROM.isoformat(), "ends_on": TO.isoformat()}

pytestmark = pytest.mark.usefixtures("fresh_index_cache")


@pytest.fixture
def network(session: Session) -> dict[str, User]:
    """The demo network with a coordinator and a manager for every hub (by slug)."""
    seed_demo_in_english(session, hubs=24, seed=5, today=TODAY)
    people = {"coordinator": person(session, "coordinator@x.org", Role.COORDINATOR)}
    for organisation in session.scalars(select(Organisation)):
        people[organisation.slug] = person(session, f"{organisation.slug}@x.org", hub=organisation)
    session.commit()
    return people


def sign_in_as(client, user: User) -> None:
    with client.session_transaction() as cookie:
        cookie["_user_id"] = user.get_id()
        cookie["_fresh"] = True


def bearer(session: Session, user: User) -> dict[str, str]:
    secret = create_token(session, user, "test")[1]
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_pages_show_the_rings_and_propose_one_that_every_hub_answers(client, session, network):
    sign_in_as(client, network["coordinator"])
    assert "Show the swap rings" in client.get("/coordination/").get_data(as_text=True)
    page = client.get("/swap-rings", query_string=PERIOD).get_data(as_text=True)
    assert "Propose this ring" in page and "Ring of " in page
    # The solver's words stay out of what people read.
    assert "total weight" not in page and "ring(s)" not in page and "examined" not in page
    rings = client.get(
        "/api/v1/swap-rings", query_string=PERIOD, headers=bearer(session, network["coordinator"])
    ).json["rings"]
    slugs = rings[0]["hubs"]
    assert f'value="{",".join(slugs)}"' in page
    token = csrf_token(client, "/forgot-password")
    short = client.post(
        "/swap-rings",
        data={**PERIOD, "hubs": ",".join(slugs), "message": "Hi", "csrf_token": token},
    )
    assert short.status_code == 400 and 'href="#message"' in short.get_data(as_text=True)
    assert session.scalar(select(Exchange)) is None
    sent = client.post(
        "/swap-rings",
        data={**PERIOD, "hubs": ",".join(slugs), "message": MESSAGE, "csrf_token": token},
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    path = sent.headers["Location"]
    page = client.get(path).get_data(as_text=True)
    assert "The ring: every hub's answer" in page
    assert str(escape(rings[0]["explanation"])) in page
    assert page.count("<td>pending</td>") == len(slugs)
    for number, slug in enumerate(slugs):
        sign_in_as(client, network[slug])
        answered = client.post(f"{path}/accept", data={"csrf_token": csrf_token(client, path)})
        assert answered.status_code == 302
        exchange = session.scalar(select(Exchange))
        session.refresh(exchange)
        last = number == len(slugs) - 1
        assert exchange.state is (ExchangeState.SCHEDULED if last else ExchangeState.PROPOSED)


def test_a_manager_sees_and_proposes_only_rings_with_their_hub(client, session, network):
    coordinator = bearer(session, network["coordinator"])
    rings = client.get("/api/v1/swap-rings", query_string=PERIOD, headers=coordinator).json
    in_rings = {slug for ring in rings["rings"] for slug in ring["hubs"]}
    outsider = next(s for s in network if s != "coordinator" and s not in in_rings)
    member = rings["rings"][0]["hubs"][1]
    mine = client.get(
        "/api/v1/swap-rings", query_string=PERIOD, headers=bearer(session, network[member])
    ).json["rings"]
    assert mine and all(member in ring["hubs"] for ring in mine)
    outside = client.get(
        "/api/v1/swap-rings", query_string=PERIOD, headers=bearer(session, network[outsider])
    ).json
    assert outside["rings"] == []
    proposal = {**PERIOD, "hubs": rings["rings"][0]["hubs"], "message": MESSAGE}
    refused = client.post(
        "/api/v1/swap-rings", json=proposal, headers=bearer(session, network[outsider])
    )
    assert refused.status_code == 403 and session.scalar(select(Exchange)) is None
    sign_in_as(client, network[outsider])
    page = client.post(
        "/swap-rings",
        data={
            **proposal,
            "hubs": ",".join(proposal["hubs"]),
            "csrf_token": csrf_token(client, "/forgot-password"),
        },
    )
    assert page.status_code == 403
    made = client.post(
        "/api/v1/swap-rings", json=proposal, headers=bearer(session, network[member])
    )
    assert made.status_code == 201, made.json
    participants = made.json["participants"]
    assert participants[0] == {"hub": member, "role": "ring_member", "response": "accepted"}
    exchange_id = made.json["id"]
    assert (
        client.get(
            f"/api/v1/exchanges/{exchange_id}", headers=bearer(session, network[outsider])
        ).status_code
        == 404
    )
    answering = bearer(session, network[participants[1]["hub"]])
    accepted = client.post(f"/api/v1/exchanges/{exchange_id}/accept", headers=answering)
    assert (
        accepted.status_code == 200 and accepted.json["participants"][1]["response"] == "accepted"
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hubs": ["only-one"]}, "hubs"),
        ({"hubs": ["no-such-hub", "nor-this"]}, "hubs"),
        ({"ends_on": (FROM - timedelta(days=1)).isoformat()}, "ends_on"),
        ({"ends_on": (FROM + timedelta(days=120)).isoformat()}, "ends_on"),
        ({"message": 5}, "message"),
    ],
)
def test_bad_ring_proposals_are_refused_with_the_field(client, session, network, change, field):
    coordinator = bearer(session, network["coordinator"])
    rings = client.get("/api/v1/swap-rings", query_string=PERIOD, headers=coordinator).json
    proposal = {**PERIOD, "hubs": rings["rings"][0]["hubs"], "message": MESSAGE, **change}
    refused = client.post("/api/v1/swap-rings", json=proposal, headers=coordinator)
    assert refused.status_code == 400 and field in refused.json["fields"], refused.json
    assert session.scalar(select(Exchange)) is None


def test_the_cli_proposes_a_ring_of_the_plan(runner, session, network):
    args = ["swaps", "--from", str(FROM), "--to", str(TO), "--json"]
    result = runner.invoke(
        plan_cli, [*args, "--propose", "1", "--as", "coordinator@x.org", "--message", MESSAGE]
    )
    assert result.exit_code == 0, result.output
    assert "Proposed ring 1 as exchange #" in result.stderr
    ring = json.loads(result.stdout)["rings"][0]
    exchange = session.scalar(select(Exchange))
    assert [p.organisation.slug for p in exchange.participants] == [
        leg["guest"] for leg in ring["legs"]
    ]
    beyond = runner.invoke(
        plan_cli, [*args, "--propose", "99", "--as", "coordinator@x.org", "--message", MESSAGE]
    )
    assert beyond.exit_code == 2 and "ring(s)" in beyond.output
    short = runner.invoke(
        plan_cli, [*args, "--propose", "1", "--as", "coordinator@x.org", "--message", "Hi"]
    )
    assert short.exit_code == 1 and "was not proposed: message:" in short.output
    assert len(session.scalars(select(Exchange)).all()) == 1
    unknown = runner.invoke(plan_cli, [*args, "--propose", "1", "--as", "nobody@x.org"])
    assert unknown.exit_code == 2 and "--as" in unknown.output
