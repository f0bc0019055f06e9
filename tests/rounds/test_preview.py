"""A coordinator previews a round's allocation (what-if): the result running it would
give, with applications left open, no host asked and nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from matchmaker.accounts.tokens import create_token
from matchmaker.errors import Forbidden
from matchmaker.models import Notification, OutgoingEmail, RoundApplication, RoundState
from matchmaker.rounds.allocation import allocate
from matchmaker.rounds.preview import preview_allocation
from tests.support.round_fixtures import apply_with_suggestions
from tests.support.web import csrf_token, sign_in, valid


@pytest.fixture
def applied(session, demo):
    for manager in demo.managers:
        apply_with_suggestions(session, demo, manager)
    return demo


def stored(session) -> list[tuple]:
    session.expire_all()
    return sorted(
        (a.id, a.placed_host_id, a.cost, a.outcome, a.left_out_cause)
        for a in session.scalars(select(RoundApplication))
    )


def counts(session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count()).select_from(Notification)) or 0,
        session.scalar(select(func.count()).select_from(OutgoingEmail)) or 0,
    )


def test_the_preview_is_what_running_the_allocation_gives_and_stores_nothing(session, applied):
    round_id = applied.round.id
    before, sent_before = stored(session), counts(session)
    preview = preview_allocation(session, applied.coordinator, round_id)
    assert preview.round.state is RoundState.OPEN and len(preview.rows) == 3
    assert stored(session) == before and counts(session) == sent_before
    assert preview.placed >= 1 and preview.cost > 0
    assert preview.budget_left == preview.budget - preview.cost
    allocate(session, applied.coordinator, round_id)
    placed = {a.hub.name: a for a in session.scalars(select(RoundApplication))}
    for row in preview.rows:
        application = placed[row.hub]
        assert row.host == (application.placed_host.name if application.placed_host else None)
        assert row.cost == (application.cost if application.placed_host else None)
        assert row.outcome == application.outcome_message


def test_only_a_coordinator_previews(session, applied):
    before = stored(session)
    with pytest.raises(Forbidden):
        preview_allocation(session, applied.managers[0], applied.round.id)
    assert stored(session) == before


def test_the_preview_page_for_a_coordinator_and_not_for_a_manager(client, session, applied):
    url = f"/coordination/rounds/{applied.round.id}/preview"
    sign_in(client, applied.managers[0].email)
    assert client.get(url).status_code == 403
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/rounds")})
    applied.coordinator.language = "en"
    session.commit()
    sign_in(client, applied.coordinator.email)
    review = client.get(f"/coordination/rounds/{applied.round.id}").get_data(as_text=True)
    assert url in review
    page = client.get(url).get_data(as_text=True)
    assert "A preview only" in page and "Who would go where" in page and "€" in page
    session.expire_all()
    assert applied.round.state is RoundState.OPEN
    assert all(a.placed_host_id is None for a in session.scalars(select(RoundApplication)))


def test_the_api_previews_for_a_coordinator(client, session, applied):
    headers = {"Authorization": f"Bearer {create_token(session, applied.coordinator, 't')[1]}"}
    before = stored(session)
    answer = client.get(f"/api/v1/rounds/{applied.round.id}/allocation-preview", headers=headers)
    assert answer.status_code == 200
    data = answer.get_json()
    valid("AllocationPreview", data)
    assert len(data["rows"]) == 3 and data["currency"] == "EUR"
    assert stored(session) == before
