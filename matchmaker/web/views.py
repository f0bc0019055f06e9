"""Registering the pages and the API, and turning use-case errors into answers a person
understands: a page with the reason for browsers, JSON with the field for the API."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Response, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import LazyString, force_locale, format_timedelta, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from matchmaker.errors import Forbidden, InputError, NotFound, SignInRequired
from matchmaker.extensions import db
from matchmaker.web.rate_limits import seconds_to_wait
from matchmaker.web.security import SIGN_IN_FIRST

ResponseValue = ResponseReturnValue


def register_views(app: Flask) -> None:
    from matchmaker.web import hub_logos, impact  # noqa: F401 (their routes join hubs, the console)
    from matchmaker.web.accounts import auth
    from matchmaker.web.api import api
    from matchmaker.web.calendar_feed import calendar_feed
    from matchmaker.web.confirmations import register_confirmations
    from matchmaker.web.coordination import coordination
    from matchmaker.web.dev_mail import dev_mail
    from matchmaker.web.digest import digest
    from matchmaker.web.directory import pages
    from matchmaker.web.exchanges import exchanges
    from matchmaker.web.formatting import register_formatting
    from matchmaker.web.health import health
    from matchmaker.web.home import home
    from matchmaker.web.hubs import hubs
    from matchmaker.web.network import network
    from matchmaker.web.people import people
    from matchmaker.web.rounds import rounds
    from matchmaker.web.security import csrf
    from matchmaker.web.suggestions import matches
    from matchmaker.web.swap_rings import swap_rings

    blueprints = (
        pages,
        home,
        auth,
        calendar_feed,
        hubs,
        matches,
        network,
        people,
        exchanges,
        coordination,
        digest,
        rounds,
        swap_rings,
        health,
        dev_mail,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    register_confirmations(app)
    register_formatting(app)
    csrf.exempt(api)  # the API authenticates by token, never by cookie
    app.register_blueprint(api)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(Forbidden, forbidden)
    app.register_error_handler(SignInRequired, sign_in_required)
    app.register_error_handler(NotFound, not_found)
    app.register_error_handler(InputError, input_error)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_page(status: int, title: str | LazyString, message: str) -> tuple[Response, int]:
    """The error in the reader's language. The API's `error` stays the English title, a
    label clients may compare; its `message` is for the person reading it."""
    if wants_json():
        with force_locale("en"):
            label = str(title)
        return jsonify(error=label, message=message), status
    return Response(render_template("error.html", title=title, message=message)), status


# The titles and messages of the HTTP errors a person meets, and one for any other.
HTTP_TITLES = {
    400: _l("Bad request"),
    401: _l("Sign-in required"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    405: _l("Not allowed here"),
    413: _l("Too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
}
HTTP_MESSAGES = {
    400: _l("The request could not be read."),
    401: SIGN_IN_FIRST,
    403: _l("You cannot do this."),
    404: _l("There is no page at this address."),
    405: _l("This address does not take this kind of request."),
    413: _l("What you sent is larger than this address accepts."),
    429: _l("Too many requests in a short time. Try again in a moment."),
    500: _l("The server met an error and could not finish. Try again in a moment."),
}
PER_PERIOD = {
    "second": _l("per second"),
    "minute": _l("per minute"),
    "hour": _l("per hour"),
    "day": _l("per day"),
    "month": _l("per month"),
    "year": _l("per year"),
}


def http_error(error: HTTPException) -> ResponseValue:
    status = error.code or 500
    title = HTTP_TITLES.get(status, HTTP_TITLES[500])
    message = HTTP_MESSAGES.get(status, _l("The request could not be completed."))
    response, status = error_page(status, title, str(message))
    # What the error says in its headers stays: `Allow` on a 405, `Retry-After` on a 503.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status


def too_many_requests(error: RateLimitExceeded) -> ResponseValue:
    """A rate limit (`web/rate_limits.py`) was reached: say when to come back, in words
    and in `Retry-After`, so well-behaved clients wait instead of retrying at once."""
    wait = seconds_to_wait()
    item = error.limit.limit
    period = PER_PERIOD.get(item.GRANULARITY.name) if item.multiples == 1 else None
    if period is None:
        period = _(
            "in %(duration)s", duration=format_timedelta(timedelta(seconds=item.get_expiry()))
        )
    at_most = ngettext(
        "This can be done at most %(num)d time %(period)s.",
        "This can be done at most %(num)d times %(period)s.",
        item.amount,
        period=period,
    )
    again = ngettext("Try again in %(num)d second.", "Try again in %(num)d seconds.", wait)
    response, status = error_page(429, _l("Too many requests"), " ".join((at_most, again)))
    response.headers["Retry-After"] = str(wait)
    return response, status


def csrf_error(error: CSRFError) -> ResponseValue:
    return error_page(
        400,
        _l("The form has expired"),
        _(
            "For your safety each form works only in the session that showed it. "
            "Go back, reload the page and send it again."
        ),
    )


def forbidden(error: Forbidden) -> ResponseValue:
    return error_page(403, _l("Not allowed"), _("You cannot do this: %(reason)s.", reason=error))


def sign_in_required(error: SignInRequired) -> ResponseValue:
    if wants_json():
        response, status = error_page(
            401, _l("Sign-in required"), _("Send a personal API token as a Bearer token.")
        )
        response.headers["WWW-Authenticate"] = 'Bearer realm="matchmaker"'
        return response, status
    flash(str(SIGN_IN_FIRST), "info")
    return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))


def not_found(error: LookupError) -> ResponseValue:
    reason = str(error).strip("'\"")
    return error_page(404, _l("Not found"), reason[:1].upper() + reason[1:] + ".")


def input_error(error: InputError) -> ResponseValue:
    """Reached only when a view did not show the problems next to its fields itself."""
    db.session.rollback()
    if wants_json():
        # `fields` (one reason per field, as ever) and the same as a list that keeps each
        # reason apart, so a client can show every problem next to its field at once.
        return jsonify(
            error="Invalid input",
            fields=error.problems,
            errors=[{"field": f, "reason": r} for f, r in error.field_errors()],
        ), 400
    return error_page(400, _l("Please check what you sent"), str(error))
