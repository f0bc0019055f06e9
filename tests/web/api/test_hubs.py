"""The JSON API: tokens, what each endpoint returns and stores, errors with the field, and
the OpenAPI document checked against the routes and against real responses."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import Flask
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.accounts.tokens import create_token, revoke_token
from matchmaker.models import ApiToken, Organisation, Service, User
from matchmaker.web.api.openapi import openapi_document
from tests.support.english_demo import seed_demo_in_english
from tests.support.web import post_form, sign_in

START = date.today() + timedelta(days=30)


@pytest.fixture
def manager(session: Session) -> User:
    seed_demo_in_english(session, hubs=12, seed=11)
    user = session.scalar(select(User).where(User.email == "manager1@example.org"))
    assert user is not None and user.hub is not None
    return user


@pytest.fixture
def auth(session: Session, manager: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(session, manager, 'tests')[1]}"}


def check_schema(document: dict, name_or_schema, data) -> None:
    schema = name_or_schema
    if isinstance(name_or_schema, str):
        schema = {"$ref": f"#/components/schemas/{name_or_schema}"}
    OAS30Validator({**schema, "components": document["components"]}).validate(data)


def test_tokens_are_stored_hashed_shown_once_and_revocable(client, session, manager):
    sign_in(client, "manager1@example.org")
    page = post_form(client, "/account/tokens", {"name": "our website"}, "/account")
    secret = re.search(r'<code id="new-token">([^<]+)</code>', page.get_data(as_text=True)).group(1)
    stored = session.scalar(select(ApiToken).where(ApiToken.name == "our website"))
    assert secret not in (stored.token_hash, stored.prefix) and secret.startswith(stored.prefix)
    assert secret not in client.get("/account").get_data(as_text=True)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.get_json()["hub"] == manager.hub.slug
    revoke_token(session, manager, stored.id)
    again = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert again.status_code == 401 and again.get_json()["error"] == "Sign-in required"


def test_without_a_token_the_api_answers_401_in_json(client, manager):
    for headers in ({}, {"Authorization": "Bearer mm_wrong"}, {"Authorization": "Basic x"}):
        response = client.get("/api/v1/hubs", headers=headers)
        assert response.status_code == 401 and response.is_json


def test_a_session_cookie_alone_does_not_open_the_api(client, manager):
    sign_in(client, "manager1@example.org")
    assert client.get("/api/v1/me").status_code == 401


def test_hubs_are_listed_with_filters_and_paged(client, auth, manager):
    hub = manager.hub
    body = client.get(f"/api/v1/hubs?country={hub.country}&per_page=2", headers=auth).get_json()
    assert body["per_page"] == 2 and len(body["hubs"]) <= 2
    assert all(h["country"] == hub.country for h in body["hubs"])
    bad = client.get("/api/v1/hubs?per_page=1000", headers=auth)
    assert bad.status_code == 400 and "per_page" in bad.get_json()["fields"]


def test_the_manager_changes_the_profile_and_entries_through_the_api(
    client, session, auth, manager
):
    slug = manager.hub.slug
    changed = client.patch(
        f"/api/v1/hubs/{slug}", json={"description": "New words.", "desks": 4}, headers=auth
    )
    assert changed.status_code == 200
    assert changed.get_json()["description"] == "New words." and changed.get_json()["desks"] == 4
    created = client.post(
        f"/api/v1/hubs/{slug}/services",
        json={"category": "training", "title": "Pitch clinic"},
        headers=auth,
    )
    assert created.status_code == 201
    service_id = created.get_json()["id"]
    renamed = client.patch(
        f"/api/v1/hubs/{slug}/services/{service_id}", json={"title": "Pitch clinics"}, headers=auth
    )
    assert renamed.get_json() == {
        "id": service_id,
        "category": "training",
        "title": "Pitch clinics",
        "description": "",
        "language": None,  # too short to tell, and not given
    }
    window = client.post(
        f"/api/v1/hubs/{slug}/availability",
        headers=auth,
        json={
            "kind": "desks",
            "starts_on": START.isoformat(),
            "ends_on": (START + timedelta(days=5)).isoformat(),
            "places": 2,
        },
    )
    assert window.status_code == 201
    assert (
        client.delete(f"/api/v1/hubs/{slug}/services/{service_id}", headers=auth).status_code == 204
    )
    session.expire_all()
    assert session.get(Service, service_id) is None
    assert session.get(Organisation, manager.hub_id).desks == 4


@pytest.mark.parametrize(
    ("path", "method", "body", "field"),
    [
        ("", "PATCH", {"country": "Portugal"}, "country"),
        ("", "PATCH", {"desks": "many"}, "desks"),
        ("", "PATCH", {"accepts_visits": "perhaps"}, "accepts_visits"),
        ("", "PATCH", {"languages": [1, 2]}, "languages"),
        ("", "PATCH", ["not", "an", "object"], "body"),
        ("/services", "POST", {"category": "fablab"}, "title"),
        ("/needs", "POST", {"category": "fablab", "title": "x", "priority": "urgent"}, "priority"),
        ("/availability", "POST", {"kind": "desks", "starts_on": "tomorrow"}, "starts_on"),
    ],
)
def test_bad_input_answers_400_with_the_field_and_changes_nothing(
    client, session, auth, manager, path, method, body, field
):
    slug = manager.hub.slug
    before = client.get(f"/api/v1/hubs/{slug}", headers=auth).get_json()
    response = client.open(f"/api/v1/hubs/{slug}{path}", method=method, json=body, headers=auth)
    assert response.status_code == 400
    assert field in response.get_json()["fields"], response.get_json()
    assert client.get(f"/api/v1/hubs/{slug}", headers=auth).get_json() == before


def test_a_body_that_is_not_json_is_refused_clearly(client, auth, manager):
    response = client.patch(
        f"/api/v1/hubs/{manager.hub.slug}",
        data="name=x",
        headers=auth,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400 and "JSON object" in response.get_json()["fields"]["body"]


@pytest.mark.parametrize("kind", ["shadowing", "hot_desking", "residency", "project_partners"])
def test_suggestions_of_each_kind_come_with_reasons(client, auth, manager, kind):
    body = client.get(
        f"/api/v1/hubs/{manager.hub.slug}/suggestions?kind={kind}&limit=3", headers=auth
    ).get_json()
    assert body["kind"] == kind and 1 <= len(body["suggestions"]) <= 3
    assert all(s["reasons"] and 0 <= s["score"] <= 1 for s in body["suggestions"])


def test_the_openapi_document_is_valid_and_lists_exactly_the_api_routes(app: Flask, client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
        if method != "parameters"
    }
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        paths = [path]
        if "{kind}" in path:
            paths = [path.replace("{kind}", kind) for kind in ("services", "needs")]
        paths = [re.sub(r"\{(entry_id|window_id)\}", "{item_id}", p) for p in paths]
        served |= {(m, p) for m in rule.methods - {"HEAD", "OPTIONS"} for p in paths}
    assert documented == served


def test_real_responses_match_the_documented_schemas(client, auth, manager):
    document = openapi_document()
    slug = manager.hub.slug
    hub = client.get(f"/api/v1/hubs/{slug}", headers=auth).get_json()
    check_schema(document, "Hub", hub)
    listing = client.get("/api/v1/hubs", headers=auth).get_json()
    check_schema(
        document,
        document["paths"]["/hubs"]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ],
        listing,
    )
    for kind in ["shadowing", "project_partners"]:
        body = client.get(f"/api/v1/hubs/{slug}/suggestions?kind={kind}", headers=auth).get_json()
        check_schema(document, "Suggestions", body)
    error = client.patch(f"/api/v1/hubs/{slug}", json={"country": "?"}, headers=auth).get_json()
    check_schema(document, "InputError", error)
    check_schema(document, "Error", client.get("/api/v1/hubs/none", headers=auth).get_json())
