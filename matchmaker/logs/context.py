"""Fields bound to the work in hand, added to every line logged while it runs.

A context variable, not Flask's `g`: the formatters stay free of Flask, the gunicorn
master and the queue workers use the same ones, and each thread or greenlet serving a
request sees only its own fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_fields: ContextVar[dict[str, Any] | None] = ContextVar("log_fields", default=None)


def current_fields() -> dict[str, Any]:
    """The fields bound now (empty outside any bound work)."""
    return dict(_fields.get() or {})


def bind(**fields: Any) -> None:
    """Add fields to the work in hand (e.g. the user, once known); outside `bound_fields`
    it does nothing, so a stray call cannot leak fields into unrelated lines."""
    bound = _fields.get()
    if bound is not None:
        bound.update(fields)


@contextmanager
def bound_fields(**fields: Any) -> Iterator[dict[str, Any]]:
    """Every line logged inside carries `fields` (and what `bind` adds); nested blocks
    see their parent's fields too. Yields the live dict."""
    token = _fields.set({**current_fields(), **fields})
    try:
        yield _fields.get() or {}
    finally:
        _fields.reset(token)
