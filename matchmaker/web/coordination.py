"""The coordinators' console: residencies waiting for approval, with the funding round's
budget left and the host's places left beside each, and the residency rounds."""

from __future__ import annotations

import csv
import io

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from matchmaker.errors import InputError
from matchmaker.exchanges.proposals import get_exchange
from matchmaker.extensions import db
from matchmaker.impact.charts import bar_chart, stacked_bar_chart
from matchmaker.impact.figures import Period, network_impact
from matchmaker.notifications import deliver_new
from matchmaker.permissions import require_coordinator
from matchmaker.rounds.approvals import approval_queue, approve, reject
from matchmaker.rounds.opening import open_round, rounds
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


@coordination.post("/exchanges/<int:exchange_id>/<any(approve, reject):decision>")
@login_required
def decide(exchange_id: int, decision: str) -> ResponseValue:
    session = db.session()
    require_coordinator(current_user)
    exchange = get_exchange(session, current_user, exchange_id)
    try:
        if decision == "approve":
            approve(session, current_user, exchange)
        else:
            reject(session, current_user, exchange, request.form.get("reason", ""))
    except InputError as error:
        session.rollback()
        return _console(
            decision_errors={exchange_id: "; ".join(error.problems.values())}, status=400
        )
    deliver_new(session, current_app.config)
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


@coordination.get("/impact")
@login_required
def impact() -> ResponseValue:
    errors: dict[str, str] = {}
    try:
        period = Period.from_input(request.args)
    except InputError as error:
        period, errors = Period(), error.problems
    figures = network_impact(db.session(), current_user, period)
    by_kind: dict[str, float] = {}
    for (kind, _state), count in figures.by_kind_and_state.items():
        by_kind[kind.replace("_", " ")] = by_kind.get(kind.replace("_", " "), 0) + count
    budget_used = {name: float(used) for name, _budget, used in figures.budget}
    charts = {
        "Exchanges by kind": bar_chart(by_kind, "Exchanges by kind"),
        "Exchanges by month and kind": stacked_bar_chart(
            figures.by_month_and_kind, "Exchanges by month, by kind"
        ),
        "Exchanges by month and state": stacked_bar_chart(
            figures.by_month_and_state, "Exchanges by month, by state"
        ),
        "Completed by month": bar_chart(figures.completed_by_month, "Completed by month"),
        "Completed by country pair": bar_chart(
            dict(list(figures.country_pairs.items())[:15]), "Completed by country pair"
        ),
        "Completed by discipline": bar_chart(figures.disciplines, "Completed by discipline"),
        "Residency budget used (€)": bar_chart(budget_used, "Residency budget used per round"),
    }
    return render_template(
        "impact.html", figures=figures, charts=charts, errors=errors, form=request.args
    ), (400 if errors else 200)


@coordination.get("/impact.csv")
@login_required
def impact_csv() -> ResponseValue:
    figures = network_impact(db.session(), current_user, Period.from_input(request.args))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "key", "value"])
    writer.writerows(figures.rows())
    disposition = 'attachment; filename="impact.csv"'
    return Response(
        out.getvalue(), mimetype="text/csv", headers={"Content-Disposition": disposition}
    )
