"""After agreement: the confirmation with its calendar event, completing, cancelling,
no-shows, and feedback whose review stays hidden until both sides wrote."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from matchmaker.engine import load_network
from matchmaker.errors import Forbidden, InputError
from matchmaker.exchanges.outcomes import (
    REVEAL_AFTER,
    cancel,
    complete,
    feedback_view,
    give_feedback,
    no_show,
    remind_feedback,
)
from matchmaker.exchanges.proposals import answer, propose
from matchmaker.models import ExchangeState, Notification
from matchmaker.outbox import send_due
from tests.support.exchange_fixtures import AFTER, MESSAGE, NOW, REVIEW, RULES, START
from tests.support.web import csrf_token


@pytest.fixture
def visit(session, people):
    data = {
        "kind": "shadowing",
        "starts_on": START.isoformat(),
        "ends_on": (START + timedelta(days=3)).isoformat(),
        "message": MESSAGE,
    }
    exchange = propose(session, people["north"], people["south"].hub, data, RULES, NOW)
    answer(session, people["south"], exchange, accept=True, now=NOW)
    assert exchange.state is ExchangeState.SCHEDULED
    return exchange


def test_the_confirmation_carries_a_calendar_event_that_parses_back(app, session, visit, mailbox):
    sent, failed = send_due(session, app.config, now=NOW)
    assert failed == 0 and sent >= 3
    confirmations = [m for m in mailbox.messages if m["Subject"].startswith("Scheduled:")]
    assert sorted(m["To"] for m in confirmations) == ["north@x.org", "south@x.org"]
    (attachment,) = list(confirmations[0].iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "exchange.ics"
    (event,) = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert event.decoded("dtstart") == START
    assert event.decoded("dtend") == START + timedelta(days=4)  # exclusive end of the last day
    assert "North Hub and South Hub" in str(event["summary"])
    assert str(event["url"]).endswith(f"/exchanges/{visit.id}")


def test_the_ics_downloads_for_the_hubs_only(client, session, people, visit):
    with client.session_transaction() as cookie:
        cookie["_user_id"] = people["north"].get_id()
    response = client.get(f"/exchanges/{visit.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("dtstart") == START
    with client.session_transaction() as cookie:
        cookie["_user_id"] = people["east"].get_id()
    assert client.get(f"/exchanges/{visit.id}.ics").status_code == 404


def test_completing_waits_for_the_first_day_and_asks_both_for_feedback(session, people, visit):
    with pytest.raises(InputError) as early:
        complete(session, people["north"], visit, NOW)
    assert "complete it after" in early.value.problems["exchange"]
    with pytest.raises(Forbidden):
        complete(session, people["east"], visit, AFTER)
    complete(session, people["south"], visit, AFTER)
    assert visit.state is ExchangeState.COMPLETED
    due = session.scalars(select(Notification.user_id).where(Notification.topic == "feedback_due"))
    assert set(due) == {people["north"].id, people["south"].id}


def test_a_hub_that_owes_feedback_is_reminded_once_by_email(app, session, people, visit, mailbox):
    complete(session, people["south"], visit, AFTER)
    give_feedback(session, people["south"], visit, REVIEW)
    assert remind_feedback(session, AFTER + timedelta(days=6)) == 0  # too early
    assert remind_feedback(session, AFTER + timedelta(days=8)) == 1
    assert remind_feedback(session, AFTER + timedelta(days=9)) == 0  # once
    send_due(session, app.config)
    (reminder,) = [m for m in mailbox.messages if "still missing" in m["Subject"]]
    assert reminder["To"] == people["north"].email
    link = f"{app.config['BASE_URL']}/exchanges/{visit.id}#feedback"
    assert link in reminder.get_body(("plain",)).get_content()
    assert f'href="{link}"' in reminder.get_body(("html",)).get_content()
    give_feedback(session, people["north"], visit, REVIEW)
    assert remind_feedback(session, AFTER + timedelta(days=10)) == 0


def test_no_reminder_once_the_reviews_are_revealed_by_time(session, people, visit):
    complete(session, people["south"], visit, AFTER)
    assert remind_feedback(session, AFTER + REVEAL_AFTER + timedelta(days=1)) == 0


def test_cancelling_needs_a_reason_and_tells_the_other_side(session, people, visit):
    with pytest.raises(InputError) as refused:
        cancel(session, people["north"], visit, " ")
    assert "reason" in refused.value.problems
    cancel(session, people["north"], visit, "Our manager is ill.")
    assert visit.state is ExchangeState.CANCELLED and visit.reason == "Our manager is ill."
    told = session.scalar(select(Notification).where(Notification.topic == "exchange_cancelled"))
    assert told.user_id == people["south"].id and "Our manager is ill." in told.body
    with pytest.raises(InputError):
        cancel(session, people["south"], visit, "again")


def test_only_the_host_records_a_no_show(session, people, visit):
    with pytest.raises(Forbidden):
        no_show(session, people["north"], visit, AFTER)  # the guest
    no_show(session, people["south"], visit, AFTER)
    assert visit.state is ExchangeState.NO_SHOW


def test_reviews_stay_hidden_until_both_wrote_or_time_passed(session, people, visit):
    north, south = people["north"], people["south"]
    with pytest.raises(InputError):
        give_feedback(session, north, visit, REVIEW)  # not completed yet
    complete(session, south, visit, AFTER)
    give_feedback(session, north, visit, REVIEW)
    with pytest.raises(InputError) as twice:
        give_feedback(session, north, visit, REVIEW)
    assert "already given" in twice.value.problems["exchange"]
    mine, theirs, revealed = feedback_view(session, south, visit, AFTER)
    assert (mine, theirs, revealed) == (None, [], False)
    later = AFTER + REVEAL_AFTER
    assert [f.review for f in feedback_view(session, south, visit, later)[1]] == [REVIEW["review"]]
    give_feedback(session, south, visit, {**REVIEW, "rating": "4", "review": "Curious guests."})
    assert [f.review for f in feedback_view(session, north, visit, AFTER)[1]] == ["Curious guests."]
    _, everything, _ = feedback_view(session, people["coordinator"], visit, AFTER)
    assert sorted(f.rating for f in everything) == [4, 5]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rating": "6"}, "rating"),
        ({"rating": ""}, "rating"),
        ({"review": ""}, "review"),
        ({"took_place": "maybe"}, "took_place"),
    ],
)
def test_bad_feedback_is_refused_with_the_field(session, people, visit, change, field):
    complete(session, people["south"], visit, AFTER)
    with pytest.raises(InputError) as refused:
        give_feedback(session, people["north"], visit, {**REVIEW, **change})
    assert field in refused.value.problems


def test_feedback_without_a_rating_says_to_choose_one(session, people, visit):
    complete(session, people["south"], visit, AFTER)
    with pytest.raises(InputError) as refused:
        give_feedback(session, people["north"], visit, {**REVIEW, "rating": ""})
    assert refused.value.problems["rating"] == "choose how useful it was, from 1 to 5"


def test_ratings_reach_the_engines_history(session, people, visit):
    complete(session, people["south"], visit, AFTER)
    give_feedback(session, people["north"], visit, REVIEW)
    network = load_network(session, today=date(2027, 3, 1))
    (past,) = [e for e in network.exchanges if e.id == visit.id]
    assert past.completed and past.ratings == (5,)


def test_the_whole_visit_in_the_pages(client, session, people, visit):
    north = people["north"]
    visit.starts_on, visit.ends_on = date.today(), date.today() + timedelta(days=1)
    session.commit()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = north.get_id()
    path = f"/exchanges/{visit.id}"
    done = client.post(f"{path}/complete", data={"csrf_token": csrf_token(client, path)})
    assert done.status_code == 302
    # No rating is chosen for them: the form starts on "Choose a rating", and requires one.
    form = client.get(path).get_data(as_text=True)
    assert '<select id="rating" name="rating" required><option value="">Choose a rating' in form
    assert "selected" not in form.split('id="rating"')[1].split("</select>")[0]
    bad = client.post(
        f"{path}/feedback",
        data={"rating": "3", "review": "", "csrf_token": csrf_token(client, path)},
    )
    assert bad.status_code == 400 and 'id="review-error"' in bad.get_data(as_text=True)
    assert '<option value="3" selected>' in bad.get_data(as_text=True)  # kept as chosen
    good = client.post(
        f"{path}/feedback",
        data={
            "rating": "4",
            "review": "Lovely people.",
            "took_place": "on",
            "csrf_token": csrf_token(client, path),
        },
    )
    assert good.status_code == 302
    assert "Your hub's review: “Lovely people.”" in client.get(path).get_data(as_text=True)
