"""Uploads larger than an ordinary request: the routes that take a file get their own
body limit, set before anything reads the body (the CSRF check reads the form first),
and a body over it is answered 413 with what the limit is."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

from matchmaker.validation import size_text
from matchmaker.web.views import ResponseValue, error_page

# A multipart form wraps the file in a few headers and the other fields (CSRF token).
ENVELOPE_BYTES = 64 * 1024
# endpoint: (the config key of the file's limit, what the file is, for the message)
UPLOAD_LIMITS: dict[str, tuple[str, str]] = {}
_PREPARED: set[str] = set()  # the blueprints that set the limits of their routes


def upload_route(blueprint: Blueprint, endpoint: str, limit_key: str, what: str) -> None:
    """Give `endpoint` of `blueprint` the body limit `config[limit_key]`."""
    if blueprint.name not in _PREPARED:
        _PREPARED.add(blueprint.name)
        blueprint.url_value_preprocessor(_set_limit)
        blueprint.register_error_handler(RequestEntityTooLarge, _too_large)
    UPLOAD_LIMITS[f"{blueprint.name}.{endpoint}"] = (limit_key, what)


def file_limit(endpoint: str | None = None) -> int:
    """The largest file the endpoint (the request's by default) accepts, in bytes."""
    key, _ = UPLOAD_LIMITS[endpoint or request.endpoint or ""]
    return int(current_app.config[key])


def _set_limit(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Runs when the URL is matched, before the app's `before_request` functions."""
    if endpoint in UPLOAD_LIMITS:
        request.max_content_length = file_limit(endpoint) + ENVELOPE_BYTES


def _too_large(error: RequestEntityTooLarge) -> ResponseValue:
    limit_key, what = UPLOAD_LIMITS.get(request.endpoint or "", ("", "request"))
    limit = int(current_app.config.get(limit_key) or current_app.config["MAX_CONTENT_LENGTH"])
    message = _(
        "The %(what)s is larger than %(size)s: send a smaller one.",
        what=what,
        size=size_text(limit),
    )
    return error_page(413, _l("Too large"), message)
