"""Irreversible actions ask first (web/confirmations.py): without scripts the button leads
to a page that says what will happen, whose form (with its CSRF token) does it; the
action's form carries the same words for the dialog of static/confirm.js."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import Organisation, Service
from tests.support.web import TOKEN, sign_in


@pytest.fixture
def hub(demo_hub: Organisation) -> Organisation:
    return demo_hub


def service_ids(session: Session, hub: Organisation) -> set[int]:
    session.expire_all()
    return {s.id for s in session.scalars(select(Service).where(Service.organisation_id == hub.id))}


def test_removing_a_service_asks_first_then_removes_it(client, session, hub):
    sign_in(client, "manager1@example.org")
    service = hub.services[0]
    delete = f"/hubs/{hub.slug}/services/{service.id}/delete"
    page = client.get(f"/hubs/{hub.slug}").get_data(as_text=True)
    form_start = page.index(f'action="{delete}"')
    form = page[form_start : page.index("</form>", form_start)]
    # The dialog's words, and a button that asks by GET when no script intercepts it.
    assert 'data-confirm="Remove this service?"' in form and 'formmethod="get"' in form
    assert "cannot be undone" in html.unescape(form)
    asked = client.get(delete, headers={"Referer": f"http://localhost/hubs/{hub.slug}"})
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Remove this service?" in text
    assert f'action="{delete}"' in text and f'href="/hubs/{hub.slug}"' in text
    assert service.id in service_ids(session, hub)  # asking changes nothing
    token = TOKEN.search(text)
    assert token
    refused = client.post(delete, data={})  # no CSRF token
    assert refused.status_code == 400 and service.id in service_ids(session, hub)
    done = client.post(delete, data={"csrf_token": token.group(1)})
    assert done.status_code == 302 and service.id not in service_ids(session, hub)


def test_the_confirmation_page_carries_the_reason_and_checks_who_asks(client, session, hub):
    other = next(
        o
        for o in session.scalars(select(Organisation).where(Organisation.id != hub.id))
        if o.services
    )
    service = other.services[0]
    sign_in(client, "manager1@example.org")
    # Another hub's service: refused before any question is asked.
    assert client.get(f"/hubs/{other.slug}/services/{service.id}/delete").status_code == 403
    # The action's variants that need no question answer GET with 405.
    assert client.get("/exchanges/1/complete").status_code in (404, 405)


def test_anonymous_people_are_sent_to_sign_in_from_a_confirmation(client, hub):
    answer = client.get(f"/hubs/{hub.slug}/services/{hub.services[0].id}/delete")
    assert answer.status_code == 302 and "/sign-in" in answer.headers["Location"]
