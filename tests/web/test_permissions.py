"""The permission matrix: every endpoint of the pages and the API, asked by every role
(anonymous, this hub's manager, another hub's manager, coordinator, admin). The allowed
ones get through to the use case; the others are refused before anything changes.

A test also checks that the matrix lists every route the app has, so a new endpoint
cannot ship without its row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from matchmaker.accounts.tokens import create_token
from matchmaker.digest.message import person_token
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import (
    AvailabilityKind,
    AvailabilityWindow,
    Exchange,
    ExchangeParticipant,
    Need,
    Organisation,
    ParticipantResponse,
    ParticipantRole,
    ResidencyRound,
    Role,
    RoundApplication,
    RoundState,
    Service,
    ServiceCategory,
    User,
)
from tests.support import builders
from tests.support.builders import person
from tests.support.web import csrf_token

ROLES = ("anonymous", "manager", "other_manager", "coordinator", "admin")
EDITORS = {"manager", "admin"}
SIGNED_IN = set(ROLES) - {"anonymous"}
EVERYONE = set(ROLES)
MATCHERS = {"manager", "coordinator", "admin"}
COORDINATORS = {"coordinator", "admin"}
PASSWORD_HASH = generate_password_hash("a-password-for-all", method="pbkdf2:sha256:1000")
START = date.today() + timedelta(days=40)


@dataclass
class World:
    hub: Organisation
    other: Organisation
    users: dict[str, User]
    service: Service
    need: Need
    window: AvailabilityWindow
    manager_token: int  # the id of a token of this hub's manager
    tokens: dict[str, str]
    exchange: Exchange  # proposed by this hub to the other
    digest_token: str  # this hub's manager's signed digest link
    round_id: int = 0  # an open residency round this hub applied to
    placement_id: int = 0  # the other hub's resident, placed at this hub by an allocation


@pytest.fixture
def world(app: Flask, session: Session) -> World:
    categories = {c.slug: c for c in session.scalars(select(ServiceCategory))}
    hubs = []
    for slug, country in (("north-hub", "PT"), ("south-hub", "ES")):
        hub = builders.hub(
            session,
            slug,
            country=country,
            desks=3,
            residency_places=1,
            latitude=40.0,
            longitude=-8.0,
            description="A hub.",
        )
        hub.services.append(Service(category=categories["fablab"], title=f"{slug} laser cutting"))
        hub.needs.append(Need(category=categories["funding"], title=f"{slug} grant writing"))
        hub.availability.append(builders.window(AvailabilityKind.DESKS, START, 9, 2))
        hubs.append(hub)
    users = {
        "manager": person(session, "m@x.org", hub=hubs[0], password_hash=PASSWORD_HASH),
        "other_manager": person(session, "o@x.org", hub=hubs[1], password_hash=PASSWORD_HASH),
        "coordinator": person(session, "c@x.org", Role.COORDINATOR, password_hash=PASSWORD_HASH),
        "admin": person(session, "a@x.org", Role.ADMIN, password_hash=PASSWORD_HASH),
    }
    session.flush()
    tokens = {role: create_token(session, user, "matrix")[1] for role, user in users.items()}
    manager_token = create_token(session, users["manager"], "to revoke")[0].id
    hub = hubs[0]
    exchange = Exchange(
        kind=ExchangeKind.SHADOWING,
        proposed_by=users["manager"],
        starts_on=START,
        ends_on=START + timedelta(days=2),
        message="Hello " * 9,
    )
    exchange.participants = [
        ExchangeParticipant(
            organisation=hub,
            role=ParticipantRole.GUEST,
            position=0,
            response=ParticipantResponse.ACCEPTED,
        ),
        ExchangeParticipant(organisation=hubs[1], role=ParticipantRole.HOST, position=1),
    ]
    session.add(exchange)
    session.commit()
    digest_token = person_token(app.config, users["manager"].id)
    round_ = ResidencyRound(
        name="Spring",
        starts_on=START,
        ends_on=START + timedelta(days=30),
        applications_close_on=date.today() + timedelta(days=10),
        budget=1000,
        cost_per_residency=100,
        cost_per_week=0,
    )
    session.add(
        RoundApplication(
            round=round_,
            hub=hub,
            hosts=[hubs[1].id],
            starts_on=START,
            ends_on=START + timedelta(days=20),
            message="Hello",
        )
    )
    allocated = ResidencyRound(
        name="Autumn",
        starts_on=START,
        ends_on=START + timedelta(days=30),
        budget=1000,
        cost_per_residency=100,
        cost_per_week=0,
        state=RoundState.ALLOCATED,
    )
    placement = RoundApplication(
        round=allocated,
        hub=hubs[1],
        hosts=[hub.id],
        starts_on=START,
        ends_on=START + timedelta(days=20),
        message="Hello",
        placed_host=hub,
        cost=100,
    )
    session.add(placement)
    session.commit()
    return World(
        hub,
        hubs[1],
        users,
        hub.services[0],
        hub.needs[0],
        hub.availability[0],
        manager_token,
        tokens,
        exchange,
        digest_token,
        round_.id,
        placement.id,
    )


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # with {hub}, {other}, {service}, {need}, {window}, {token}, {user}
    allowed: frozenset[str]
    data: dict[str, Any] | None = None
    api: bool = False

    def url(self, world: World) -> str:
        return self.path.format(
            hub=world.hub.slug,
            other=world.other.slug,
            service=world.service.id,
            need=world.need.id,
            window=world.window.id,
            token=world.manager_token,
            user=world.users["other_manager"].id,
            exchange=world.exchange.id,
            digest=world.digest_token,
            round=world.round_id,
            placement=world.placement_id,
        )


def page(method: str, path: str, allowed: set[str], data: dict[str, Any] | None = None):
    return Endpoint(method, path, frozenset(allowed), data)


def api(method: str, path: str, allowed: set[str], data: dict[str, Any] | None = None):
    return Endpoint(method, "/api/v1" + path, frozenset(allowed), data, api=True)


PROFILE = {"name": "North Hub", "country": "PT"}
SERVICE = {"category": "fablab", "title": "Open workshop"}
WINDOW = {
    "kind": "desks",
    "starts_on": START.isoformat(),
    "ends_on": START.isoformat(),
    "places": "1",
}
RING = {
    "hubs": "north-hub,south-hub",
    "starts_on": START.isoformat(),
    "ends_on": (START + timedelta(days=9)).isoformat(),
    "message": "Hi",
}
MATRIX = [
    page("GET", "/", EVERYONE),
    page("GET", "/healthz", EVERYONE),
    page("GET", "/hubs/{hub}", EVERYONE),
    page("GET", "/hubs/{hub}/edit", EDITORS),
    page("POST", "/hubs/{hub}/edit", EDITORS, PROFILE),
    page("GET", "/hubs/{hub}/services/new", EDITORS),
    page("POST", "/hubs/{hub}/services/new", EDITORS, SERVICE),
    page("GET", "/hubs/{hub}/services/{service}", EDITORS),
    page("POST", "/hubs/{hub}/services/{service}", EDITORS, SERVICE),
    page("POST", "/hubs/{hub}/services/{service}/delete", EDITORS, {}),
    # Irreversible actions answer GET with their confirmation page (web/confirmations.py).
    page("GET", "/hubs/{hub}/services/{service}/delete", EDITORS),
    page("GET", "/hubs/{hub}/needs/new", EDITORS),
    page("POST", "/hubs/{hub}/needs/new", EDITORS, {**SERVICE, "priority": "low"}),
    page("GET", "/hubs/{hub}/needs/{need}", EDITORS),
    page("POST", "/hubs/{hub}/needs/{need}", EDITORS, SERVICE),
    page("POST", "/hubs/{hub}/needs/{need}/delete", EDITORS, {}),
    page("GET", "/hubs/{hub}/needs/{need}/delete", EDITORS),
    page("GET", "/hubs/{hub}/availability/new", EDITORS),
    page("POST", "/hubs/{hub}/availability/new", EDITORS, WINDOW),
    page("GET", "/hubs/{hub}/availability/{window}", EDITORS),
    page("POST", "/hubs/{hub}/availability/{window}", EDITORS, WINDOW),
    page("POST", "/hubs/{hub}/availability/{window}/delete", EDITORS, {}),
    page("GET", "/hubs/{hub}/availability/{window}/delete", EDITORS),
    page("POST", "/hubs/{hub}/confirm", EDITORS, {}),
    # No picture sent: refused on its field.
    page("POST", "/hubs/{hub}/logo", EDITORS, {}),
    page("POST", "/hubs/{hub}/logo/delete", EDITORS, {}),
    # The hub has no picture: nobody finds one (tests/hubs/test_logos.py serves one).
    page("GET", "/hubs/{hub}/logo/0123abcd-96.webp", set()),
    page("GET", "/hubs/{hub}/matches?kind=shadowing", MATCHERS),
    page("GET", "/hubs/{hub}/consortia?min_partners=2&min_countries=1", MATCHERS),
    # Only the hub's own manager asks a consortium's partners (a short message is refused).
    page("POST", "/hubs/{hub}/consortia/propose", {"manager"}, {"members": "south-hub"}),
    page("GET", "/network/graph", EVERYONE),
    page("GET", "/network/graph.json", EVERYONE),
    page("GET", "/network/map", EVERYONE),
    page("GET", "/network/map.json", EVERYONE),
    page("GET", "/sign-in", EVERYONE),
    page("POST", "/sign-in", EVERYONE, {"email": "m@x.org", "password": "wrong"}),
    page("POST", "/sign-out", EVERYONE, {}),
    page("GET", "/account", SIGNED_IN),
    page("POST", "/account", SIGNED_IN, {"current_password": "wrong"}),
    page("POST", "/account/tokens", SIGNED_IN, {"name": "script"}),
    page("POST", "/account/reading", SIGNED_IN, {"language": "de", "time_zone": "Europe/Berlin"}),
    page("POST", "/language", EVERYONE, {"language": "fr", "next": "/"}),
    page("POST", "/account/tokens/{token}/revoke", {"manager"}, {}),
    page("POST", "/account/calendar-feed", SIGNED_IN, {}),
    page("POST", "/account/calendar-feed/end", SIGNED_IN, {}),
    # The secret address is the permission: an unknown one is not found, for anyone
    # (tests/web/test_home_pages.py reads a real one).
    page("GET", "/calendar/cal_not-a-feed.ics", set()),
    page("GET", "/home", SIGNED_IN),
    # Only `flask dev-server` sets DEV_MAILBOX: anywhere else the caught mail is not
    # found, for anyone (tests/outbox/test_dev_catcher.py reads it on the dev server).
    page("GET", "/dev/mail/", set()),
    page("GET", "/dev/mail/1.2.vm", set()),
    page("GET", "/forgot-password", EVERYONE),
    page("POST", "/forgot-password", EVERYONE, {"email": "nobody@x.org"}),
    page("GET", "/reset-password/not-a-token", EVERYONE),
    page("POST", "/reset-password/not-a-token", EVERYONE, {"password": "x"}),
    page("GET", "/accept-invitation/not-a-token", EVERYONE),
    page("POST", "/accept-invitation/not-a-token", EVERYONE, {"password": "x"}),
    page("GET", "/people/", COORDINATORS),
    page("POST", "/people/invite", COORDINATORS, {"email": "bad", "role": "manager"}),
    page(
        "POST", "/people/{user}", {"admin"}, {"role": "manager", "hub": "south-hub", "active": "on"}
    ),
    page("GET", "/hubs/{other}/propose", SIGNED_IN),
    # Another hub's manager proposing to their own hub is answered 400 (choose another hub).
    page(
        "POST",
        "/hubs/{other}/propose",
        {"manager", "other_manager"},
        {
            "kind": "shadowing",
            "starts_on": START.isoformat(),
            "ends_on": START.isoformat(),
            "message": "We would love to visit and learn how you run your workshop.",
        },
    ),
    page("GET", "/exchanges", SIGNED_IN),
    page("GET", "/exchanges/{exchange}", {"manager", "other_manager", "coordinator", "admin"}),
    page("POST", "/exchanges/{exchange}/accept", {"other_manager"}, {}),
    page("POST", "/exchanges/{exchange}/decline", {"other_manager"}, {"reason": "Busy"}),
    page(
        "GET",
        "/exchanges/{exchange}/decline?reason=Busy",
        {"manager", "other_manager", *COORDINATORS},
    ),
    page("GET", "/exchanges/{exchange}/withdraw", {"manager", "other_manager", *COORDINATORS}),
    page("GET", "/exchanges/{exchange}/cancel", {"manager", "other_manager", *COORDINATORS}),
    page("POST", "/exchanges/{exchange}/withdraw", {"manager"}, {}),
    # Managers see the rings with their hub, coordinators all; a short message is refused.
    page("GET", "/swap-rings", SIGNED_IN),
    page("POST", "/swap-rings", SIGNED_IN, RING),
    page("GET", "/coordination/", COORDINATORS),
    page("GET", "/coordination/impact", COORDINATORS),
    page("GET", "/coordination/impact.csv", COORDINATORS),
    page("POST", "/coordination/exchanges/{exchange}/approve", COORDINATORS, {}),
    page("POST", "/coordination/exchanges/{exchange}/reject", COORDINATORS, {"reason": "No"}),
    page("GET", "/coordination/exchanges/{exchange}/reject", COORDINATORS),
    page("POST", "/coordination/rounds", COORDINATORS, {"name": "Spring"}),
    page("GET", "/coordination/hubs.csv", COORDINATORS),
    # No file sent: refused on its field.
    page("POST", "/coordination/hubs/import", COORDINATORS, {}),
    # Residency rounds: each manager applies for their own hub (the world's hubs host no
    # residencies, so the applications are refused with the field); this hub applied.
    page("GET", "/rounds", SIGNED_IN),
    page("GET", "/rounds/{round}/apply", {"manager", "other_manager"}),
    page("POST", "/rounds/{round}/apply", {"manager", "other_manager"}, {"rank-south-hub": "1"}),
    page("POST", "/rounds/{round}/withdraw", {"manager"}, {}),
    page("GET", "/rounds/{round}/withdraw", {"manager", "other_manager"}),
    page("GET", "/coordination/rounds/{round}", COORDINATORS),
    page("POST", "/coordination/rounds/{round}/allocate", COORDINATORS, {}),
    page("POST", "/coordination/rounds/{round}/adjust", COORDINATORS, {"application": "x"}),
    page("POST", "/coordination/rounds/{round}/publish", COORDINATORS, {}),
    page("GET", "/coordination/rounds/{round}/allocate", COORDINATORS),
    page("GET", "/coordination/rounds/{round}/preview", COORDINATORS),
    # A placed host's manager answers for their hub; a coordinator records a host's answer.
    page("POST", "/rounds/placements/{placement}/confirm", {"manager", *COORDINATORS}, {}),
    page("POST", "/rounds/placements/{placement}/decline", {"manager", *COORDINATORS}, {}),
    page("GET", "/rounds/placements/{placement}/decline", SIGNED_IN),
    # The world's exchange is a proposal: the hubs' managers reach the use case (which says
    # it cannot be completed yet); everyone else is refused first.
    page("POST", "/exchanges/{exchange}/complete", {"manager", "other_manager"}, {}),
    page("POST", "/exchanges/{exchange}/cancel", {"manager", "other_manager"}, {"reason": "x"}),
    page("POST", "/exchanges/{exchange}/no-show", {"other_manager"}, {}),
    page("POST", "/exchanges/{exchange}/feedback", {"manager", "other_manager"}, {"rating": "5"}),
    # A proposal has no calendar event yet, for anyone (tests/exchanges/test_outcomes.py
    # downloads a scheduled one).
    page("GET", "/exchanges/{exchange}.ics", set()),
    page("GET", "/digest/preview", SIGNED_IN),
    page("GET", "/digest/preview/email.html", SIGNED_IN),
    # The signed link is the permission: whoever holds the mail may unsubscribe.
    page("GET", "/digest/unsubscribe/{digest}", EVERYONE),
    page("POST", "/digest/unsubscribe/{digest}", EVERYONE, {}),
    page("GET", "/digest/preferences/{digest}", EVERYONE),
    page("POST", "/digest/preferences/{digest}", EVERYONE, {"digest": "monthly"}),
    page("GET", "/inbox", SIGNED_IN),
    page("POST", "/inbox/read", SIGNED_IN, {}),
    # Nobody's message: not found for everyone (a person opening their own is tested in
    # tests/web/test_home_pages.py).
    page("GET", "/inbox/999999", set()),
    api("GET", "/openapi.json", EVERYONE),
    api("GET", "/me", SIGNED_IN),
    api("GET", "/hubs", SIGNED_IN),
    api("GET", "/hubs/{hub}", SIGNED_IN),
    api("PATCH", "/hubs/{hub}", EDITORS, {"description": "Changed."}),
    api("POST", "/hubs/{hub}/confirm", EDITORS),
    # No picture in the body: refused on its field.
    api("PUT", "/hubs/{hub}/logo", EDITORS),
    api("DELETE", "/hubs/{hub}/logo", EDITORS),
    api("GET", "/hubs/{hub}/services", SIGNED_IN),
    api("POST", "/hubs/{hub}/services", EDITORS, SERVICE),
    api("GET", "/hubs/{hub}/services/{service}", SIGNED_IN),
    api("PATCH", "/hubs/{hub}/services/{service}", EDITORS, {"title": "Renamed"}),
    api("DELETE", "/hubs/{hub}/services/{service}", EDITORS),
    api("GET", "/hubs/{hub}/needs", SIGNED_IN),
    api("POST", "/hubs/{hub}/needs", EDITORS, SERVICE),
    api("GET", "/hubs/{hub}/needs/{need}", SIGNED_IN),
    api("PATCH", "/hubs/{hub}/needs/{need}", EDITORS, {"priority": "high"}),
    api("DELETE", "/hubs/{hub}/needs/{need}", EDITORS),
    api("GET", "/hubs/{hub}/availability", SIGNED_IN),
    api("POST", "/hubs/{hub}/availability", EDITORS, WINDOW),
    api("GET", "/hubs/{hub}/availability/{window}", SIGNED_IN),
    api("PATCH", "/hubs/{hub}/availability/{window}", EDITORS, {"places": 3}),
    api("DELETE", "/hubs/{hub}/availability/{window}", EDITORS),
    api("GET", "/hubs/{hub}/suggestions?kind=shadowing", MATCHERS),
    api("GET", "/exchanges", SIGNED_IN),
    api(
        "POST",
        "/hubs/{other}/proposals",
        {"manager", "other_manager"},
        {
            "kind": "shadowing",
            "starts_on": START.isoformat(),
            "ends_on": START.isoformat(),
            "message": "We would love to visit and learn how you run your workshop.",
        },
    ),
    api("GET", "/exchanges/{exchange}", {"manager", "other_manager", "coordinator", "admin"}),
    api("POST", "/exchanges/{exchange}/accept", {"other_manager"}),
    api("POST", "/exchanges/{exchange}/decline", {"other_manager"}, {"reason": "Busy"}),
    api("POST", "/exchanges/{exchange}/withdraw", {"manager"}),
    api("POST", "/exchanges/{exchange}/complete", {"manager", "other_manager"}),
    api("POST", "/exchanges/{exchange}/cancel", {"manager", "other_manager"}, {"reason": "x"}),
    api("POST", "/exchanges/{exchange}/no-show", {"other_manager"}),
    api("POST", "/exchanges/{exchange}/approve", COORDINATORS),
    api("POST", "/exchanges/{exchange}/reject", COORDINATORS, {"reason": "No"}),
    api("POST", "/exchanges/{exchange}/feedback", {"manager", "other_manager"}, {"rating": 5}),
    api("GET", f"/swap-rings?starts_on={START}&ends_on={START + timedelta(days=9)}", SIGNED_IN),
    api("POST", "/swap-rings", SIGNED_IN, {**RING, "hubs": ["north-hub", "south-hub"]}),
    api("GET", "/notifications", SIGNED_IN),
    # A proposal has no calendar event yet (tests/web/api/test_exchanges.py reads one).
    api("GET", "/exchanges/{exchange}/calendar.ics", set()),
    api("GET", "/approvals", COORDINATORS),
    api("GET", "/impact", COORDINATORS),
    api("GET", "/rounds", SIGNED_IN),
    api("GET", "/rounds/{round}", SIGNED_IN),
    api("POST", "/rounds/{round}/application", {"manager", "other_manager"}, {"hosts": ["x"]}),
    api("DELETE", "/rounds/{round}/application", {"manager"}),
    api("POST", "/rounds/{round}/allocate", COORDINATORS),
    api("POST", "/rounds/{round}/adjust", COORDINATORS, {"application": 0}),
    api("POST", "/rounds/{round}/publish", COORDINATORS),
    api("GET", "/rounds/placements", SIGNED_IN),
    api("POST", "/rounds/placements/{placement}/confirm", {"manager", *COORDINATORS}),
    api("POST", "/rounds/placements/{placement}/decline", {"manager", *COORDINATORS}, {}),
    api("POST", "/hubs/{hub}/consortia", MATCHERS, {"min_partners": 2, "min_countries": 1}),
    api("POST", "/hubs/{hub}/consortia/proposals", {"manager"}, {"members": ["south-hub"]}),
    api("GET", "/rounds/{round}/allocation-preview", COORDINATORS),
]


# Allowed roles whose request reaches the use case with input or a state it cannot use on
# purpose (a wrong password, an invalid token, a proposal that is not completed yet, a hub
# proposing to itself...): it answers 400 with the reason, and changes nothing. Every
# other allowed request must succeed (2xx or a redirect).
INPUT_REFUSED: dict[tuple[str, str], set[str]] = {
    ("GET", "/accept-invitation/not-a-token"): EVERYONE,
    ("POST", "/accept-invitation/not-a-token"): EVERYONE,
    ("POST", "/account"): SIGNED_IN,
    ("POST", "/api/v1/exchanges/{exchange}/approve"): COORDINATORS,
    ("POST", "/api/v1/exchanges/{exchange}/cancel"): {"manager", "other_manager"},
    ("POST", "/api/v1/exchanges/{exchange}/complete"): {"manager", "other_manager"},
    ("POST", "/api/v1/exchanges/{exchange}/feedback"): {"manager", "other_manager"},
    ("POST", "/api/v1/exchanges/{exchange}/no-show"): {"other_manager"},
    ("POST", "/api/v1/exchanges/{exchange}/reject"): COORDINATORS,
    ("POST", "/api/v1/hubs/{other}/proposals"): {"other_manager"},
    ("POST", "/api/v1/rounds/{round}/adjust"): COORDINATORS,
    ("POST", "/api/v1/rounds/{round}/application"): {"manager", "other_manager"},
    ("POST", "/api/v1/rounds/{round}/publish"): COORDINATORS,
    ("POST", "/api/v1/swap-rings"): SIGNED_IN,
    ("POST", "/coordination/exchanges/{exchange}/approve"): COORDINATORS,
    ("POST", "/coordination/exchanges/{exchange}/reject"): COORDINATORS,
    ("POST", "/coordination/rounds"): COORDINATORS,
    ("POST", "/coordination/hubs/import"): COORDINATORS,
    ("POST", "/hubs/{hub}/logo"): EDITORS,
    ("PUT", "/api/v1/hubs/{hub}/logo"): EDITORS,
    ("POST", "/coordination/rounds/{round}/adjust"): COORDINATORS,
    ("POST", "/coordination/rounds/{round}/publish"): COORDINATORS,
    # Declining needs a reason, which the matrix leaves out.
    ("POST", "/rounds/placements/{placement}/decline"): {"manager", *COORDINATORS},
    ("POST", "/api/v1/rounds/placements/{placement}/decline"): {"manager", *COORDINATORS},
    ("POST", "/exchanges/{exchange}/cancel"): {"manager", "other_manager"},
    ("POST", "/exchanges/{exchange}/complete"): {"manager", "other_manager"},
    ("POST", "/exchanges/{exchange}/feedback"): {"manager", "other_manager"},
    ("POST", "/exchanges/{exchange}/no-show"): {"other_manager"},
    ("POST", "/hubs/{other}/propose"): {"other_manager"},
    ("POST", "/hubs/{hub}/consortia/propose"): {"manager"},
    ("POST", "/api/v1/hubs/{hub}/consortia/proposals"): {"manager"},
    ("POST", "/people/invite"): COORDINATORS,
    ("GET", "/reset-password/not-a-token"): EVERYONE,
    ("POST", "/reset-password/not-a-token"): EVERYONE,
    ("POST", "/rounds/{round}/apply"): {"manager", "other_manager"},
    ("POST", "/sign-in"): {"anonymous"},
    ("POST", "/swap-rings"): SIGNED_IN,
}


def sign_in_as(client: FlaskClient, world: World, role: str) -> None:
    """Sign in through Flask-Login's own session key (the form is tested elsewhere)."""
    if role == "anonymous":
        return
    with client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = world.users[role].get_id()
        cookie_session["_fresh"] = True


def call(client: FlaskClient, world: World, endpoint: Endpoint, role: str):
    url = endpoint.url(world)
    if endpoint.api:
        headers = {"Authorization": f"Bearer {world.tokens[role]}"} if role in world.tokens else {}
        return client.open(url, method=endpoint.method, json=endpoint.data, headers=headers)
    sign_in_as(client, world, role)
    if endpoint.method == "GET":
        return client.get(url)
    data = {**(endpoint.data or {}), "csrf_token": csrf_token(client, "/forgot-password")}
    return client.open(url, method=endpoint.method, data=data)


def refused(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and "/sign-in?next=" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", MATRIX, ids=lambda e: f"{e.method} {e.path}")
def test_each_role_is_let_through_or_refused(client, session, world, endpoint, role, mailbox):
    """Allowed roles get through (a success, or the use case's 400 where the matrix sends
    unusable input on purpose); the others are refused before anything changes."""
    before = snapshot(session, world)
    response = call(client, world, endpoint, role)
    assert response.status_code != 500
    if role in endpoint.allowed:
        assert not refused(response), (response.status_code, response.headers.get("Location"))
        if role in INPUT_REFUSED.get((endpoint.method, endpoint.path), ()):
            assert response.status_code == 400, response.status_code
            if endpoint.api:
                assert response.get_json()["fields"], "a 400 names the field and the reason"
            assert snapshot(session, world) == before
        else:
            assert response.status_code < 400, (response.status_code, response.get_data()[:300])
    else:
        assert refused(response), (response.status_code, response.get_data(as_text=True)[:300])
        if endpoint.method != "GET" and endpoint.path not in ("/sign-out", "/sign-in"):
            assert snapshot(session, world) == before


def snapshot(session: Session, world: World) -> tuple:
    session.expire_all()
    hub = session.get(Organisation, world.hub.id)
    return (
        hub.name,
        hub.description,
        sorted((s.id, s.title) for s in hub.services),
        sorted((n.id, n.title) for n in hub.needs),
        sorted((w.id, w.places) for w in hub.availability),
        sorted((u.email, u.role, u.is_active) for u in session.scalars(select(User))),
        sorted((e.id, e.state) for e in session.scalars(select(Exchange))),
        sorted((a.id, a.placed_host_id) for a in session.scalars(select(RoundApplication))),
        sorted((r.id, r.state) for r in session.scalars(select(ResidencyRound))),
    )


def test_the_refused_inputs_name_allowed_roles_of_listed_endpoints():
    rows = {(e.method, e.path): e.allowed for e in MATRIX}
    for key, roles in INPUT_REFUSED.items():
        assert key in rows, key
        assert roles <= rows[key], (key, roles - rows[key])


def test_the_matrix_covers_every_route_and_method(app: Flask):
    adapter = app.url_map.bind("localhost")
    listed = set()
    for endpoint in MATRIX:
        concrete = endpoint.path.split("?")[0].format(
            hub="h",
            other="o",
            service=1,
            need=1,
            window=1,
            token=1,
            user=1,
            exchange=1,
            digest="t",
            round=1,
            placement=1,
        )
        rule, arguments = adapter.match(concrete, method=endpoint.method, return_rule=True)
        listed.add((endpoint.method, rule.rule, arguments.get("kind", "")))
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        kinds = ("services", "needs") if "any(services, needs)" in rule.rule else ("",)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for kind in kinds:
                assert (method, rule.rule, kind) in listed, f"{method} {rule.rule} {kind}"


def test_a_manager_cannot_edit_another_hub_by_changing_the_id(client, session, world):
    """The other hub's service, asked for under this hub's address, is not found."""
    other_service = world.other.services[0]
    sign_in_as(client, world, "manager")
    data = {**SERVICE, "csrf_token": csrf_token(client, "/forgot-password")}
    response = client.post(f"/hubs/{world.hub.slug}/services/{other_service.id}", data=data)
    assert response.status_code == 404
    api_response = client.patch(
        f"/api/v1/hubs/{world.hub.slug}/services/{other_service.id}",
        json={"title": "Mine now"},
        headers={"Authorization": f"Bearer {world.tokens['manager']}"},
    )
    assert api_response.status_code == 404
    session.expire_all()
    assert session.get(Service, other_service.id).title == "south-hub laser cutting"
