"""Keeping `hub_search` (each hub's folded text) true, in the transaction of every change.

A table of our own rather than the engine's text index or a database's full-text search:
it reads the same on SQLite and PostgreSQL (plain substring tests on folded text, no
FTS5 or tsvector to keep in step), it is current the moment a change commits (the
engine's index lags by seconds and lives in each process), and filters, sorts and pages
stay one SQL query. 10,000 hubs scan in a few milliseconds (scripts/bench_search.py).

Which hubs changed is what the engine's data stamp already notes for every flush and
bulk statement (`touched`): before a commit, and before a search reads within an open
transaction, the hubs noted since the last catch-up are written again; a bulk statement
(an import, the demo) rewrites them all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction

from matchmaker.engine import touched
from matchmaker.hubs.search_text import fold_all
from matchmaker.matching.names import country_name
from matchmaker.models import (
    Discipline,
    HubSearch,
    Need,
    Organisation,
    OrganisationKind,
    Service,
    ServiceCategory,
    organisation_disciplines,
)

CHUNK = 500  # ids in one IN list
DONE = "search_caught_up"  # session.info: the stamp's flush count last written


def hub_rows(connection: Connection, ids: Sequence[int] | None) -> list[dict[str, Any]]:
    """The search rows of these hubs (None: every hub), as they are stored now."""
    hubs = select(
        Organisation.id,
        Organisation.name,
        Organisation.city,
        Organisation.country,
        Organisation.description,
    ).where(Organisation.kind == OrganisationKind.HUB)
    if ids is not None:
        hubs = hubs.where(Organisation.id.in_(ids))
    rows = {
        id_: {
            "organisation_id": id_,
            "name": fold_all((name,)),
            "place": fold_all((city, country, country_name(country))),
            "description": fold_all((description,)),
        }
        for id_, name, city, country, description in connection.execute(hubs)
    }
    wanted = list(rows)
    texts: dict[str, dict[int, list[str]]] = {}
    for part, model in (("services", Service), ("needs", Need)):
        texts[part] = _texts(
            connection,
            select(model.organisation_id, model.title, model.description, ServiceCategory.name)
            .join(ServiceCategory, ServiceCategory.id == model.category_id)
            .order_by(model.id),
            model.organisation_id,
            wanted,
        )
    texts["disciplines"] = _texts(
        connection,
        select(organisation_disciplines.c.organisation_id, Discipline.name, Discipline.slug).join(
            Discipline, Discipline.id == organisation_disciplines.c.discipline_id
        ),
        organisation_disciplines.c.organisation_id,
        wanted,
    )
    for id_, row in rows.items():
        for part, by_hub in texts.items():
            row[part] = fold_all(by_hub.get(id_, ()))
    return list(rows.values())


def _texts(connection: Connection, query: Any, owner: Any, ids: list[int]) -> dict[int, list[str]]:
    by_hub: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(ids):
        for row in connection.execute(query.where(owner.in_(chunk))):
            by_hub[int(row[0])] += [str(text) for text in row[1:] if text]
    return by_hub


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    return (ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK))


def write_search_rows(connection: Connection, ids: Iterable[int] | None) -> None:
    """Write the search rows of these hubs (None: all) again; a hub no longer there (or no
    longer a hub) loses its row."""
    wanted = None if ids is None else sorted(set(ids))
    if wanted is None:
        connection.execute(delete(HubSearch))
        rows = hub_rows(connection, None)
    else:
        rows = []
        for chunk in _chunks(wanted):
            rows += hub_rows(connection, chunk)
            kept = {row["organisation_id"] for row in rows}
            gone = [id_ for id_ in chunk if id_ not in kept]
            if gone:
                connection.execute(delete(HubSearch).where(HubSearch.organisation_id.in_(gone)))
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(HubSearch)
    parts = [column.name for column in HubSearch.__table__.columns if not column.primary_key]
    connection.execute(
        upsert.on_conflict_do_update(
            index_elements=[HubSearch.organisation_id],
            set_={part: upsert.excluded[part] for part in parts},
        ),
        rows,
    )


def catch_up(session: Session) -> None:
    """Write the search rows of the hubs this transaction changed since the last catch-up
    (flushing first): a search in the same transaction sees its own edits."""
    session.flush()
    note = touched(session)
    if note is None or session.info.get(DONE) == note.flushes:
        return
    everything = "all" in note.scopes
    write_search_rows(session.connection(), None if everything else note.hubs)
    session.info[DONE] = note.flushes


@event.listens_for(Session, "before_commit", insert=True)
def _before_commit(session: Session) -> None:
    """First of the before-commit listeners: the stamp's bump forgets what was touched."""
    catch_up(session)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    """Ended, or a savepoint rolled back (which may undo rows written in it): catch up
    again from the start next time."""
    session.info.pop(DONE, None)
