"""A view marked `reads_only` holds no transaction on PostgreSQL: its statements autocommit
(READ COMMITTED gives each its own snapshot anyway), and its bookkeeping is kept. Any
other view keeps its transaction: one that changes something, and a GET that is not
marked (the allocation preview writes a what-if and rolls it back)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from matchmaker.accounts.tokens import create_token
from matchmaker.extensions import db
from matchmaker.models import ApiToken, Organisation, Role, SuggestionImpression, User
from tests.support.browser_server import demo_on_own_database


@pytest.fixture
def session() -> None:
    """Overrides conftest's autouse `session`: the app's own engine, not a connection kept
    in a transaction that is rolled back."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with demo_on_own_database(tmp_path_factory.mktemp("reading-app")) as app:
        yield app


def autocommitted(app: Flask, method: str, path: str, token: str, body: Any = None) -> set[bool]:
    """Whether each statement of the request ran without a transaction."""
    seen: set[bool] = set()

    asking = threading.get_ident()  # not the index builder's thread, which reads too

    def note(connection: Any, *_: Any) -> None:
        if threading.get_ident() == asking:
            seen.add(bool(getattr(connection.connection.dbapi_connection, "autocommit", False)))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        answer = app.test_client().open(
            path, method=method, json=body, headers={"Authorization": f"Bearer {token}"}
        )
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return seen


def test_a_read_autocommits_on_postgresql_and_keeps_its_bookkeeping(served: Flask) -> None:
    with served.app_context():
        session = db.session()
        manager = session.scalars(
            select(User).where(User.role == Role.MANAGER, User.hub_id.is_not(None))
        ).first()
        admin = session.scalars(select(User).where(User.role == Role.ADMIN)).first()
        assert manager is not None and admin is not None
        hub = session.get(Organisation, manager.hub_id)
        assert hub is not None
        slug, hub_id = hub.slug, hub.id
        _, mine = create_token(session, manager, "reading")
        _, admins = create_token(session, admin, "writing")
        db.session.remove()
    postgresql = served.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    read = autocommitted(served, "GET", f"/api/v1/hubs/{slug}/suggestions?kind=shadowing", mine)
    assert read == ({True} if postgresql else {False})
    with served.app_context():
        session = db.session()
        shown = session.scalars(
            select(SuggestionImpression).where(SuggestionImpression.organisation_id == hub_id)
        ).all()
        used = session.scalars(select(ApiToken.last_used_at).where(ApiToken.name == "reading"))
        assert shown and all(row.times_shown == 1 for row in shown)
        assert used.one() is not None
        db.session.remove()
    assert autocommitted(served, "GET", "/api/v1/me", mine) == {False}  # not marked
    assert autocommitted(served, "PATCH", f"/api/v1/hubs/{slug}", admins, {"city": "Ghent"}) == {
        False
    }


def test_a_refused_read_still_keeps_its_bookkeeping(served: Flask) -> None:
    """A refused input rolls the session back: that hands back the autocommitted
    connection, so the token's last use begins a transaction of its own, and is
    committed."""
    with served.app_context():
        session = db.session()
        manager = session.scalars(
            select(User).where(User.role == Role.MANAGER, User.hub_id.is_not(None))
        ).first()
        assert manager is not None and manager.hub is not None
        slug = manager.hub.slug
        _, secret = create_token(session, manager, "refused")
        db.session.remove()
    answer = served.test_client().get(
        f"/api/v1/hubs/{slug}/suggestions?kind=sightseeing",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 400 and "kind" in answer.get_json()["fields"]
    with served.app_context():
        used = db.session().scalars(select(ApiToken.last_used_at).where(ApiToken.name == "refused"))
        assert used.one() is not None
        db.session.remove()
