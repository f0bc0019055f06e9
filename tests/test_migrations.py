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
