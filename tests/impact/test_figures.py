"""The impact dashboard: figures computed from exchanges and feedback, drawn as SVG in the
page, and the same figures in the CSV export; coordinators only."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from matchmaker.errors import Forbidden
from matchmaker.exchanges.outcomes import cancel, complete, give_feedback
from matchmaker.impact.figures import Period, network_impact
from matchmaker.models import Discipline, Organisation
from tests.support.exchange_fixtures import AFTER, REVIEW, START, scheduled


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
    # Kind, month × kind, month × state, completed by month, country pair, discipline; no
    # round yet, so no budget chart.
    assert page.count("<svg") == 6 and "Completion rate" in page and "50%" in page
    assert "Exchanges by month, by kind" in page and "Shadowing visit: 2" in page
    response = client.get("/coordination/impact.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["figure", "key", "value"]
    assert ["completed by country pair", "ES–PT", "1"] in rows
    assert ["completion rate", "", "0.5000"] in rows
    month = START.strftime("%Y-%m")
    assert ["exchanges by month and kind", f"{month} shadowing", "2"] in rows
    assert ["completed by month and country pair", f"{month} ES–PT", "1"] in rows
    assert ["completed by month and discipline", f"{month} Design", "1"] in rows
    with client.session_transaction() as cookie:
        cookie["_user_id"] = people["north"].get_id()
    assert client.get("/coordination/impact.csv").status_code == 403


def test_the_figures_over_time_and_for_a_period(session, people, history):
    first, second = history
    month = START.strftime("%Y-%m")
    impact = network_impact(session, people["coordinator"])
    assert impact.by_month_and_kind == {month: {"shadowing": 2}}
    assert impact.by_month_and_state == {month: {"cancelled": 1, "completed": 1}}
    assert impact.country_pairs_by_month == {month: {"ES–PT": 1}}
    assert impact.disciplines_by_month == {month: {"Design": 1}}
    # Only the cancelled one starts on or after its own first day.
    later = network_impact(session, people["coordinator"], Period(since=second.starts_on))
    assert later.by_kind_and_state == {("shadowing", "cancelled"): 1}
    assert later.completion_rate == 0.0 and later.mean_rating is None
    assert later.collaborations == 0
    before = network_impact(session, people["coordinator"], Period(until=first.starts_on))
    assert before.by_kind_and_state == {("shadowing", "completed"): 1}
    assert before.mean_rating == 4


def test_a_bad_period_is_refused_next_to_its_field(client, session, people, history):
    with client.session_transaction() as cookie:
        cookie["_user_id"] = people["coordinator"].get_id()
    response = client.get("/coordination/impact?from=2027-05-01&to=2027-04-01")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="to-error"' in page and "must be on or after the start of the period" in page
    response = client.get("/coordination/impact?from=soon")
    assert response.status_code == 400
    assert "&#39;soon&#39; is not a date like 2027-03-01" in response.get_data(as_text=True)
    assert client.get("/coordination/impact.csv?from=soon").status_code == 400
    start = START.isoformat()
    counted = client.get(f"/coordination/impact.csv?from={start}&to={start}")
    rows = list(csv.reader(io.StringIO(counted.get_data(as_text=True))))
    assert ["exchanges", "shadowing completed", "1"] in rows
    assert not any(row[1] == "shadowing cancelled" for row in rows)
