"""When a hub's profile was last confirmed: saving the profile or one button confirms it,
its page shows the date with the year, it turns stale after six months, and only the
hub's editors may confirm it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from matchmaker.errors import Forbidden
from matchmaker.hubs.freshness import months_before, profile_confirmed_at, profile_is_stale
from matchmaker.hubs.profiles import confirm_profile, update_profile
from matchmaker.models import Organisation, Role
from tests.support.builders import make_hub, person
from tests.support.web import csrf_token, sign_in

PASSWORD = "a-password-for-all"
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
LONG_AGO = datetime(2025, 1, 31, 9, 30, tzinfo=UTC)


@pytest.fixture
def hub(session: Session) -> Organisation:
    hub = make_hub(session, "yeast-house")
    other = make_hub(session, "clay-room")
    person(session, "m@x.org", hub=hub, password_hash=PASSWORD_HASH)
    person(session, "o@x.org", hub=other, password_hash=PASSWORD_HASH)
    person(session, "c@x.org", Role.COORDINATOR, password_hash=PASSWORD_HASH)
    hub.profile_confirmed_at = LONG_AGO
    session.commit()
    return hub


def stored(session: Session, hub: Organisation) -> datetime:
    session.expire_all()
    found = session.get(Organisation, hub.id)
    assert found is not None
    return profile_confirmed_at(found)


def test_six_months_are_calendar_months():
    assert months_before(datetime(2026, 8, 31, tzinfo=UTC), 6) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 3, 15, tzinfo=UTC), 6) == datetime(2025, 9, 15, tzinfo=UTC)


def test_a_profile_is_stale_six_months_after_its_last_confirmation(session, hub):
    confirmed = datetime(2026, 1, 10, 12, tzinfo=UTC)
    hub.profile_confirmed_at = confirmed
    assert not profile_is_stale(hub, datetime(2026, 7, 10, 12, tzinfo=UTC))
    assert profile_is_stale(hub, datetime(2026, 7, 10, 12, 1, tzinfo=UTC))


def test_a_new_hub_counts_as_confirmed_when_it_is_added(session):
    fresh = make_hub(session, "new-hub")
    session.commit()
    assert datetime.now(UTC) - stored(session, fresh) < timedelta(minutes=5)
    assert not profile_is_stale(fresh)


def test_saving_the_profile_confirms_it(session, hub):
    manager = person(session, "m2@x.org", hub=hub)
    session.flush()
    update_profile(session, manager, hub, {"description": "New words."})
    assert datetime.now(UTC) - stored(session, hub) < timedelta(minutes=5)


def test_confirming_changes_nothing_else_and_only_editors_may(session, hub):
    coordinator = person(session, "c2@x.org", Role.COORDINATOR)
    with pytest.raises(Forbidden):
        confirm_profile(session, coordinator, hub)
    assert stored(session, hub) == LONG_AGO
    manager = person(session, "m3@x.org", hub=hub)
    session.flush()
    description = hub.description
    confirm_profile(session, manager, hub)
    assert datetime.now(UTC) - stored(session, hub) < timedelta(minutes=5)
    assert hub.description == description


def test_the_page_shows_the_date_and_asks_its_manager_to_confirm(client, session, hub):
    page = client.get("/hubs/yeast-house").get_data(as_text=True)
    assert "Profile confirmed on January 31, 2025" in page
    assert "Confirm the profile" not in page  # not for visitors
    sign_in(client, "m@x.org", PASSWORD)
    page = client.get("/hubs/yeast-house").get_data(as_text=True)
    assert "last confirmed more than six months ago" in page
    token = csrf_token(client, "/hubs/yeast-house")
    response = client.post("/hubs/yeast-house/confirm", data={"csrf_token": token})
    assert response.status_code == 302
    page = client.get("/hubs/yeast-house").get_data(as_text=True)
    today = datetime.now(UTC)
    assert f"Profile confirmed on {today:%B} {today.day}, {today.year}" in page
    assert "more than six months ago" not in page


def test_the_edit_page_offers_the_button_too(client, session, hub):
    sign_in(client, "m@x.org", PASSWORD)
    page = client.get("/hubs/yeast-house/edit").get_data(as_text=True)
    assert "Profile confirmed on January 31, 2025" in page
    assert 'action="/hubs/yeast-house/confirm"' in page


@pytest.mark.parametrize("email", ["o@x.org", "c@x.org"])
def test_another_manager_or_a_coordinator_may_not_confirm(client, session, hub, email):
    sign_in(client, email, PASSWORD)
    token = csrf_token(client, "/account")
    response = client.post("/hubs/yeast-house/confirm", data={"csrf_token": token})
    assert response.status_code == 403
    assert stored(session, hub) == LONG_AGO


def test_confirming_needs_the_csrf_token(client, session, hub):
    sign_in(client, "m@x.org", PASSWORD)
    assert client.post("/hubs/yeast-house/confirm").status_code == 400
    assert stored(session, hub) == LONG_AGO
