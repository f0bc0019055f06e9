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
from flask_babel import gettext as _
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


def _decision(decision: str, **_args: Any) -> Confirmation:
    if decision == "approve":
        return Confirmation(
            _("Approve this residency?"),
            _(
                "Its cost is taken from the round's budget and one of the host's places is "
                "held; both hubs are told and the residency is scheduled. This cannot be undone."
            ),
            _("Yes, approve"),
        )
    return Confirmation(
        _("Reject this residency?"),
        _(
            "Both hubs are told, with your reason, and the residency is closed. This cannot "
            "be undone."
        ),
        _("Yes, reject"),
    )


def _coordinator(**_args: Any) -> None:
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
    if decision == "approve":
        flash(_("Residency #%(id)s is approved.", id=exchange_id), "success")
    else:
        flash(_("Residency #%(id)s is rejected.", id=exchange_id), "success")
    return redirect(url_for("coordination.console"))


@coordination.post("/rounds")
@login_required
def new_round() -> ResponseValue:
    try:
        round_ = open_round(db.session(), current_user, request.form)
    except InputError as error:
        db.session.rollback()
        return _console(round_errors=error.problems, status=400)
    flash(_("The round '%(name)s' is open.", name=round_.name), "success")
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
        return _console(import_errors={FILE_FIELD: _("choose a CSV file to upload")}, status=400)
    limit = file_limit()
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        problem = _("is larger than %(size)s: split it into smaller files", size=size_text(limit))
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
        _(
            "Imported %(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.",
            file=upload.filename,
            created=summary.created,
            updated=summary.updated,
            unchanged=summary.unchanged,
        ),
        "success",
    )
    return redirect(url_for("coordination.console"))


upload_route(coordination, "import_hubs", "HUBS_CSV_MAX_BYTES", "hubs CSV file")
