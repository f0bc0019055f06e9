"""The coordinators' console: residencies waiting for approval, with the funding round's
budget left and the host's places left beside each, and the residency rounds."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.permissions import require_coordinator
from matchmaker.rounds.approvals import approval_queue, decide_approval
from matchmaker.rounds.opening import open_round, rounds
from matchmaker.web.confirmations import Confirmation, asks_first
from matchmaker.web.views import ResponseValue

coordination = Blueprint("coordination", __name__, url_prefix="/coordination")


def _console(
    round_errors: dict[str, str] | None = None,
    decision_errors: dict[int, str] | None = None,
    status: int = 200,
) -> ResponseValue:
    session = db.session()
    return render_template(
        "coordination.html",
        queue=approval_queue(session, current_user),
        rounds=rounds(session),
        errors=round_errors or {},
        decision_errors=decision_errors or {},
        form=request.form,
    ), status


@coordination.get("/")
@login_required
def console() -> ResponseValue:
    return _console()


def _decision(decision: str, **_: Any) -> Confirmation:
    if decision == "approve":
        return Confirmation(
            "Approve this residency?",
            "Its cost is taken from the round's budget and one of the host's places is held; "
            "both hubs are told and the residency is scheduled. This cannot be undone.",
            "Yes, approve",
        )
    return Confirmation(
        "Reject this residency?",
        "Both hubs are told, with your reason, and the residency is closed. This cannot be undone.",
        "Yes, reject",
    )


def _coordinator(**_: Any) -> None:
    require_coordinator(current_user)


@coordination.route(
    "/exchanges/<int:exchange_id>/<any(approve, reject):decision>", methods=["GET", "POST"]
)
@login_required
@asks_first(_decision, _coordinator)
def decide(exchange_id: int, decision: str) -> ResponseValue:
    session = db.session()
    try:
        decide_approval(
            session,
            current_user,
            exchange_id,
            decision == "approve",
            request.form.get("reason", ""),
        )
    except InputError as error:
        session.rollback()
        return _console(
            decision_errors={exchange_id: "; ".join(error.problems.values())}, status=400
        )
    flash(
        f"Residency #{exchange_id} is {'approved' if decision == 'approve' else 'rejected'}.",
        "success",
    )
    return redirect(url_for("coordination.console"))


@coordination.post("/rounds")
@login_required
def new_round() -> ResponseValue:
    try:
        round_ = open_round(db.session(), current_user, request.form)
    except InputError as error:
        db.session.rollback()
        return _console(round_errors=error.problems, status=400)
    flash(f"The round {round_.name!r} is open.", "success")
    return redirect(url_for("coordination.console"))
