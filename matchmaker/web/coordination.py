"""The coordinators' console: residencies waiting for approval, with the funding round's
budget left and the host's places left beside each, the residency rounds, and the hubs
CSV to download or upload."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.hubs.csv_upload import FILE_FIELD, export_hubs_download, import_hubs_upload
from matchmaker.permissions import require_coordinator
from matchmaker.rounds.approvals import approval_queue, decide_approval
from matchmaker.rounds.opening import open_round, rounds
from matchmaker.validation import RowError, size_text
from matchmaker.web.confirmations import Confirmation, asks_first
from matchmaker.web.uploads import file_limit, upload_route
from matchmaker.web.views import ResponseValue

coordination = Blueprint("coordination", __name__, url_prefix="/coordination")


def _console(
    round_errors: dict[str, str] | None = None,
    decision_errors: dict[int, str] | None = None,
    status: int = 200,
    import_errors: dict[str, str] | None = None,
    bad_rows: list[RowError] | None = None,
) -> ResponseValue:
    session = db.session()
    return render_template(
        "coordination.html",
        queue=approval_queue(session, current_user),
        rounds=rounds(session),
        errors=round_errors or {},
        decision_errors=decision_errors or {},
        form=request.form,
        import_errors=import_errors or {},
        bad_rows=bad_rows or [],
        csv_limit=size_text(file_limit("coordination.import_hubs")),
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


@coordination.get("/hubs.csv")
@login_required
def export_hubs() -> ResponseValue:
    """Every hub (with `?all=1`, every organisation) in the import format."""
    out = io.StringIO()
    export_hubs_download(db.session(), current_user, out, request.args.get("all") == "1")
    name = f"hubs-{date.today().isoformat()}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@coordination.post("/hubs/import")
@login_required
def import_hubs() -> ResponseValue:
    """The whole file or nothing; each bad row is listed with its field and reason."""
    require_coordinator(current_user)
    upload = request.files.get(FILE_FIELD)
    if upload is None or not upload.filename:
        return _console(import_errors={FILE_FIELD: "choose a CSV file to upload"}, status=400)
    limit = file_limit()
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        problem = f"is larger than {size_text(limit)}: split it into smaller files"
        return _console(import_errors={FILE_FIELD: problem}, status=413)
    try:
        outcome = import_hubs_upload(db.session(), current_user, io.BytesIO(data))
    except InputError as error:
        return _console(import_errors=error.problems, status=400)
    if outcome.errors:
        return _console(bad_rows=outcome.errors, status=400)
    summary = outcome.summary
    assert summary is not None
    flash(
        f"Imported {upload.filename}: {summary.created} created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged.",
        "success",
    )
    return redirect(url_for("coordination.console"))


upload_route(coordination, "import_hubs", "HUBS_CSV_MAX_BYTES", "hubs CSV file")
