"""The home page after signing in: a manager's or a coordinator's (matchmaker/home/).
Anonymous visitors keep the directory at `/`."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from matchmaker.extensions import db
from matchmaker.home.coordinator import coordinator_home
from matchmaker.home.manager import manager_home
from matchmaker.web.views import ResponseValue

home = Blueprint("home", __name__)


@home.get("/home")
@login_required
def page() -> ResponseValue:
    session = db.session()
    if current_user.is_coordinator:
        return render_template(
            "home/coordinator.html", home=coordinator_home(session, current_user)
        )
    if current_user.hub is not None:
        return render_template("home/manager.html", home=manager_home(session, current_user))
    return redirect(url_for("pages.home"))
