"""The impact dashboard: figures computed from exchanges and feedback, drawn as SVG in the
page, and the same figures in the CSV export; coordinators only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaker.exchange_outcomes import cancel, complete, give_feedback
from matchmaker.exchanges import answer, propose
from matchmaker.impact import network_impact
from matchmaker.models import Discipline, Organisation
from matchmaker.permissions import Forbidden
from tests.exchange_fixtures import MESSAGE, NOW, RULES, START
from tests.test_exchange_outcomes import AFTER, REVIEW


def scheduled(session, people, guest, host, days):
    data = {"kind": "shadowing", "message": MESSAGE,
            "starts_on": (START + timedelta(days=days)).isoformat(),
            "ends_on": (START + timedelta(days=days + 1)).isoformat()}  # fmt: skip
    exchange = propose(session, people[guest], people[host].hub, data, RULES, NOW)
    answer(session, people[host], exchange, accept=True, now=NOW)
    return exchange


@pytest.fixture
def history(session, people):
    south = session.get(Organisation, people["south"].hub_id)
    south.country = "ES"
    south.disciplines = [session.scalar(select(Discipline).where(Discipline.slug == "design"))]
    session.commit()
    first = scheduled(session, people, "north", "south", 0)
    complete(session, people["south"], first, AFTER)
    give_feedback(session, people["north"], first, REVIEW)  # 5, with a collaboration
    give_feedback(
        session, people["south"], first, {**REVIEW, "rating": "3", "collaboration": "false"}
    )
    second = scheduled(session, people, "south", "north", 5)
    cancel(session, people["north"], second, "Double-booked.")
    return first, second


def test_the_figures_follow_the_exchanges(session, people, history):
    impact = network_impact(session, people["coordinator"])
    assert impact.by_kind_and_state == {
        ("shadowing", "completed"): 1,
        ("shadowing", "cancelled"): 1,
    }
    assert impact.completion_rate == 0.5
    assert impact.mean_rating == 4 and impact.satisfied_share == 0.5
    assert impact.collaborations == 1
    assert impact.cross_border_share == 1.0
    assert impact.country_pairs == {"ES–PT": 1}
    assert impact.disciplines == {"Design": 1}
    assert impact.completed_by_month == {START.strftime("%Y-%m"): 1}


def test_only_coordinators_see_the_impact(session, people):
    with pytest.raises(Forbidden):
        network_impact(session, people["north"])


def test_the_page_draws_svg_and_the_csv_lists_the_same_figures(client, session, people, history):
    with client.session_transaction() as cookie:
        cookie["_user_id"] = people["coordinator"].get_id()
    page = client.get("/coordination/impact").get_data(as_text=True)
    assert page.count("<svg") == 4 and "Completion rate" in page and "50%" in page
    response = client.get("/coordination/impact.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["figure", "key", "value"]
    assert ["completed by country pair", "ES–PT", "1"] in rows
    assert ["completion rate", "", "0.5000"] in rows
    with client.session_transaction() as cookie:
        cookie["_user_id"] = people["north"].get_id()
    assert client.get("/coordination/impact.csv").status_code == 403
