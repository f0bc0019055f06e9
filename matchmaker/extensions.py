"""The Flask extensions, created once here and bound to an app in `create_app`, and how a
request uses the database: a read never holds a write lock.

On SQLite one writer at a time holds the database: a request that changes something takes
the write lock when its transaction begins (`BEGIN IMMEDIATE`, waiting its turn for up to
`SQLITE_BUSY_SECONDS`), so it never fails halfway when it first writes; a request that
only reads begins a plain transaction and reads a snapshot beside the writer (WAL). The
small writes a read causes (a token's last use, the suggestions shown) run after the read
is done (`after_reading`): on SQLite in a transaction of their own, on PostgreSQL (where
no write waits for a lock of the whole database) each on its own.

On PostgreSQL a view marked `reads_only` runs without a transaction: each statement is its
own, as it is in READ COMMITTED anyway, and BEGIN and COMMIT are two round trips fewer.
Only marked views: some GETs need their transaction (the allocation preview writes a
what-if and rolls it back).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from flask import Response, current_app, g, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from matchmaker.models.base import Base

db = SQLAlchemy(model_class=Base)

logger = logging.getLogger(__name__)
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_writing: ContextVar[bool] = ContextVar("writing", default=False)
_only_reading: ContextVar[bool] = ContextVar("only_reading", default=False)

Write = Callable[[Session], None]
View = TypeVar("View", bound=Callable[..., Any])


def begins_writing() -> bool:
    """Whether a transaction beginning now is expected to write: everything but a request
    that only reads (and the writes that request leaves for `after_reading`)."""
    if _only_reading.get():
        return False
    if _writing.get() or not has_request_context():
        return True
    return request.method not in READING_METHODS


@contextmanager
def only_reading() -> Iterator[None]:
    """Transactions begun inside only read (a background reader such as the index
    builder): on SQLite they never take the write lock."""
    token = _only_reading.set(True)
    try:
        yield
    finally:
        _only_reading.reset(token)


def after_reading(session: Session, write: Write) -> bool:
    """Do `write` (which commits nothing itself) once the request has read what it needs,
    and commit it (True); outside a request, now, in the caller's transaction (False: the
    caller commits)."""
    if has_request_context() and request.method in READING_METHODS:
        g.setdefault("writes_after_reading", []).append(write)
        return True
    write(session)
    return False


def reads_only(view: View) -> View:
    """Marks a view whose statements only read, besides its `after_reading` bookkeeping
    (one statement each): on PostgreSQL it runs without a transaction
    (`read_without_transaction`). Never for a view that flushes and rolls back, locks
    rows, or writes several rows that belong together."""
    view.reads_only = True  # type: ignore[attr-defined]
    return view


def read_without_transaction() -> None:
    """Before a request to a `reads_only` view on PostgreSQL: its session's statements
    autocommit. In READ COMMITTED each statement reads a snapshot of its own inside a
    transaction too, so the transaction held nothing together; it cost a BEGIN and a
    COMMIT, two round trips of the five of an API call for suggestions."""
    if request.method not in READING_METHODS or request.endpoint is None:
        return
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "reads_only", False):
        return
    session = db.session()
    bind = session.get_bind()
    # An engine's, not a connection already in a transaction (the tests' rolled-back one).
    postgresql = isinstance(bind, Engine) and bind.dialect.name == "postgresql"
    if postgresql and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def _autocommitted(session: Session) -> bool:
    """Whether the session's statements are kept as they run: it still holds the
    connection `read_without_transaction` set to autocommit (a rollback meanwhile, as
    for a refused input, hands that connection back and the next write begins a
    transaction of its own)."""
    if not session.in_transaction():
        return False
    options = session.connection().get_execution_options()
    return bool(options.get("isolation_level") == "AUTOCOMMIT")


def run_writes_after_reading(response: Response) -> Response:
    """The request's `after_reading` writes, then a commit. They are bookkeeping: if they
    cannot be done (the database is busy for too long), the answer still stands.

    On SQLite they run in a transaction of their own, which takes the write lock; on
    PostgreSQL, where a write waits for no lock of the whole database, in the request's
    transaction (one commit), or each on its own in a `reads_only` view (kept as it runs:
    the session's commit would only walk its objects to expire them, about 3% of such a
    request's time)."""
    writes: list[Write] = g.pop("writes_after_reading", [])
    if not writes:
        return response
    session = db.session()
    if session.get_bind().dialect.name == "sqlite":
        session.commit()  # ends the read snapshot; a reading request has nothing to commit
    token = _writing.set(True)
    try:
        for write in writes:
            write(session)
        if not _autocommitted(session):
            session.commit()
    except Exception:
        session.rollback()
        logger.warning("bookkeeping after a read was not saved", exc_info=True)
    finally:
        _writing.reset(token)
    return response
