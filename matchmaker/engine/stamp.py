"""The data version: every committed change the engine reads bumps one number, noting
which hubs it touched, in the transaction of the change itself.

Session events see every change, whether a use case remembers or not: objects flushed
through the ORM (hub, service, need, window, language, exchange, feedback, project...)
and bulk statements run through the session (imports, seeding). The bump is the last
write before the commit, so the stamp's row lock is held only while committing, after
every other lock (hub, exchange, windows, round): it adds no deadlock to the lock order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, event, insert, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from matchmaker.models import (
    AvailabilityWindow,
    DataStamp,
    Exchange,
    ExchangeFeedback,
    ExchangeParticipant,
    IndexChange,
    Need,
    Organisation,
    OrganisationLanguage,
    Participation,
    Project,
    ProjectProgrammePart,
    Service,
    organisation_disciplines,
)

HUB_PARTS = (Service, Need, AvailabilityWindow, OrganisationLanguage)
EXCHANGE_PARTS = (Exchange, ExchangeParticipant, ExchangeFeedback)
PROJECT_PARTS = (Project, Participation, ProjectProgrammePart)
# Tables written in bulk through the session: which scope a statement on each touches.
# A bulk write does not say which hubs it touched: "all" of them.
TABLE_SCOPES = {
    **{model.__table__.name: "all" for model in (Organisation, *HUB_PARTS)},  # type: ignore[attr-defined]
    organisation_disciplines.name: "all",
    **{model.__table__.name: "exchanges" for model in EXCHANGE_PARTS},  # type: ignore[attr-defined]
    **{model.__table__.name: "projects" for model in PROJECT_PARTS},  # type: ignore[attr-defined]
}
TOUCHED = "index_touched"
CHANGE_LOG_KEPT = timedelta(days=1)  # session.info: what the open transaction changed


@dataclass
class Touched:
    """What a transaction changed that the engine reads; `flushes` counts the flushes that
    changed something, so a session can tell its own uncommitted versions apart."""

    hubs: set[int] = field(default_factory=set)
    scopes: set[str] = field(default_factory=set)
    flushes: int = 0

    def rows(self, version: int, now: datetime) -> list[dict[str, Any]]:
        common = {"version": version, "changed_at": now}
        return [
            *({**common, "scope": "hub", "organisation_id": hub} for hub in sorted(self.hubs)),
            *({**common, "scope": scope, "organisation_id": None} for scope in sorted(self.scopes)),
        ]


def touched(session: Session) -> Touched | None:
    """What the session's open transaction changed that the engine reads, if anything."""
    return session.info.get(TOUCHED)


def _note(session: Session, objects: Iterable[object]) -> None:
    hubs: set[int] = set()
    scopes: set[str] = set()
    for obj in objects:
        if isinstance(obj, (Organisation, *HUB_PARTS)):
            # What is loaded, without a query: a deleted row cannot be loaded again.
            name = "id" if isinstance(obj, Organisation) else "organisation_id"
            owner = inspect(obj).attrs[name].loaded_value  # type: ignore[attr-defined]
            if isinstance(owner, int):
                hubs.add(owner)
            else:
                scopes.add("all")
        elif isinstance(obj, EXCHANGE_PARTS):
            scopes.add("exchanges")
        elif isinstance(obj, PROJECT_PARTS):
            scopes.add("projects")
    if hubs or scopes:
        note = session.info.setdefault(TOUCHED, Touched())
        note.hubs |= hubs
        note.scopes |= scopes
        note.flushes += 1


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: object) -> None:
    """After the flush new rows have their ids and foreign keys; the session's lists and
    attribute histories still tell what the flush wrote."""
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    _note(session, [*session.new, *changed, *session.deleted])


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    scope = TABLE_SCOPES.get(getattr(table, "name", ""))
    if scope:
        note = state.session.info.setdefault(TOUCHED, Touched())
        note.scopes.add(scope)
        note.flushes += 1


@event.listens_for(Session, "before_commit")
def _bump(session: Session) -> None:
    session.flush()  # changes still pending are part of this commit
    note = session.info.pop(TOUCHED, None)
    if note is None:
        return
    version = session.scalar(
        update(DataStamp)
        .where(DataStamp.id == 1)
        .values(version=DataStamp.version + 1)
        .returning(DataStamp.version)
    )
    if version is None:  # a database made without the migrations' first row
        version = 1
        session.execute(insert(DataStamp).values(id=1, version=version))
    session.execute(insert(IndexChange), note.rows(version, datetime.now(UTC)))


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ends without committing leaves nothing to bump."""
    if transaction.parent is None:
        session.info.pop(TOUCHED, None)


def committed_version(session: Session) -> int:
    """The stamp as committed: one primary-key read."""
    return session.scalar(select(DataStamp.version).where(DataStamp.id == 1)) or 0


def changes_since(session: Session, version: int) -> tuple[int | None, set[int], set[str]]:
    """(the oldest version still logged, hubs changed, other scopes changed) after
    `version`; the log may have been pruned past what the caller knows."""
    oldest = session.scalar(select(IndexChange.version).order_by(IndexChange.version).limit(1))
    hubs: set[int] = set()
    scopes: set[str] = set()
    for scope, hub in session.execute(
        select(IndexChange.scope, IndexChange.organisation_id).where(IndexChange.version > version)
    ):
        if scope == "hub" and hub is not None:
            hubs.add(hub)
        else:
            scopes.add(scope)
    return oldest, hubs, scopes


def forget_changes_before(session: Session, moment: datetime) -> None:
    """Prune the change log; a builder whose last build is older reads everything."""
    session.execute(delete(IndexChange).where(IndexChange.changed_at < moment))
