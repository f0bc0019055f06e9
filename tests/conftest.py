"""Fixtures: one app and one migrated database per run; every test runs in a transaction
that is rolled back, so tests never see each other's data.

The database is SQLite in a temporary folder, or `TEST_DATABASE_URL` (the PostgreSQL
leg of `make test` sets it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import downgrade, upgrade
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from matchmaker import create_app
from matchmaker.app import MIGRATIONS_DIR
from matchmaker.extensions import db

# Machines differ in speed; a property test fails on a wrong answer, never on a slow one.
settings.register_profile("matchmaker", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("matchmaker")

TEST_CONFIG = {"TESTING": True, "SECRET_KEY": "test-secret", "HUBS_PER_PAGE": 30}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp("instance")
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url}, str(instance))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        db.engine.dispose()


@pytest.fixture(autouse=True)
def session(app: Flask) -> Iterator[Session]:
    """`db.session` bound to a connection whose transaction is rolled back after the test;
    commits inside the code under test only release a savepoint."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        # A plain Session: Flask-SQLAlchemy's own ignores `bind` for mapped classes.
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        )
        try:
            yield db.session()
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def shared_data() -> Path:
    return Path(__file__).resolve().parents[2] / "shared" / "data"
