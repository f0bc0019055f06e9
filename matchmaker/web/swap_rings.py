"""Swap rings in the browser: the plan's rings for a period, each with its explanation and
a form to propose it (a coordinator sees every ring, a manager those with their hub)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.errors import InputError
from matchmaker.exchanges.proposals import ProposalRules
from matchmaker.exchanges.swap_rings import (
    PlannedRing,
    may_start_rings,
    planned_rings,
    propose_planned_ring,
    read_period,
)
from matchmaker.extensions import db
from matchmaker.suggestions.plans import SwapPlan
from matchmaker.web.views import ResponseValue

swap_rings = Blueprint("swap_rings", __name__)


def _page(errors: dict[str, str] | None = None, status: int = 200) -> ResponseValue:
    session = db.session()
    user = may_start_rings(current_user)
    errors = dict(errors or {})
    plan: SwapPlan | None = None
    rings: list[PlannedRing] = []
    left_out: str | None = None
    if request.values.get("starts_on") or request.values.get("ends_on"):
        try:
            starts_on, ends_on = read_period(request.values)
        except InputError as error:
            errors.update(error.problems)
            status = 400
        else:
            plan, rings = planned_rings(session, user, starts_on, ends_on)
            left_out = next(
                (
                    hub.reason
                    for hub in plan.clearing.left_out
                    if hub.organisation_id == user.hub_id
                ),
                None,
            )
    return render_template(
        "exchanges/swap_rings.html",
        plan=plan,
        rings=rings,
        left_out=left_out,
        errors=errors,
        form=request.values,
    ), status


@swap_rings.get("/swap-rings")
@login_required
def index() -> ResponseValue:
    return _page()


@swap_rings.post("/swap-rings")
@login_required
def propose() -> ResponseValue:
    session = db.session()
    try:
        exchange = propose_planned_ring(
            session,
            current_user,
            request.form,
            ProposalRules.from_config(current_app.config),
        )
    except InputError as error:
        session.rollback()
        return _page(error.problems, 400)
    flash(_("The ring is proposed: every hub in it is asked to accept."), "success")
    return redirect(url_for("exchanges.show", exchange_id=exchange.id))
