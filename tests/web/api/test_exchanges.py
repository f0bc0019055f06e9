"""The exchange actions through the API: the same rules and permissions as the pages, JSON
errors with the field, and responses that match the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from matchmaker.rounds.opening import open_round
from tests.support.exchange_fixtures import START, residency, scheduled
from tests.support.web import valid


def test_a_residency_goes_from_proposal_to_scheduled_through_the_api(
    client, session, people, tokens
):
    open_round(
        session,
        people["coordinator"],
        {
            "name": "Spring",
            "starts_on": START.isoformat(),
            "ends_on": (START + timedelta(days=90)).isoformat(),
            "budget": "5000",
            "cost_per_week": "100",
        },
    )
    created = client.post(
        "/api/v1/hubs/south-hub/proposals", json=residency(), headers=tokens["north"]
    )
    assert created.status_code == 201, created.get_json()
    exchange = created.get_json()
    valid("Exchange", exchange)
    assert exchange["state"] == "proposed" and exchange["contacts"] == []
    path = f"/api/v1/exchanges/{exchange['id']}"
    assert client.post(f"{path}/accept", headers=tokens["north"]).status_code == 403
    assert client.get(path, headers=tokens["east"]).status_code == 404
    accepted = client.post(f"{path}/accept", headers=tokens["south"]).get_json()
    assert accepted["state"] == "pending_approval"
    assert accepted["contacts"] == [{"hub": "north-hub", "name": "Nora", "email": "north@x.org"}]
    assert client.post(f"{path}/approve", headers=tokens["south"]).status_code == 403
    approved = client.post(f"{path}/approve", headers=tokens["coordinator"])
    assert approved.status_code == 200 and approved.get_json()["state"] == "scheduled"
    inbox = client.get("/api/v1/notifications", headers=tokens["north"]).get_json()
    assert {"proposal_accepted", "residency_approved", "exchange_scheduled"} <= {
        n["topic"] for n in inbox
    }
    listed = client.get("/api/v1/exchanges", headers=tokens["south"]).get_json()
    assert [e["id"] for e in listed] == [exchange["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**residency(), "message": "short"}, "message"),
        ({**residency(), "kind": "x"}, "kind"),
        ({**residency(), "starts_on": "soon"}, "starts_on"),
        ({**residency(), "ends_on": 5}, "ends_on"),
        ("not an object", "body"),
    ],
)
def test_bad_proposals_answer_400_with_the_field(client, people, tokens, body, field):
    response = client.post("/api/v1/hubs/south-hub/proposals", json=body, headers=tokens["north"])
    assert response.status_code == 400 and field in response.get_json()["fields"]
    assert client.get("/api/v1/exchanges", headers=tokens["north"]).get_json() == []


def test_a_decline_carries_its_reason_and_a_cancel_needs_one(client, people, tokens):
    exchange = client.post(
        "/api/v1/hubs/south-hub/proposals", json=residency(), headers=tokens["north"]
    ).get_json()
    path = f"/api/v1/exchanges/{exchange['id']}"
    bad = client.post(f"{path}/decline", json={"reason": 42}, headers=tokens["south"])
    assert bad.status_code == 400 and "reason" in bad.get_json()["fields"]
    declined = client.post(f"{path}/decline", json={"reason": "Full."}, headers=tokens["south"])
    assert declined.get_json()["state"] == "declined" and declined.get_json()["reason"] == "Full."
    again = client.post(f"{path}/accept", headers=tokens["south"])
    assert (
        again.status_code == 400 and "cannot be answered" in again.get_json()["fields"]["exchange"]
    )


def test_an_exchanges_calendar_file_is_for_its_hubs_and_coordinators(
    client, session, people, tokens
):
    visit = scheduled(session, people, "north", "south", 0)
    path = f"/api/v1/exchanges/{visit.id}/calendar.ics"
    for who in ("north", "south", "coordinator"):
        response = client.get(path, headers=tokens[who])
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        (event,) = Calendar.from_ical(response.data).walk("VEVENT")
        assert str(event["uid"]) == f"exchange-{visit.id}@matchmaker"
        assert event.decoded("dtstart") == START
    assert client.get(path, headers=tokens["east"]).status_code == 404
    assert client.get(path).status_code == 401
    proposal = client.post(
        "/api/v1/hubs/south-hub/proposals", json=residency((30, 50)), headers=tokens["north"]
    ).get_json()
    response = client.get(
        f"/api/v1/exchanges/{proposal['id']}/calendar.ics", headers=tokens["north"]
    )
    assert response.status_code == 404 and "calendar" in response.get_json()["message"]


def test_the_list_filters_and_says_what_waits_for_the_asker(client, session, people, tokens):
    visit = scheduled(session, people, "north", "south", 0)
    asked = client.post(
        "/api/v1/hubs/south-hub/proposals", json=residency((30, 50)), headers=tokens["north"]
    ).get_json()
    waiting = client.get("/api/v1/exchanges?waiting=1", headers=tokens["south"]).get_json()
    for exchange in waiting:
        valid("Exchange", exchange)
    assert [(e["id"], e["waits_for"]) for e in waiting] == [(asked["id"], "answer")]
    assert client.get("/api/v1/exchanges?waiting=1", headers=tokens["north"]).get_json() == []
    upcoming = client.get(
        "/api/v1/exchanges?when=upcoming&kind=shadowing", headers=tokens["north"]
    ).get_json()
    assert [(e["id"], e["waits_for"]) for e in upcoming] == [(visit.id, None)]
    refused = client.get("/api/v1/exchanges?kind=lunch", headers=tokens["north"])
    assert refused.status_code == 400 and "kind" in refused.get_json()["fields"]
    one = client.get(f"/api/v1/exchanges/{asked['id']}", headers=tokens["south"]).get_json()
    assert one["waits_for"] == "answer"
