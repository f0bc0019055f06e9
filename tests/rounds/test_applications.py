"""Managers apply to an open residency round for their own hub, with hosts ranked from the
engine's suggestions, before the deadline; one application per hub, editable and
withdrawable; every refusal names the field and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from matchmaker.accounts.tokens import create_token
from matchmaker.errors import Forbidden, InputError, NotFound, SignInRequired
from matchmaker.exchanges.builder import Party, new_exchange
from matchmaker.i18n.formats import day
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import (
    ExchangeState,
    ParticipantRole,
    Role,
    RoundApplication,
    RoundState,
    User,
)
from matchmaker.rounds.allocation import review_for
from matchmaker.rounds.applications import (
    SUGGESTED,
    application_form,
    apply,
    round_hosts,
    suggested_hosts,
    suggested_to,
    withdraw,
)
from tests.support.round_fixtures import (
    MESSAGE,
    NOW,
    apply_with_suggestions,
    dates_and_hosts,
    slugs_of,
)
from tests.support.web import csrf_token, sign_in, valid


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(RoundApplication)) or 0


def test_the_demo_seeds_an_open_round_that_takes_applications(session, demo):
    assert demo.round.state is RoundState.OPEN
    assert demo.round.applications_close_on > NOW.date()
    assert len(round_hosts(session, demo.round)) >= 5


def test_a_manager_applies_for_their_hub_and_can_edit_until_the_deadline(session, demo):
    manager = demo.managers[0]
    application = apply_with_suggestions(session, demo, manager)
    suggested = suggested_hosts(session, demo.round, manager.hub_id)
    assert application.hub_id == manager.hub_id and application.applied_by_id == manager.id
    ranked = application.hosts
    assert len(ranked) >= 2 and ranked == [h for h in suggested if h in ranked]  # engine's order
    reordered = slugs_of(session, [ranked[-1], ranked[0]])
    edited, new = apply(session, manager, demo.round, {"hosts": reordered, "message": MESSAGE}, NOW)
    assert not new and edited.id == application.id and count(session) == 1
    assert edited.hosts == [ranked[-1], ranked[0]]
    # An edit without dates keeps the application's own.
    assert (edited.starts_on, edited.ends_on) == (application.starts_on, application.ends_on)
    withdraw(session, manager, demo.round, NOW)
    assert count(session) == 0


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"hosts": []}, "hosts", "rank at least one host"),
        ({"hosts": ["no-such-hub"]}, "hosts", "there is no hub 'no-such-hub'"),
        ({"hosts": ["OWN"]}, "hosts", "your own hub cannot host your residency"),
        ({"hosts": ["NOT-HOST"]}, "hosts", "hosts no residencies in this round's window"),
        ({"hosts": ["HOST", "HOST"]}, "hosts", "is ranked twice"),
        ({"hosts": [f"h{n}" for n in range(11)]}, "hosts", "rank at most 10 hosts"),
        ({"message": ""}, "message", "this is required"),
        ({"starts_on": "BEFORE"}, "starts_on", "must be within the round"),
        ({"ends_on": "AFTER"}, "ends_on", "must be within the round"),
        ({"ends_on": "START+2"}, "ends_on", "a residency lasts 7 to 183 days, this is 3"),
        ({"starts_on": "tomorrow"}, "starts_on", "'tomorrow' is not a date"),
    ],
)
def test_bad_applications_are_refused_with_the_field(session, demo, change, field, reason):
    manager = demo.managers[0]
    hosts = round_hosts(session, demo.round)
    host = next(i for i in hosts if i != manager.hub_id)
    not_host = next(o for o in demo.hubs.values() if o.id not in hosts and o.kind.value == "hub")
    start = demo.round.starts_on
    words = {
        "OWN": manager.hub.slug,
        "NOT-HOST": not_host.slug,
        "HOST": next(o.slug for o in demo.hubs.values() if o.id == host),
        "BEFORE": (start - timedelta(days=1)).isoformat(),
        "AFTER": (demo.round.ends_on + timedelta(days=1)).isoformat(),
        "START+2": (start + timedelta(days=2)).isoformat(),
    }
    data = {
        "hosts": [words["HOST"]],
        "message": MESSAGE,
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=13)).isoformat(),
        **change,
    }
    data = {
        k: [words.get(v, v) for v in value] if isinstance(value, list) else words.get(value, value)
        for k, value in data.items()
    }
    with pytest.raises(InputError) as refused:
        apply(session, manager, demo.round, data, NOW)
    assert reason in refused.value.problems[field]
    session.rollback()
    assert count(session) == 0


def test_a_new_application_needs_dates_that_its_hosts_offer_places_on(session, demo):
    manager = demo.managers[0]
    start, end, hosts = dates_and_hosts(session, demo, manager, how_many=1)
    with pytest.raises(InputError) as undated:
        apply(session, manager, demo.round, {"hosts": hosts, "message": MESSAGE}, NOW)
    assert undated.value.problems == {
        "starts_on": "this is required",
        "ends_on": "this is required",
    }
    host = demo.hubs[hosts[0]]
    (window,) = [
        w
        for w in host.availability
        if w.kind.value == "residency" and w.starts_on <= start and w.ends_on >= end
    ]
    # A week that runs past the end of the host's window.
    late = {
        "starts_on": (window.ends_on - timedelta(days=3)).isoformat(),
        "ends_on": (window.ends_on + timedelta(days=3)).isoformat(),
    }
    with pytest.raises(InputError) as outside:
        apply(session, manager, demo.round, {"hosts": hosts, "message": MESSAGE, **late}, NOW)
    problem = outside.value.problems["hosts"]
    assert problem.startswith(f"{host.name} has residency places only ")
    assert f"{day(window.starts_on)} to {day(window.ends_on)}" in problem
    session.rollback()
    assert count(session) == 0


def test_only_a_hubs_manager_applies_and_only_while_the_round_is_open(session, demo):
    manager = demo.managers[0]
    with pytest.raises(Forbidden):
        apply_with_suggestions(session, demo, demo.coordinator)
    after = NOW + timedelta(days=30)  # past the demo round's deadline
    with pytest.raises(InputError) as late:
        apply(session, manager, demo.round, {"hosts": [], "message": MESSAGE}, after)
    assert late.value.problems == {
        "round": f"applications to {demo.round.name!r} closed on {day(demo.round.applications_close_on)}"
    }
    application = apply_with_suggestions(session, demo, manager)
    with pytest.raises(InputError):
        withdraw(session, manager, demo.round, after)
    demo.round.state = RoundState.ALLOCATED
    session.commit()
    with pytest.raises(InputError) as closed:
        apply_with_suggestions(session, demo, manager)
    assert "takes no applications any more" in closed.value.problems["round"]
    with pytest.raises(NotFound):
        withdraw(session, demo.managers[1], demo.round, NOW)
    assert session.get(RoundApplication, application.id) is not None


def test_the_form_is_prefilled_with_the_engines_suggestions(client, session, demo):
    manager = demo.managers[0]
    sign_in(client, manager.email)  # a demo account
    assert f"/rounds/{demo.round.id}/apply" in client.get("/rounds").get_data(as_text=True)
    page = client.get(f"/rounds/{demo.round.id}/apply").get_data(as_text=True)
    first, second = slugs_of(session, suggested_hosts(session, demo.round, manager.hub_id)[:2])
    assert f'name="rank-{first}" type="number" min="1" max="10" value="1"' in page
    assert f'name="rank-{second}" type="number" min="1" max="10" value="2"' in page
    start, end, (first, second, *_) = dates_and_hosts(session, demo, manager)
    dates = {"starts_on": start.isoformat(), "ends_on": end.isoformat()}
    token = csrf_token(client, f"/rounds/{demo.round.id}/apply")
    refused = client.post(
        f"/rounds/{demo.round.id}/apply",
        data={"csrf_token": token, f"rank-{first}": "x", "message": MESSAGE},
    )
    assert refused.status_code == 400 and "is not a whole number" in refused.get_data(as_text=True)
    sent = client.post(
        f"/rounds/{demo.round.id}/apply",
        data={
            "csrf_token": token,
            f"rank-{first}": "2",
            f"rank-{second}": "1",
            "message": MESSAGE,
            **dates,
        },
    )
    assert sent.status_code == 302
    (application,) = session.scalars(select(RoundApplication))
    assert slugs_of(session, application.hosts) == [second, first]


def test_the_api_lists_rounds_takes_an_application_and_hides_the_outcome(client, session, demo):
    manager = demo.managers[0]
    auth = {"Authorization": f"Bearer {create_token(session, manager, 'api')[1]}"}
    session.commit()
    (listed,) = client.get("/api/v1/rounds", headers=auth).get_json()
    assert listed["accepting_applications"] and listed["application"] is None
    valid("Round", listed)
    one = client.get(f"/api/v1/rounds/{demo.round.id}", headers=auth).get_json()
    valid("Round", one)
    start, end, hosts = dates_and_hosts(session, demo, manager, how_many=2)
    assert set(hosts) <= set(one["suggested_hosts"])
    dates = {"starts_on": start.isoformat(), "ends_on": end.isoformat()}
    url = f"/api/v1/rounds/{demo.round.id}/application"
    bad = client.post(
        url, json={"hosts": hosts, "message": MESSAGE, "ends_on": "2020-01-01"}, headers=auth
    )
    assert bad.status_code == 400 and "ends_on" in bad.get_json()["fields"]
    made = client.post(url, json={"hosts": hosts, "message": MESSAGE, **dates}, headers=auth)
    valid("RoundApplication", made.get_json())
    assert made.status_code == 201 and made.get_json()["hosts"] == hosts
    again = client.post(url, json={"hosts": hosts[:1], "message": MESSAGE}, headers=auth)
    assert again.status_code == 200 and again.get_json()["outcome"] is None
    assert client.delete(url, headers=auth).status_code == 204
    assert client.delete(url, headers=auth).status_code == 404


def test_the_application_form_offers_eligible_hosts_to_a_manager_for_their_hub(session, demo):
    """The manager's own hub is never offered; the engine's suggestions come first and
    are ranked before anything is applied; coordinators, admins and nobody signed in get
    no form."""
    manager = demo.managers[0]
    form = application_form(session, manager, demo.round)
    eligible = round_hosts(session, demo.round)
    assert form.hub == manager.hub and form.application is None
    assert form.suggested == suggested_hosts(session, demo.round, manager.hub_id)
    assert form.chosen == list(form.suggested[:SUGGESTED])
    assert form.candidates[: len(form.chosen)] == form.chosen
    assert manager.hub_id not in form.candidates
    assert set(form.candidates) <= set(eligible) and len(set(form.candidates)) == len(
        form.candidates
    )
    other = application_form(session, demo.managers[1], demo.round)
    assert other.hub == demo.managers[1].hub and demo.managers[1].hub_id not in other.candidates
    admin = session.scalar(select(User).where(User.role == Role.ADMIN))
    for refused in (demo.coordinator, admin):
        with pytest.raises(Forbidden):
            application_form(session, refused, demo.round)
    with pytest.raises(SignInRequired):
        application_form(session, None, demo.round)
    application = apply_with_suggestions(session, demo, manager)
    assert application_form(session, manager, demo.round).chosen == application.hosts


def test_a_round_is_seen_as_a_review_by_coordinators_and_with_suggestions_by_managers(
    session, demo
):
    manager = demo.managers[0]
    admin = session.scalar(select(User).where(User.role == Role.ADMIN))
    assert review_for(session, manager, demo.round.id) is None
    assert review_for(session, demo.managers[1], demo.round.id) is None
    for coordinator in (demo.coordinator, admin):
        found = review_for(session, coordinator, demo.round.id)
        assert found is not None and found.round == demo.round
    with pytest.raises(NotFound):
        review_for(session, demo.coordinator, 10**9)
    suggested = suggested_hosts(session, demo.round, manager.hub_id)
    assert suggested_to(session, manager, demo.round) == suggested
    assert suggested_to(session, demo.coordinator, demo.round) is None  # no hub of their own
    demo.round.state = RoundState.ALLOCATED
    assert suggested_to(session, manager, demo.round) is None  # no longer takes applications


def test_a_hub_booked_elsewhere_on_its_dates_cannot_apply_for_them(session, demo):
    manager = demo.managers[0]
    start, end, hosts = dates_and_hosts(session, demo, manager)
    elsewhere = next(h for h in demo.hubs.values() if h.id not in (manager.hub_id,))
    booking = new_exchange(
        session,
        ExchangeKind.SHADOWING,
        manager,
        [Party(manager.hub, ParticipantRole.GUEST, True), Party(elsewhere, ParticipantRole.HOST)],
        starts_on=start,
        ends_on=start,
        message=MESSAGE,
        now=NOW,
    )
    booking.move_to(ExchangeState.ACCEPTED, at=NOW)
    booking.move_to(ExchangeState.SCHEDULED, at=NOW)
    session.commit()
    fields = {"hosts": hosts, "message": MESSAGE, "starts_on": str(start), "ends_on": str(end)}
    with pytest.raises(InputError) as refused:
        apply(session, manager, demo.round, fields, NOW)
    assert f"exchange #{booking.id}" in refused.value.problems["starts_on"]
    assert count(session) == 0
