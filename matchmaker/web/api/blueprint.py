"""The /api/v1 blueprint: authentication by personal API token (`Authorization: Bearer
mm_...`), the asker and the JSON body for every endpoint, the OpenAPI document and `/me`.
Errors are JSON with the field and reason (`web/views.py`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from matchmaker.accounts.tokens import user_for_token
from matchmaker.errors import InputError, SignInRequired
from matchmaker.extensions import db
from matchmaker.i18n import choose_again, translations
from matchmaker.models import User
from matchmaker.web.api.openapi import openapi_document
from matchmaker.web.request_log import note_user
from matchmaker.web.views import ResponseValue

api = Blueprint("api", __name__, url_prefix="/api/v1")


def api_caller() -> User | None:
    """The owner of the request's API token when the token is valid, looked up once a
    request: the rate limits ask first (`web/rate_limits.py`), then `authenticate`."""
    if "api_caller" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _space, secret = header.partition(" ")
        bearer = scheme.lower() == "bearer"
        g.api_caller = user_for_token(db.session(), secret.strip()) if bearer else None
    caller: User | None = g.api_caller
    return caller


@api.before_request
def authenticate() -> None:
    if request.endpoint == "api.openapi":
        return
    user = api_caller()
    if user is None:
        raise SignInRequired(_("a valid personal API token is required"))
    note_user(user.id)
    g.api_user = user
    # The token's owner reads the answer in their language and zone: chosen now, while
    # their record is fresh (after a use case commits, reading it again is a query).
    choose_again()
    translations()


def asker() -> User:
    user: User = g.api_user
    return user


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InputError({"body": _("send a JSON object with Content-Type: application/json")})
    return data


class LazyBody(Mapping[str, Any]):
    """The JSON body, read (and refused when it is not an object) at its first use: a use
    case checks who asks before it reads its input, so someone refused is told that, not
    what is wrong with their body."""

    def __init__(self) -> None:
        self._data: dict[str, Any] | None = None

    def _read(self) -> dict[str, Any]:
        if self._data is None:
            self._data = body()
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._read()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


@api.get("/openapi.json")
def openapi() -> ResponseValue:
    return jsonify(openapi_document())


@api.get("/me")
def me() -> ResponseValue:
    user = asker()
    return jsonify(
        email=user.email,
        name=user.name,
        role=user.role.value,
        hub=user.hub.slug if user.hub else None,
    )


@api.errorhandler(BadRequest)
def bad_request(error: BadRequest) -> ResponseValue:
    return jsonify(error="Bad request", message=_("The request could not be read.")), 400
