"""The digest in the browser: a preview of this month's, and the unsubscribe and
preferences pages its links lead to (signed links, no sign-in needed)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_login import current_user, login_required

from matchmaker.digest.content import gather
from matchmaker.digest.message import render, subject_of, user_id_from_token
from matchmaker.errors import Forbidden, NotFound
from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.web.security import csrf
from matchmaker.web.views import ResponseValue

digest = Blueprint("digest", __name__, url_prefix="/digest")
# The preview's HTML is the email itself, with inline styles: served alone, framed by the
# preview page only, and with nothing else allowed.
EMAIL_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def _person() -> User:
    """Whose digest to preview: one's own, or anyone's for a coordinator (?user=ID)."""
    wanted = request.args.get("user", type=int)
    if wanted is None or wanted == current_user.id:
        return current_user._get_current_object()  # type: ignore[no-any-return]
    if not current_user.is_coordinator:
        raise Forbidden("only a coordinator can preview someone else's digest")
    user = db.session.get(User, wanted)
    if user is None:
        raise NotFound(f"there is no user number {wanted}")
    return user


def _content(user: User):  # type: ignore[no-untyped-def]
    period = date.today().strftime("%Y-%m")
    (content,) = gather(db.session(), [user], period)
    return content


@digest.get("/preview")
@login_required
def preview() -> ResponseValue:
    user = _person()
    content = _content(user)
    text, _html = render(content, current_app.config)
    return render_template(
        "digest/preview.html",
        person=user,
        content=content,
        text=text,
        subject=subject_of(content),
        frame=url_for("digest.preview_email", user=user.id),
    )


@digest.get("/preview/email.html")
@login_required
def preview_email() -> ResponseValue:
    _text, html = render(_content(_person()), current_app.config)
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = EMAIL_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _holder(token: str) -> User:
    user_id = user_id_from_token(current_app.config, token)
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise NotFound("this link is not valid: check that it was copied whole")
    return user


@digest.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str) -> ResponseValue:
    """GET asks to confirm (link checkers must not unsubscribe anyone); POST, from the page
    or a mail client's one-click (RFC 8058), switches the digest off."""
    user = _holder(token)
    if request.method == "POST":
        user.digest = "off"
        db.session.commit()
        return render_template("digest/unsubscribed.html", person=user, token=token)
    return render_template("digest/unsubscribe.html", person=user, token=token)


@digest.route("/preferences/<token>", methods=["GET", "POST"])
def preferences(token: str) -> ResponseValue:
    user = _holder(token)
    error = ""
    if request.method == "POST":
        choice = request.form.get("digest", "")
        if choice in ("monthly", "off"):
            user.digest = choice
            db.session.commit()
            return render_template(
                "digest/preferences.html", person=user, token=token, saved=True, error=""
            )
        error = "Choose monthly or never."
    return render_template(
        "digest/preferences.html", person=user, token=token, saved=False, error=error
    ), 400 if error else 200
