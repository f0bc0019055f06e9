"""Consortium proposals in the match pages and the API: a call described by a manager,
proposals with their eligibility, and bad calls refused with the field."""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS30Validator
from sqlalchemy import select

from matchmaker.accounts.tokens import create_token
from matchmaker.engine import INDEXES
from matchmaker.models import User
from matchmaker.web.api.openapi import openapi_document
from tests.support.english_demo import seed_demo_in_english


@pytest.fixture
def manager(session):
    INDEXES.clear()
    seed_demo_in_english(session, hubs=20, seed=9)
    yield session.scalar(select(User).where(User.email == "manager1@example.org"))
    INDEXES.clear()


def test_a_manager_describes_a_call_and_reads_eligible_proposals(client, manager):
    with client.session_transaction() as cookie:
        cookie["_user_id"] = manager.get_id()
    slug = manager.hub.slug
    form = client.get(f"/hubs/{slug}/consortia").get_data(as_text=True)
    assert "Build a consortium around" in form and 'name="competences"' in form
    page = client.get(f"/hubs/{slug}/consortia?min_partners=3&min_countries=3&max_size=5&top=2")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.count('class="suggestion consortium"') >= 1
    assert "eligible" in text and manager.hub.name in text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("min_partners=1&min_countries=1", "min_partners"),
        ("min_partners=4&min_countries=3&max_size=3", "max_size"),
        ("min_partners=3&min_countries=3&competences=juggling", "competences"),
        ("min_partners=x&min_countries=3", "min_partners"),
    ],
)
def test_a_bad_call_is_refused_with_the_field(client, manager, query, field):
    with client.session_transaction() as cookie:
        cookie["_user_id"] = manager.get_id()
    response = client.get(f"/hubs/{manager.hub.slug}/consortia?{query}")
    assert response.status_code == 400 and f'href="#{field}"' in response.get_data(as_text=True)


def test_a_call_nobody_can_meet_says_what_is_missing(client, manager):
    with client.session_transaction() as cookie:
        cookie["_user_id"] = manager.get_id()
    page = client.get(
        f"/hubs/{manager.hub.slug}/consortia?min_partners=40&min_countries=40&max_size=50"
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and ("not eligible" in text or "No consortium" in text)


def test_the_api_proposes_consortia_matching_the_openapi_schema(client, session, manager):
    headers = {"Authorization": f"Bearer {create_token(session, manager, 't')[1]}"}
    body = {
        "min_partners": 3,
        "min_countries": 2,
        "max_size": 4,
        "competences": ["fablab"],
        "top": 2,
    }
    response = client.post(f"/api/v1/hubs/{manager.hub.slug}/consortia", json=body, headers=headers)
    assert response.status_code == 200
    data = response.get_json()
    document = openapi_document()
    OAS30Validator(
        {"$ref": "#/components/schemas/Consortia", "components": document["components"]}
    ).validate(data)
    assert data["hub"] == manager.hub.slug and data["call"]["competences"] == ["fablab"]
    for consortium in data["consortia"]:
        assert consortium["members"][0] == manager.hub.slug
        assert 3 <= len(consortium["members"]) <= 4 or not consortium["eligible"]
    bad = client.post(
        f"/api/v1/hubs/{manager.hub.slug}/consortia", json={"min_partners": 3}, headers=headers
    )
    assert bad.status_code == 400 and "min_countries" in bad.get_json()["fields"]


def test_the_page_names_competences_and_the_method_in_plain_words(client, manager):
    """People read a discipline's name, not its slug, and no solver's name."""
    with client.session_transaction() as cookie:
        cookie["_user_id"] = manager.get_id()
    page = client.get(
        f"/hubs/{manager.hub.slug}/consortia?min_partners=3&min_countries=3&max_size=6"
        "&competences=performing-arts"
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Performing arts" in text
    assert "performing-arts&#39;" not in text and "'performing-arts'" not in text
    assert "scipy" not in text and "integer programming" not in text
