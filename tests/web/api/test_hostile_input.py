"""Odd and hostile input through the API: every case is refused with a 4xx that names the
field (never a 500), and nothing is stored."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from matchmaker.models import AvailabilityWindow, Organisation
from tests.support.exchange_fixtures import START


def patch_hub(client, tokens, body, who="north"):
    return client.patch("/api/v1/hubs/north-hub", json=body, headers=tokens[who])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "North\u2028Hub"}, "name"),
        ({"name": "North\u0085Hub"}, "name"),
        ({"name": "North\u2029Hub"}, "name"),
        ({"name": "North\x1bHub"}, "name"),
        ({"name": "\u200b\u200b\u200b"}, "name"),
        ({"name": "North\x00Hub"}, "name"),
        ({"name": "North\ud800Hub"}, "name"),
        ({"city": "Porto\nLisbon"}, "city"),
        ({"latitude": int("9" * 400)}, "latitude"),
        ({"founded_year": 10**30}, "founded_year"),
        ({"desks": None}, "desks"),
        ({"desks": ""}, "desks"),
    ],
)
def test_bad_profile_values_are_refused_by_field_and_nothing_changes(
    client, session, people, tokens, body, field
):
    before = session.get(Organisation, people["north"].hub_id)
    name, city, desks = before.name, before.city, before.desks
    answer = patch_hub(client, tokens, body)
    assert answer.status_code == 400, answer.get_data(as_text=True)
    assert field in answer.get_json()["fields"]
    session.expire_all()
    after = session.get(Organisation, people["north"].hub_id)
    assert (after.name, after.city, after.desks) == (name, city, desks)


def test_a_lone_surrogate_in_the_raw_json_is_refused_by_field(client, people, tokens):
    raw = '{"name": "North \\ud800 Hub"}'
    answer = client.patch(
        "/api/v1/hubs/north-hub",
        data=raw,
        headers={**tokens["north"], "Content-Type": "application/json"},
    )
    assert answer.status_code == 400 and "name" in answer.get_json()["fields"]


def test_json_nested_too_deeply_is_a_400(client, people, tokens):
    deep = "[" * 100_000 + "]" * 100_000
    answer = client.patch(
        "/api/v1/hubs/north-hub",
        data=deep,
        headers={**tokens["north"], "Content-Type": "application/json"},
    )
    assert answer.status_code == 400


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, app, people, tokens):
    too_big = json.dumps({"description": "x" * app.config["MAX_CONTENT_LENGTH"]})
    answer = client.patch(
        "/api/v1/hubs/north-hub",
        data=too_big,
        headers={**tokens["north"], "Content-Type": "application/json"},
    )
    assert answer.status_code == 413


@pytest.mark.parametrize("url", ["/api/v1/exchanges/99999999999", "/api/v1/exchanges/2147483648"])
def test_ids_beyond_the_database_integer_are_not_found(client, people, tokens, url):
    assert client.get(url, headers=tokens["north"]).status_code == 404


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_an_id_beyond_the_database_integer_is_not_found_whatever_the_method(
    client, people, tokens, method
):
    """Found by schemathesis: PATCH and DELETE answered 405 with `Allow: GET`, though GET
    of the same address answers 404."""
    url = "/api/v1/hubs/north-hub/services/151430983263630"
    answer = getattr(client, method)(url, json={}, headers=tokens["north"])
    assert answer.status_code == 404 and "Allow" not in answer.headers


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/hubs/north-hub%00"),
        ("get", "/api/v1/hubs/%00/services"),
        ("post", "/api/v1/hubs/%00/proposals"),
    ],
)
def test_a_slug_holding_a_nul_names_no_hub(client, people, tokens, method, url):
    """Found by schemathesis on PostgreSQL, which refuses to look up a text with a NUL (500)."""
    answer = getattr(client, method)(url, json={}, headers=tokens["north"])
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (
            "/api/v1/swap-rings",
            {
                "starts_on": START.isoformat(),
                "ends_on": (START + timedelta(days=9)).isoformat(),
                "hubs": ["north-hub", "\x00"],
                "message": "Shall we swap desks for a week?",
            },
            "hubs",
        ),
        (
            "/api/v1/hubs/north-hub/consortia",
            {"min_partners": 2, "min_countries": 1, "competences": ["fablab\x00"]},
            "competences",
        ),
    ],
)
def test_a_nul_in_a_list_of_names_is_refused_by_field(client, people, tokens, url, body, field):
    """Found by schemathesis on PostgreSQL: the slugs of a list were looked up as sent."""
    answer = client.post(url, json=body, headers=tokens["north"])
    assert answer.status_code == 400, answer.get_data(as_text=True)
    assert "NUL" in answer.get_json()["fields"][field]


@pytest.mark.parametrize(
    ("window", "field"),
    [
        ({"starts_on": "0001-01-01", "ends_on": "0001-01-31"}, "starts_on"),
        ({"starts_on": START.isoformat(), "ends_on": "9999-12-31"}, "ends_on"),
        (
            {
                "starts_on": (date.today() - timedelta(days=30)).isoformat(),
                "ends_on": (date.today() - timedelta(days=1)).isoformat(),
            },
            "ends_on",
        ),
        ({"starts_on": START.isoformat(), "ends_on": START.isoformat(), "places": 3}, "places"),
    ],
)
def test_windows_out_of_range_in_the_past_or_beyond_the_hub_are_refused(
    client, session, people, tokens, window, field
):
    count = session.query(AvailabilityWindow).count()
    body = {"kind": "desks", "places": 1, **window}  # north-hub has 2 desks
    answer = client.post("/api/v1/hubs/north-hub/availability", json=body, headers=tokens["north"])
    assert answer.status_code == 400, answer.get_data(as_text=True)
    assert field in answer.get_json()["fields"]
    assert session.query(AvailabilityWindow).count() == count


def test_a_wrong_method_says_which_are_allowed(client, people, tokens):
    answer = client.delete("/api/v1/me", headers=tokens["north"])
    assert answer.status_code == 405 and "GET" in answer.headers["Allow"]


def test_no_token_says_how_to_authenticate(client):
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Bearer")
