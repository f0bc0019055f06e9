"""A consortium turned into proposals to its member hubs in one step: one project-partner
proposal per hub, from the manager's own hub, all made or none; partners that are not
hubs of the platform are named back; each hub's managers are told."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from matchmaker.errors import Forbidden, InputError
from matchmaker.exchanges.consortium_proposals import propose_consortium
from matchmaker.exchanges.proposals import propose
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import (
    Exchange,
    ExchangeState,
    Notification,
    Organisation,
    OrganisationKind,
)
from tests.support.exchange_fixtures import MESSAGE, NOW, RULES
from tests.support.web import csrf_token, sign_in, valid


def exchanges(session) -> int:
    return session.scalar(select(func.count()).select_from(Exchange)) or 0


@pytest.fixture
def university(session):
    found = Organisation(
        slug="uni-porto", name="University of Porto", country="PT", kind=OrganisationKind.UNIVERSITY
    )
    session.add(found)
    session.commit()
    return found


def test_one_proposal_per_member_hub_and_the_others_named(session, people, university):
    north = people["north"]
    members = ["north-hub", "south-hub", "east-hub", "uni-porto"]
    made = propose_consortium(
        session, north, north.hub, {"members": members, "message": MESSAGE}, RULES, NOW
    )
    assert [o.name for o in made.not_on_platform] == ["University of Porto"]
    invited = sorted(e.participants[1].organisation.slug for e in made.exchanges)
    assert invited == ["east-hub", "south-hub"]
    for exchange in made.exchanges:
        assert exchange.kind is ExchangeKind.PROJECT_PARTNERS
        assert exchange.state is ExchangeState.PROPOSED and exchange.starts_on is None
        assert exchange.participants[0].organisation_id == north.hub_id
        assert "University of Porto" in exchange.messages[0].body
    for name in ("south", "east"):
        topics = session.scalars(
            select(Notification.topic).where(Notification.user_id == people[name].id)
        ).all()
        assert topics == ["proposal_received"]


def test_all_or_nothing_past_the_cap_on_waiting_proposals(session, people):
    north = people["north"]
    propose(  # one of RULES.max_open (2) is taken already
        session,
        north,
        people["south"].hub,
        {"kind": "project_partners", "message": MESSAGE},
        RULES,
        NOW,
    )
    before = exchanges(session)
    with pytest.raises(InputError) as refused:
        propose_consortium(
            session,
            north,
            north.hub,
            {"members": ["north-hub", "south-hub", "east-hub"], "message": "Hi"},
            RULES,
            NOW,
        )
    problems = refused.value.problems
    assert "2 more would pass the limit of 2" in problems["members"]
    assert "write at least 30 characters" in problems["message"]  # both at once
    session.rollback()
    assert exchanges(session) == before


@pytest.mark.parametrize("who", ["south", "coordinator"])
def test_only_the_hubs_own_manager_proposes_its_consortium(session, people, who):
    data = {"members": ["north-hub", "south-hub"], "message": MESSAGE}
    with pytest.raises(Forbidden):
        propose_consortium(session, people[who], people["north"].hub, data, RULES, NOW)
    assert exchanges(session) == 0


def test_unknown_members_are_refused(session, people):
    north = people["north"]
    with pytest.raises(InputError) as refused:
        propose_consortium(
            session, north, north.hub, {"members": ["nope"], "message": MESSAGE}, RULES, NOW
        )
    assert "there is no organisation 'nope'" in refused.value.problems["members"]


def test_the_page_sends_the_proposals_in_one_post(client, session, people):
    north = people["north"]
    north.password_hash = people["south"].password_hash = _hash()
    session.commit()
    sign_in(client, "north@x.org", "a-long-password")
    url = "/hubs/north-hub/consortia/propose"
    data = {"members": ["north-hub", "south-hub", "east-hub"], "message": MESSAGE}
    refused = client.post(url, data=data)  # no CSRF token
    assert refused.status_code == 400 and exchanges(session) == 0
    token = csrf_token(client, "/hubs/north-hub/consortia")
    sent = client.post(url, data={**data, "csrf_token": token})
    assert sent.status_code == 302 and exchanges(session) == 2
    assert "2 proposals sent" in client.get("/exchanges").get_data(as_text=True)


def _hash() -> str:
    return generate_password_hash("a-long-password", method="pbkdf2:sha256:1000")


def test_the_api_asks_a_consortiums_partners(client, session, people, tokens, university):
    url = "/api/v1/hubs/north-hub/consortia/proposals"
    members = ["north-hub", "south-hub", "uni-porto"]
    short = client.post(url, json={"members": members, "message": "Hi"}, headers=tokens["north"])
    assert short.status_code == 400 and short.get_json()["errors"][0]["field"] == "message"
    assert exchanges(session) == 0
    sent = client.post(url, json={"members": members, "message": MESSAGE}, headers=tokens["north"])
    assert sent.status_code == 201
    data = sent.get_json()
    assert data["not_on_platform"] == ["uni-porto"] and len(data["exchanges"]) == 1
    valid("Exchange", data["exchanges"][0])
    refused = client.post(
        url, json={"members": members, "message": MESSAGE}, headers=tokens["south"]
    )
    assert refused.status_code == 403
