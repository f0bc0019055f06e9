"""A request id on every request, and one access line per request.

The id comes from the incoming `X-Request-ID` header when it is a sane token (a proxy or
load balancer that made one, so its log and ours join up), else it is made here; it is
sent back in the response's `X-Request-ID` and carried by every line logged while the
request runs (`logs.bound_fields`). The access line (logger `matchmaker.access`) is
written when the response has been sent, so its duration covers a streamed body too.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextlib import ExitStack

from flask import Flask, Response, g, request

from matchmaker.logs import bind, bound_fields, current_fields

HEADER = "X-Request-ID"
# Letters, digits and `-_.:`, 8 to 128 of them: UUIDs, nginx's $request_id, ULIDs and
# the like pass; anything that could forge a log line or a header does not.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# Links whose last part is a secret (password reset, invitation, unsubscribe): the
# secret never reaches the log.
SECRET_ARGS = ("token",)

access_log = logging.getLogger("matchmaker.access")


def request_id_from(header: str | None) -> str:
    """The incoming id when it is sane, else a new one (32 hex digits)."""
    if header and SANE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def loggable_path() -> str:
    """The path without its query string, and with any secret in it replaced."""
    path = request.path
    for name in SECRET_ARGS:
        secret = (request.view_args or {}).get(name)
        if isinstance(secret, str) and secret:
            path = path.replace(secret, "[redacted]")
    return path


def note_user(user_id: int) -> None:
    """Called where a request's user is known (session or API token): later lines and the
    access line carry `user_id`."""
    bind(user_id=user_id)


def start_request() -> None:
    g.request_started = time.perf_counter()
    g.request_log = stack = ExitStack()
    stack.enter_context(
        bound_fields(
            request_id=request_id_from(request.headers.get(HEADER)),
            method=request.method,
            path=request.path,
        )
    )


def finish_request(response: Response) -> Response:
    """Echo the id and log the access line once the response is sent."""
    fields = current_fields()
    if not fields:  # before_request never ran (e.g. an error while matching the URL)
        return response
    fields["path"] = loggable_path()
    fields["status"] = response.status_code
    fields["remote_addr"] = request.remote_addr
    response.headers[HEADER] = fields["request_id"]
    started = g.get("request_started", time.perf_counter())

    def log_access() -> None:
        fields["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
        # A server error's line stands out at WARNING (its traceback, if any, is on its
        # own ERROR line with the same id).
        level = logging.WARNING if fields["status"] >= 500 else logging.INFO
        access_log.log(
            level,
            "%s %s %s %s ms",
            fields["method"],
            fields["path"],
            fields["status"],
            fields["duration_ms"],
            extra=fields,  # the request's bound fields are gone once the body is sent
        )

    response.call_on_close(log_access)
    return response


def end_request(_error: BaseException | None) -> None:
    stack: ExitStack | None = g.pop("request_log", None)
    if stack is not None:
        stack.close()


def init_request_log(app: Flask) -> None:
    # First of the before-request hooks, so a rate limit's refusal or the API's token
    # check already logs with the id.
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)
    app.after_request(finish_request)
    app.teardown_request(end_request)
