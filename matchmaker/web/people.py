"""People: coordinators see who has an account and invite new people; admins change
roles and switch accounts off."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.accounts.links import invite
from matchmaker.accounts.users import list_users, update_user
from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.models import Organisation, OrganisationKind, Role
from matchmaker.web.views import ResponseValue

people = Blueprint("people", __name__, url_prefix="/people")


def _page(errors: dict[str, str] | None = None, status: int = 200) -> ResponseValue:
    session = db.session()
    hubs = session.execute(
        db.select(Organisation.slug, Organisation.name)
        .where(Organisation.kind == OrganisationKind.HUB)
        .order_by(Organisation.name)
    ).all()
    users = list_users(session, current_user)
    return render_template(
        "people.html", users=users, hubs=hubs, roles=list(Role), errors=errors or {}
    ), status


@people.get("/")
@login_required
def index() -> ResponseValue:
    return _page()


@people.post("/invite")
@login_required
def invite_person() -> ResponseValue:
    form = request.form
    try:
        user = invite(
            db.session(),
            current_app.config,
            current_user,
            form.get("email", ""),
            form.get("role", ""),
            form.get("hub") or None,
            form.get("name", ""),
        )
    except InputError as error:
        db.session.rollback()
        return _page(error.problems, 400)
    flash(_("Invitation sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("people.index"))


@people.post("/<int:user_id>")
@login_required
def change(user_id: int) -> ResponseValue:
    form = request.form
    try:
        user = update_user(
            db.session(),
            current_user,
            user_id,
            form.get("role", ""),
            form.get("hub", ""),
            form.get("active") == "on",
        )
    except InputError as error:
        db.session.rollback()
        return _page(
            {f"{field}-{user_id}": reason for field, reason in error.problems.items()}, 400
        )
    flash(_("%(email)s is saved.", email=user.email), "success")
    return redirect(url_for("people.index"))
