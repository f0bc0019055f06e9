"""Irreversible actions ask first, with one mechanism for every such form.

A view marked `@asks_first(what)` also answers GET at its own address: a page that says
what will happen and carries the form's fields into a POST with a fresh CSRF token. The
form itself (`_confirm.html`'s `asks` macro) has `method="post"` but its button submits
with `formmethod="get"`, so without scripts the browser lands on that page; with scripts,
`static/confirm.js` shows the same words in a `<dialog>` and, on yes, posts the form.
The words are written once, here beside the view, and read by both.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, render_template, request

from matchmaker.web.views import ResponseValue


@dataclass(frozen=True)
class Confirmation:
    """The question, what will happen (and what cannot be undone), and the yes button."""

    question: str
    consequence: str
    button: str


Words = Callable[..., Confirmation | None]


def asks_first(
    words: Words, check: Callable[..., Any] | None = None
) -> Callable[[Callable[..., ResponseValue]], Callable[..., ResponseValue]]:
    """Mark a POST view as irreversible: `words(**view_args)` says what happens (None for
    the variants of the route that need no question, which GET then refuses), and
    `check(**view_args)` refuses the page to whoever may not do it (the POST's use case
    checks again)."""

    def decorate(view: Callable[..., ResponseValue]) -> Callable[..., ResponseValue]:
        @functools.wraps(view)
        def wrapper(**view_args: Any) -> ResponseValue:
            if request.method == "POST":
                return view(**view_args)
            confirmation = words(**view_args)
            if confirmation is None:
                abort(405)
            if check is not None:
                check(**view_args)
            fields = [
                (name, value)
                for name, value in request.args.items(multi=True)
                if name != "csrf_token"
            ]
            return render_template(
                "confirm.html",
                confirmation=confirmation,
                action=request.path,
                fields=fields,
                back=_back(),
            )

        wrapper.confirmation = words  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _back() -> str:
    """Where "No, go back" leads: the page the person came from, if it is ours."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path != request.path:
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return "/"


def confirmation_for(endpoint: str, **view_args: Any) -> Confirmation | None:
    """The words a marked view asks with, for its form's dialog (template global)."""
    view = current_app.view_functions[endpoint]
    words: Words | None = getattr(view, "confirmation", None)
    return words(**view_args) if words else None


def register_confirmations(app: Flask) -> None:
    app.add_template_global(confirmation_for)
