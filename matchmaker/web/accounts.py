"""Signing in and out, the account page (password, API tokens), password resets and
accepting an invitation."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from matchmaker.accounts.links import (
    INVITATION,
    RESET,
    change_password,
    request_password_reset,
    set_password_from_link,
    user_for_link,
)
from matchmaker.accounts.reading import keep_first_guess, set_reading
from matchmaker.accounts.roles import role_name
from matchmaker.accounts.sign_in import sign_in as check_sign_in
from matchmaker.accounts.sign_in import sign_out as end_session
from matchmaker.accounts.tokens import create_token, revoke_token, tokens_of
from matchmaker.errors import InputError, LinkError
from matchmaker.exchanges.feed import feed_of
from matchmaker.extensions import db
from matchmaker.i18n import SESSION_LANGUAGE, select_locale
from matchmaker.web.views import ResponseValue

auth = Blueprint("auth", __name__)
auth.add_app_template_filter(role_name, "role_name")


def safe_next(target: str | None) -> str:
    """Only a path on this site: never send people on to another site after sign-in."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.page")  # a person's home: what waits for them


@auth.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseValue:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    error, status = "", 200
    if request.method == "POST":
        result = check_sign_in(
            db.session(),
            request.form.get("email", ""),
            request.form.get("password", ""),
            request.remote_addr or "unknown",
        )
        if result.user is not None:
            keep_first_guess(db.session(), result.user, select_locale())
            login_user(result.user, remember=request.form.get("remember") == "on")
            flash(_("Welcome, %(name)s.", name=result.user.display_name), "success")
            return redirect(safe_next(request.args.get("next")))
        error, status = result.error, 429 if result.retry_after else 400
        if result.retry_after:
            response = current_app.make_response(
                (render_template("auth/sign_in.html", error=error), status)
            )
            response.headers["Retry-After"] = str(result.retry_after)
            return response
    return render_template("auth/sign_in.html", error=error), status


@auth.post("/sign-out")
def sign_out() -> ResponseValue:
    if current_user.is_authenticated:
        end_session(db.session(), current_user)
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("pages.home"))


@auth.route("/account", methods=["GET", "POST"])
@login_required
def account() -> ResponseValue:
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if request.form.get("new_password") != request.form.get("confirm_password"):
                raise InputError.of("confirm_password", _("the two new passwords differ"))
            change_password(
                db.session(),
                current_user,
                request.form.get("current_password", ""),
                request.form.get("new_password", ""),
            )
        except InputError as error:
            renamed = {"password": "new_password"}
            errors.update({renamed.get(f, f): reason for f, reason in error.problems.items()})
        else:
            # The session follows the new auth version. The user itself, not the proxy:
            # the proxy would stand for itself, and the next look at it never ends.
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other sessions are signed out."), "success")
            return redirect(url_for("auth.account"))
    return account_page(errors=errors), 400 if errors else 200


def account_page(**context: object) -> str:
    """The account page: the password form, the digest, API tokens and the calendar feed."""
    session = db.session()
    context.setdefault("errors", {})
    return render_template(
        "auth/account.html",
        tokens=tokens_of(session, current_user),
        feed=feed_of(session, current_user),
        **context,
    )


@auth.post("/language")
def choose_language() -> ResponseValue:
    """The switcher on every page: kept in the session for anyone, and on the account of
    a signed-in person. An unknown language changes nothing."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session[SESSION_LANGUAGE] = language
        if current_user.is_authenticated:
            set_reading(
                db.session(), current_user, {"language": language}, current_app.config["LANGUAGES"]
            )
    return redirect(safe_next(request.form.get("next")))


@auth.post("/account/reading")
@login_required
def reading() -> ResponseValue:
    """The account page's language and time zone."""
    try:
        set_reading(db.session(), current_user, request.form, current_app.config["LANGUAGES"])
    except InputError as error:
        tokens = tokens_of(db.session(), current_user)
        return render_template(
            "auth/account.html", errors={}, reading_errors=error.problems, tokens=tokens
        ), 400
    session[SESSION_LANGUAGE] = current_user.language
    return redirect(url_for("auth.account"))


@auth.post("/account/tokens")
@login_required
def new_token() -> ResponseValue:
    try:
        token, secret = create_token(db.session(), current_user, request.form.get("name", ""))
    except InputError as error:
        return account_page(token_errors=error.problems), 400
    return account_page(new_secret=secret, new_token=token)


@auth.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> ResponseValue:
    revoke_token(db.session(), current_user, token_id)
    flash(_("The token is revoked: programs using it can no longer sign in."), "success")
    return redirect(url_for("auth.account"))


@auth.route("/forgot-password", methods=["GET", "POST"])
def forgot_password() -> ResponseValue:
    if request.method == "POST":
        request_password_reset(db.session(), current_app.config, request.form.get("email", ""))
        flash(
            _("If this address has an account, a link to choose a new password is on its way."),
            "info",
        )
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/forgot_password.html")


def _unusable(error: LinkError) -> ResponseValue:
    return render_template("error.html", title=_("Link not usable"), message=str(error)), 400


def _password_from_link(purpose: str, token: str, template: str) -> ResponseValue:
    session = db.session()
    try:
        user = user_for_link(session, current_app.config, purpose, token)
    except LinkError as error:
        return _unusable(error)
    errors: dict[str, str] = {}
    if request.method == "POST":
        password = request.form.get("password", "")
        try:
            if password != request.form.get("confirm_password"):
                raise InputError.of("confirm_password", _("the two passwords differ"))
            user = set_password_from_link(session, current_app.config, purpose, token, password)
        except InputError as error:
            errors.update(error.problems)
        except LinkError as error:
            return _unusable(error)
        else:
            login_user(user)
            flash(_("Your password is set. You are signed in."), "success")
            return redirect(url_for("home.page"))
    return render_template(template, user=user, errors=errors), 400 if errors else 200


@auth.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseValue:
    return _password_from_link(RESET, token, "auth/reset_password.html")


@auth.route("/accept-invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> ResponseValue:
    return _password_from_link(INVITATION, token, "auth/accept_invitation.html")
