"""Forms report every problem at once, not the first few and the rest on the next submit:
the profile form, the round form, the proposal form, the round application and the API
(which answers `fields`, and `errors` with each reason apart)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from matchmaker.accounts.tokens import create_token
from matchmaker.models import Exchange, Organisation, ResidencyRound, User
from tests.support.web import post_form, sign_in, valid


@pytest.fixture
def hub(demo_hub: Organisation) -> Organisation:
    return demo_hub


TODAY = date.today()


BAD_PROFILE = {
    "name": "",  # read by the form
    "country": "ZZ",  # the record's rules, which used to wait for the next submit
    "latitude": "91",
    "longitude": "0",
    "website": "not a url",
    "founded_year": "1700",
    "desks": "-1",
    "languages": "xx",
    "disciplines": "ballet",
}
REASONS = {
    "name": "this is required",
    "country": "unknown country code",
    "latitude": "not between -90 and 90",
    "website": "is not a web address",
    "founded_year": "not between",
    "desks": "at least 0",
    "languages": "unknown language code",
    "disciplines": "unknown discipline",
}


def test_the_profile_form_lists_every_problem_at_once(client, session, hub):
    sign_in(client, "manager1@example.org")
    edit = f"/hubs/{hub.slug}/edit"
    response = post_form(client, edit, BAD_PROFILE, edit)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"Please check {len(REASONS)} fields" in page
    for field, reason in REASONS.items():
        assert f'href="#{field}"' in page and reason in page, field
    session.expire_all()
    assert session.get(Organisation, hub.id).name == hub.name


def test_the_api_answers_every_problem_with_fields_and_errors(client, session, hub):
    manager = session.scalar(select(User).where(User.email == "manager1@example.org"))
    token = create_token(session, manager, "script")[1]
    body = {**BAD_PROFILE, "languages": ["xx", "yy"], "latitude": 91, "longitude": 0}
    response = client.patch(
        f"/api/v1/hubs/{hub.slug}", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    answer = response.get_json()
    assert response.status_code == 400
    valid("InputError", answer)
    assert set(answer["fields"]) == set(REASONS)
    reasons = [(e["field"], e["reason"]) for e in answer["errors"]]
    assert {field for field, _ in reasons} == set(REASONS)
    languages = [reason for field, reason in reasons if field == "languages"]
    assert len(languages) == 2 and "'xx'" in languages[0] and "'yy'" in languages[1]
    assert "; " in answer["fields"]["languages"]  # the same two, joined, where they were


def test_the_round_form_lists_every_problem_at_once(client, session, hub):
    sign_in(client, "coordinator@example.org")
    start = TODAY + timedelta(days=60)
    data = {
        "name": "",
        "starts_on": start.isoformat(),
        "ends_on": (start - timedelta(days=1)).isoformat(),
        "applications_close_on": (start + timedelta(days=1)).isoformat(),
        "budget": "1000",
        "cost_per_residency": "0",
        "cost_per_week": "0",
    }
    rounds_before = session.scalar(select(func.count()).select_from(ResidencyRound))
    response = post_form(client, "/coordination/rounds", data, "/coordination/")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Please check 4 fields" in page
    for reason in (
        "this is required",
        "must be on or after the start date",
        "must be on or before the round starts",
        "give a cost per residency or per week",
    ):
        assert reason in page
    assert session.scalar(select(func.count()).select_from(ResidencyRound)) == rounds_before


def test_the_proposal_form_lists_every_problem_at_once(client, session, hub):
    other = session.scalar(
        select(Organisation).where(Organisation.id != hub.id, Organisation.kind == "hub")
    )
    sign_in(client, "manager1@example.org")
    url = f"/hubs/{other.slug}/propose"
    start = TODAY + timedelta(days=30)
    data = {
        "kind": "shadowing",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=30)).isoformat(),  # too long for a visit
        "message": "Hello",  # too short
    }
    before = session.scalar(select(func.count()).select_from(Exchange))
    response = post_form(client, url, data, url)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "a shadowing visit lasts 1 to 14 days" in page or "lasts 1 to 14 days" in page
    assert "write at least 30 characters" in page
    assert session.scalar(select(func.count()).select_from(Exchange)) == before


def test_the_proposal_form_shows_the_hosts_free_dates(client, session, hub):
    host = next(
        o
        for o in session.scalars(select(Organisation).where(Organisation.id != hub.id))
        if any(w.ends_on > TODAY for w in o.availability)
    )
    window = min((w for w in host.availability if w.ends_on > TODAY), key=lambda w: w.starts_on)
    sign_in(client, "manager1@example.org")
    page = client.get(f"/hubs/{host.slug}/propose").get_data(as_text=True)
    assert f"Free dates at {host.name}" in page
    starts = window.starts_on
    assert f"{starts:%b} {starts.day}, {starts.year}" in page  # with its year
    assert 'class="month"' in page and 'class="free' in page


def test_the_window_form_lists_every_problem_at_once(client, session, hub):
    sign_in(client, "manager1@example.org")
    url = f"/hubs/{hub.slug}/availability/new"
    start = TODAY + timedelta(days=10)
    data = {
        "kind": "desks",
        "starts_on": start.isoformat(),
        "ends_on": (start - timedelta(days=2)).isoformat(),
        "places": str(hub.desks + 1),
    }
    response = post_form(client, url, data, url)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Please check 2 fields" in page
    assert "must be on or after the start date" in page and "in its profile: at most" in page
