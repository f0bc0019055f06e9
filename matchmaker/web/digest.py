"""The digest in the browser: a preview of this month's, and the unsubscribe and
preferences pages its links lead to (signed links, no sign-in needed)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_login import current_user, login_required

from matchmaker.digest.preferences import choose_digest, holder_of
from matchmaker.digest.preview import DigestPreview, digest_preview
from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.web.security import csrf
from matchmaker.web.views import ResponseValue

digest = Blueprint("digest", __name__, url_prefix="/digest")
# The preview's HTML is the email itself, with inline styles: served alone, framed by the
# preview page only, and with nothing else allowed.
EMAIL_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def _preview() -> DigestPreview:
    """This month's digest of the person in ?user=ID (by default one's own)."""
    period = date.today().strftime("%Y-%m")
    wanted = request.args.get("user", type=int)
    asker = current_user._get_current_object()
    return digest_preview(db.session(), asker, wanted, period, current_app.config)


@digest.get("/preview")
@login_required
def preview() -> ResponseValue:
    shown = _preview()
    return render_template(
        "digest/preview.html",
        person=shown.person,
        content=shown.content,
        text=shown.text,
        subject=shown.subject,
        frame=url_for("digest.preview_email", user=shown.person.id),
    )


@digest.get("/preview/email.html")
@login_required
def preview_email() -> ResponseValue:
    response = Response(_preview().html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = EMAIL_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@digest.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str) -> ResponseValue:
    """GET asks to confirm (link checkers must not unsubscribe anyone); POST, from the page
    or a mail client's one-click (RFC 8058), switches the digest off."""
    user = holder_of(db.session(), current_app.config, token)
    if request.method == "POST":
        choose_digest(db.session(), user, "off")
        return render_template("digest/unsubscribed.html", person=user, token=token)
    return render_template("digest/unsubscribe.html", person=user, token=token)


@digest.route("/preferences/<token>", methods=["GET", "POST"])
def preferences(token: str) -> ResponseValue:
    user = holder_of(db.session(), current_app.config, token)
    error = ""
    if request.method == "POST":
        try:
            choose_digest(db.session(), user, request.form.get("digest", ""))
        except InputError as refused:
            error = refused.problems["digest"]
        else:
            return render_template(
                "digest/preferences.html", person=user, token=token, saved=True, error=""
            )
    return render_template(
        "digest/preferences.html", person=user, token=token, saved=False, error=error
    ), 400 if error else 200
