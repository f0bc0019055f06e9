"""The migrations are the schema: they must match the models and go down and up cleanly."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from matchmaker import create_app
from matchmaker.app import MIGRATIONS_DIR
from matchmaker.extensions import db
from matchmaker.hubs.taxonomy import DEFAULT_DISCIPLINES, DEFAULT_SERVICE_CATEGORIES
from matchmaker.models import Base, Discipline, ServiceCategory


def test_the_migrated_database_matches_the_models(app: Flask, session: Session) -> None:
    context = MigrationContext.configure(session.connection())
    assert compare_metadata(context, Base.metadata) == []


def test_the_migrations_store_the_starting_taxonomies(session: Session) -> None:
    disciplines = session.execute(select(Discipline.slug, Discipline.name)).all()
    categories = session.execute(select(ServiceCategory.slug, ServiceCategory.name)).all()
    assert sorted(disciplines) == sorted(DEFAULT_DISCIPLINES)
    assert sorted(categories) == sorted(DEFAULT_SERVICE_CATEGORIES)


def test_downgrade_to_nothing_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'roundtrip.sqlite'}"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url}, str(tmp_path)
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        assert "organisations" in inspect(db.engine).get_table_names()
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade(directory=str(MIGRATIONS_DIR))
        assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()


def test_notifications_not_mailed_yet_move_to_the_outbox(tmp_path: Path) -> None:
    """Migration 0011: what waited to be mailed still goes, from the outbox; the sent and
    the given-up stay as they were."""
    url = f"sqlite:///{tmp_path / 'outbox.sqlite'}"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url}, str(tmp_path)
    )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision="0010")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO users (id, email, name, password_hash, role, is_active, "
                "auth_version, digest) VALUES (1, 'c@x.org', '', 'x', 'coordinator', 1, 0, "
                "'monthly')"
            )
            for subject, sent, attempts in (("Waits", None, 1), ("Went", "2026-01-01", 0)):
                connection.exec_driver_sql(
                    "INSERT INTO notifications (user_id, topic, subject, body, body_html, "
                    "link, sent_at, attempts, last_error, attach_calendar) VALUES "
                    "(1, 't', ?, 'Body.', '<p>Body.</p>', '/inbox', ?, ?, '', 0)",
                    (subject, sent, attempts),
                )
            connection.exec_driver_sql(
                "INSERT INTO notifications (user_id, topic, subject, body, body_html, link, "
                "attempts, last_error, attach_calendar) VALUES "
                "(1, 't', 'Given up', 'B', '', '', 8, 'refused', 0)"
            )
        upgrade(directory=str(MIGRATIONS_DIR))
        with db.engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT recipient, subject, text, html, attempts, message_id, sent_at, "
                "notification_id "
                "FROM outgoing_emails"
            ).all()
        assert rows == [
            (
                "c@x.org",
                "Waits",
                f"Body.\n\n{app.config['BASE_URL']}/inbox\n",
                "<p>Body.</p>",
                1,
                "<notification-1@matchmaker>",
                None,
                1,  # still the inbox message it mails
            )
        ]
        downgrade(directory=str(MIGRATIONS_DIR), revision="0010")
        with db.engine.connect() as connection:
            unsent = connection.exec_driver_sql(
                "SELECT subject FROM notifications WHERE sent_at IS NULL"
            ).all()
        assert unsent == [("Waits",)]
        db.engine.dispose()
