"""The coordinators' API (the approval queue, the impact figures) and the feedback an
exchange shows through the API: who may read what, and responses that match the OpenAPI
document."""

from __future__ import annotations

from datetime import timedelta

from matchmaker.exchanges.outcomes import complete, give_feedback
from matchmaker.exchanges.proposals import answer, propose
from matchmaker.rounds.opening import open_round
from tests.support.exchange_fixtures import AFTER, NOW, REVIEW, RULES, START, residency, scheduled
from tests.support.web import valid


def test_the_approval_queue_shows_budget_and_places_to_coordinators_only(
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
            "cost_per_residency": "200",
            "cost_per_week": "100",
        },
    )
    exchange = propose(session, people["north"], people["south"].hub, residency(), RULES, NOW)
    answer(session, people["south"], exchange, accept=True, now=NOW)
    response = client.get("/api/v1/approvals", headers=tokens["coordinator"])
    assert response.status_code == 200
    (waiting,) = response.get_json()
    valid("Approval", waiting)
    # 21 days are 3 weeks: 200 + 3 × 100.
    assert waiting["exchange"]["id"] == exchange.id
    assert (waiting["round"], waiting["cost"], waiting["budget_left"]) == (
        "Spring",
        "500.00",
        "5000.00",
    )
    assert waiting["host_places_taken"] == 0 and waiting["host_places"] >= 1
    for manager in ("north", "south"):
        assert client.get("/api/v1/approvals", headers=tokens[manager]).status_code == 403


def test_the_impact_figures_for_a_period_through_the_api(client, session, people, tokens):
    done = scheduled(session, people, "north", "south", 0)
    complete(session, people["south"], done, AFTER)
    give_feedback(session, people["north"], done, REVIEW)
    response = client.get("/api/v1/impact", headers=tokens["coordinator"])
    assert response.status_code == 200
    figures = response.get_json()
    valid("Impact", figures)
    month = START.strftime("%Y-%m")
    assert figures["by_kind_and_state"] == [{"kind": "shadowing", "state": "completed", "count": 1}]
    assert figures["by_month_and_kind"] == [{"month": month, "counts": {"shadowing": 1}}]
    assert figures["mean_rating"] == 5 and figures["collaborations"] == 1
    later = (START + timedelta(days=1)).isoformat()
    empty = client.get(f"/api/v1/impact?from={later}", headers=tokens["coordinator"]).get_json()
    assert empty["by_kind_and_state"] == [] and empty["from"] == later
    bad = client.get("/api/v1/impact?from=2027-05-01&to=2027-04-01", headers=tokens["coordinator"])
    assert bad.status_code == 400 and "to" in bad.get_json()["fields"]
    assert client.get("/api/v1/impact", headers=tokens["north"]).status_code == 403


def test_an_exchange_shows_the_reviews_only_once_both_hubs_wrote(client, session, people, tokens):
    done = scheduled(session, people, "north", "south", 0)
    complete(session, people["south"], done, AFTER)
    path = f"/api/v1/exchanges/{done.id}"
    give_feedback(session, people["north"], done, REVIEW)
    south = client.get(path, headers=tokens["south"]).get_json()
    valid("Exchange", south)
    assert south["feedback"] == {"mine": None, "others": [], "revealed": False}
    north = client.get(path, headers=tokens["north"]).get_json()
    assert north["feedback"]["mine"]["rating"] == 5 and north["feedback"]["others"] == []
    give_feedback(session, people["south"], done, {**REVIEW, "rating": "2", "review": "Too short."})
    south = client.get(path, headers=tokens["south"]).get_json()
    valid("Exchange", south)
    # The other hub's review, never its private rating.
    assert south["feedback"]["revealed"] is True
    assert south["feedback"]["others"] == [{"hub": "north-hub", "review": REVIEW["review"]}]
    seen = client.get(path, headers=tokens["coordinator"]).get_json()["feedback"]
    assert sorted(f["rating"] for f in [seen["mine"], *seen["others"]] if f) == [2, 5]
