"""Schemathesis over /api/v1/openapi.json (issue 14): every documented operation, with a
valid token of each role (a hub's manager, another hub's manager, a coordinator, an admin),
on generated valid and invalid input. No answer may be a server error or break the
document: its status codes, content types, headers and response schemas.

The schema is loaded from the app in-process (WSGI) and every request goes through the
same app, so each generated request runs inside this test's transaction and is rolled back
with it. Path parameters are drawn mostly from the real network below (so that requests
reach the use cases, not only the 404 of an unknown id) and sometimes generated.
Bounded and derandomized: the same examples on every run, a few per operation and role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.accounts.tokens import create_token
from matchmaker.exchanges.outcomes import complete, give_feedback
from matchmaker.exchanges.proposals import answer, propose
from matchmaker.hubs.profiles import save_entry
from matchmaker.models import ApiToken, ResidencyRound, Role, User
from matchmaker.rounds.allocation import allocate
from matchmaker.rounds.applications import applications_of, apply
from matchmaker.rounds.hosting import answer_placement
from matchmaker.rounds.opening import open_round
from matchmaker.rounds.publishing import publish
from matchmaker.web.api.openapi import openapi_document
from tests.support.builders import person
from tests.support.exchange_fixtures import (
    AFTER,
    MESSAGE,
    NOW,
    REVIEW,
    RULES,
    START,
    residency,
    scheduled,
)

ROLES = ("manager", "other_manager", "coordinator", "admin")
OPERATIONS = [
    (method.upper(), path)
    for path, operations in openapi_document()["paths"].items()
    for method in operations
    if method != "parameters"
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Few examples, always the same ones: CI stays deterministic and within a couple of minutes.
EXAMPLES = 10
BOUNDED = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # The network below is built once per test, on purpose: each example adds to it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class Network:
    """The tokens of each role and the real values of each path parameter."""

    headers: dict[str, dict[str, str]]
    path_values: dict[str, list[Any]]


@pytest.fixture(scope="module")
def api_schema(app: Flask) -> BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _round(session: Session, coordinator: User, starts_on: date, days: int) -> ResidencyRound:
    return open_round(
        session,
        coordinator,
        {
            "name": f"Residencies from {starts_on}",
            "starts_on": starts_on.isoformat(),
            "ends_on": (starts_on + timedelta(days=days)).isoformat(),
            "budget": "10000",
            "cost_per_week": "250",
        },
    )


@pytest.fixture
def network(
    session: Session,
    people: dict[str, User],
    fresh_index_cache: None,
    client: FlaskClient,  # connects the signal that forgets the last request's user
) -> Network:
    """`people`'s hubs with a service and a need each; exchanges in each state that shapes
    an answer (proposed, declined, scheduled, completed with both hubs' feedback); a round
    open for applications and one published with a placement; an admin; a token for each
    role."""
    people["admin"] = person(session, "admin@x.org", Role.ADMIN)
    session.commit()
    north, south = people["north"], people["south"]
    assert north.hub is not None and south.hub is not None
    items: list[int] = []
    for user in (north, south):
        assert user.hub is not None
        items += [w.id for w in user.hub.availability[:2]]
        for kind, extra in (("services", {}), ("needs", {"priority": "high"})):
            entry = save_entry(
                session,
                user,
                user.hub,
                kind,
                {"category": "fablab", "title": f"A {kind} entry", "description": "Why.", **extra},
            )
            items.append(entry.id)
    done = scheduled(session, people, "north", "south", 0)
    complete(session, south, done, AFTER)
    give_feedback(session, south, done, REVIEW)
    give_feedback(session, north, done, REVIEW)
    agreed = scheduled(session, people, "south", "north", 3)
    proposed = propose(session, south, north.hub, residency((30, 40)), RULES, NOW)
    declined = propose(session, north, south.hub, residency((45, 55)), RULES, NOW)
    answer(session, south, declined, accept=False, reason="We are closed then.", now=NOW)
    published = _round(session, people["coordinator"], START + timedelta(days=10), 40)
    application = {
        "hosts": [south.hub.slug],
        "message": MESSAGE,
        "starts_on": (START + timedelta(days=12)).isoformat(),
        "ends_on": (START + timedelta(days=25)).isoformat(),
    }
    apply(session, north, published, application)
    allocate(session, people["coordinator"], published.id)
    for placed in applications_of(session, published):  # the host's yes, as its manager
        answer_placement(session, people["south"], placed.id, True)
    publish(session, people["coordinator"], published.id)
    still_open = _round(session, people["coordinator"], date.today() + timedelta(days=60), 90)
    owners = {
        "manager": north,
        "other_manager": south,
        "coordinator": people["coordinator"],
        "admin": people["admin"],
    }
    return Network(
        headers={
            role: {"Authorization": f"Bearer {create_token(session, user, 'schema')[1]}"}
            for role, user in owners.items()
        },
        path_values={
            "slug": [people[name].hub.slug for name in ("north", "south", "east")],  # type: ignore[union-attr]
            "item_id": items,
            "exchange_id": [e.id for e in (done, agreed, proposed, declined)],
            "round_id": [published.id, still_open.id],
        },
    )


def _cases(operation: APIOperation, network: Network) -> st.SearchStrategy[Case]:
    """Valid and invalid cases of one operation, their path parameters often real ones."""
    names = [p.name for p in operation.path_parameters]
    real = st.fixed_dictionaries(
        {n: st.sampled_from(network.path_values[n]) for n in names if n in network.path_values}
    )
    modes = st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
    return modes.flatmap(
        lambda mode: st.one_of(
            real.flatmap(lambda values: operation.as_strategy(mode, path_parameters=values)),
            operation.as_strategy(mode),
        )
    )


def _fuzz(operation: APIOperation, network: Network, headers: dict[str, str]) -> None:
    """The operation's cases sent with these headers, each answer checked."""

    @BOUNDED
    @given(case=_cases(operation, network))
    def check(case: Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_api_keeps_to_its_document(
    api_schema: BaseSchema, network: Network, method: str, path: str
) -> None:
    """Each role in turn on the same network: what one role's requests changed, the next
    one sees, as on a real server."""
    for role in ROLES:
        _fuzz(api_schema[path][method], network, network.headers[role])


def test_nothing_the_requests_wrote_is_left(session: Session) -> None:
    """Runs after the fuzzing: its requests wrote inside their tests' transactions, which
    were rolled back."""
    assert session.scalar(select(func.count()).select_from(User)) == 0
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 0
