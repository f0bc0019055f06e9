"""Registering the pages and the API, and turning use-case errors into answers a person
understands: a page with the reason for browsers, JSON with the field for the API."""

from __future__ import annotations

from flask import Flask, Response, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from matchmaker.errors import Forbidden, InputError, NotFound, SignInRequired
from matchmaker.extensions import db
from matchmaker.web.rate_limits import seconds_to_wait

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


def error_page(status: int, title: str, message: str) -> tuple[Response, int]:
    if wants_json():
        return jsonify(error=title, message=message), status
    return Response(render_template("error.html", title=title, message=message)), status


def http_error(error: HTTPException) -> ResponseValue:
    status = error.code or 500
    titles = {404: "Page not found", 405: "Not allowed here", 413: "Too large"}
    message = "There is no page at this address." if status == 404 else error.description
    response, status = error_page(status, titles.get(status, error.name), message or "")
    # What the error says in its headers stays: `Allow` on a 405, `Retry-After` on a 503.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status


def too_many_requests(error: RateLimitExceeded) -> ResponseValue:
    """A rate limit (`web/rate_limits.py`) was reached: say when to come back, in words
    and in `Retry-After`, so well-behaved clients wait instead of retrying at once."""
    wait = seconds_to_wait()
    response, status = error_page(
        429,
        "Too many requests",
        f"This can be done at most {error.description}. Try again in {wait} seconds.",
    )
    response.headers["Retry-After"] = str(wait)
    return response, status


def csrf_error(error: CSRFError) -> ResponseValue:
    return error_page(
        400,
        "The form has expired",
        "For your safety each form works only in the session that showed it. "
        "Go back, reload the page and send it again.",
    )


def forbidden(error: Forbidden) -> ResponseValue:
    return error_page(403, "Not allowed", f"You cannot do this: {error}.")


def sign_in_required(error: SignInRequired) -> ResponseValue:
    if wants_json():
        response, status = error_page(
            401, "Sign-in required", "Send a personal API token as a Bearer token."
        )
        response.headers["WWW-Authenticate"] = 'Bearer realm="matchmaker"'
        return response, status
    flash("Sign in to see this page.", "info")
    return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))


def not_found(error: LookupError) -> ResponseValue:
    return error_page(404, "Not found", str(error).strip("'\"").capitalize() + ".")


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
    return error_page(400, "Please check what you sent", str(error))
