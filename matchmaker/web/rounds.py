"""Residency rounds in the browser: the rounds a manager can apply to, the application form
(hosts ranked, pre-filled from the engine's suggestions), and the coordinator's round page
(applications, run the allocation, review and adjust it, publish)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.models import AvailabilityKind, Organisation, ResidencyRound, RoundState
from matchmaker.permissions import require_coordinator
from matchmaker.rounds.allocation import adjust, allocate, review
from matchmaker.rounds.applications import (
    MAX_HOSTS,
    accepting,
    application_form,
    application_of,
    applications_close_on,
    apply,
    applying_hub,
    get_round,
    round_hosts,
    visible_rounds,
    withdraw,
)
from matchmaker.rounds.hosting import answer_placement, placements_to_answer
from matchmaker.rounds.preview import preview_allocation
from matchmaker.rounds.publishing import publish
from matchmaker.web.confirmations import Confirmation, asks_first
from matchmaker.web.views import ResponseValue

rounds = Blueprint("rounds", __name__)


@rounds.app_template_global()
def round_deadline(round_: ResidencyRound) -> Any:
    return applications_close_on(round_)


@rounds.get("/rounds")
@login_required
def index() -> ResponseValue:
    session = db.session()
    found = visible_rounds(session, current_user)
    mine = {r.id: application_of(session, r, current_user.hub_id) for r in found}
    return render_template(
        "rounds/index.html",
        rounds=found,
        mine=mine,
        accepting=accepting,
        published=RoundState.PUBLISHED,
        placements=placements_to_answer(session, current_user),
    )


def _placement_answer(answer: str, **_: Any) -> Confirmation | None:
    if answer != "decline":
        return None
    return Confirmation(
        "Decline this resident?",
        "The applicant is left out of the round, with your reason, until the coordinator "
        "places them elsewhere. Your hub cannot take them back afterwards.",
        "Yes, decline",
    )


@rounds.route(
    "/rounds/placements/<int:placement_id>/<any(confirm, decline):answer>",
    methods=["GET", "POST"],
)
@login_required
@asks_first(_placement_answer)
def answer_placement_page(placement_id: int, answer: str) -> ResponseValue:
    """The host's manager (or a coordinator, from the round's page) answers a placement."""
    found = answer_placement(
        db.session(),
        current_user,
        placement_id,
        answer == "confirm",
        request.form.get("reason", ""),
    )
    flash(
        f"You {answer}ed the residency of {found.hub.name}."
        if current_user.hub_id == found.placed_host_id or answer == "decline"
        else f"The host's yes for {found.hub.name} is recorded.",
        "success",
    )
    target = request.form.get("back") == "review"
    return redirect(
        url_for("rounds.review_page", round_id=found.round_id)
        if target
        else url_for("rounds.index")
    )


def _organisations(ids: Any) -> dict[int, Organisation]:
    found = db.session().scalars(select(Organisation).where(Organisation.id.in_(list(ids))))
    return {o.id: o for o in found}


def _asked_dates(application: Any) -> tuple[date, date] | None:
    """The applicant's dates, as sent (when they read as dates) or as stored."""
    try:
        starts_on = date.fromisoformat(request.form.get("starts_on", ""))
        ends_on = date.fromisoformat(request.form.get("ends_on", ""))
    except ValueError:
        return (application.starts_on, application.ends_on) if application else None
    return (starts_on, ends_on) if starts_on <= ends_on else None


@rounds.route("/rounds/<int:round_id>/apply", methods=["GET", "POST"])
@login_required
def apply_page(round_id: int) -> ResponseValue:
    session = db.session()
    round_ = get_round(session, round_id)
    form = application_form(session, current_user, round_)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            _, new = apply(session, current_user, round_, request.form)
        except InputError as error:
            session.rollback()
            errors = error.problems
        else:
            done = "sent" if new else "updated"
            flash(
                f"Your application to {round_.name} is {done}. You can change or withdraw it "
                f"until {applications_close_on(round_)}.",
                "success",
            )
            return redirect(url_for("rounds.index"))
    names = _organisations(form.candidates)
    if request.method == "POST":
        ranks = {o.slug: request.form.get(f"rank-{o.slug}", "") for o in names.values()}
    else:
        ranks = {names[i].slug: str(n) for n, i in enumerate(form.chosen, 1) if i in names}
    return render_template(
        "rounds/apply.html",
        round=round_,
        hub=form.hub,
        application=form.application,
        errors=errors,
        candidates=[names[i] for i in form.candidates],
        ranks=ranks,
        suggested=set(form.suggested),
        form=request.form,
        open=accepting(round_),
        max_hosts=MAX_HOSTS,
        asked=_asked_dates(form.application),
        residency=AvailabilityKind.RESIDENCY,
    ), 400 if errors else 200


def _withdrawal(**_: Any) -> Confirmation:
    return Confirmation(
        "Withdraw your application?",
        "Your hub's application is deleted with its ranked hosts and message. You can apply "
        "again while the round takes applications.",
        "Yes, withdraw",
    )


def _applicant(**_: Any) -> None:
    applying_hub(current_user)


@rounds.route("/rounds/<int:round_id>/withdraw", methods=["GET", "POST"])
@login_required
@asks_first(_withdrawal, _applicant)
def withdraw_application(round_id: int) -> ResponseValue:
    session = db.session()
    round_ = get_round(session, round_id)
    withdraw(session, current_user, round_)  # refusals: the error page with the reason
    flash(f"Your application to {round_.name} is withdrawn.", "success")
    return redirect(url_for("rounds.index"))


def _review_page(
    round_id: int, errors: dict[str, str] | None = None, status: int = 200
) -> ResponseValue:
    session = db.session()
    found = review(session, current_user, round_id)
    eligible = round_hosts(session, found.round)
    names = _organisations({h for a in found.applications for h in a.hosts} | set(eligible))
    host_choices = sorted((names[i] for i in eligible if i in names), key=lambda o: o.name)
    return render_template(
        "rounds/review.html",
        review=found,
        names=names,
        errors=errors or {},
        host_choices=host_choices,
        states=RoundState,
        form=request.form,
    ), status


@rounds.get("/coordination/rounds/<int:round_id>/preview")
@login_required
def preview_page(round_id: int) -> ResponseValue:
    """What running the allocation would give now, with nothing closed or stored."""
    session = db.session()
    try:
        found = preview_allocation(session, current_user, round_id)
    except InputError as error:
        return _review_page(round_id, error.problems, 400)
    return render_template("rounds/preview.html", preview=found)


@rounds.get("/coordination/rounds/<int:round_id>")
@login_required
def review_page(round_id: int) -> ResponseValue:
    return _review_page(round_id)


ROUND_QUESTIONS = {
    "allocate": Confirmation(
        "Run the allocation?",
        "This closes the round to applications: managers can no longer apply, change or "
        "withdraw. The placed hosts are asked to confirm. (Preview it first to see the "
        "result without closing anything.)",
        "Yes, run it and close applications",
    ),
    "publish": Confirmation(
        "Publish the round?",
        "Every placement becomes a scheduled residency and every applicant is told the "
        "outcome by email. This cannot be undone.",
        "Yes, publish",
    ),
}


def _round_question(action: str, **_: Any) -> Confirmation | None:
    return ROUND_QUESTIONS.get(action)


def _coordinator(**_: Any) -> None:
    require_coordinator(current_user)


@rounds.route(
    "/coordination/rounds/<int:round_id>/<any(allocate, adjust, publish):action>",
    methods=["GET", "POST"],
)
@login_required
@asks_first(_round_question, _coordinator)
def round_action(round_id: int, action: str) -> ResponseValue:
    session = db.session()
    try:
        if action == "allocate":
            allocation = allocate(session, current_user, round_id)
            message = f"Allocation done. {allocation.reason}"
        elif action == "adjust":
            adjust(session, current_user, round_id, request.form)
            message = "The allocation is adjusted."
        else:
            made = publish(session, current_user, round_id)
            message = (
                f"Published: {len(made)} residencies scheduled and every applicant told."
                if made is not None
                else "This round was already published."
            )
    except InputError as error:
        session.rollback()
        return _review_page(round_id, error.problems, 400)
    flash(message, "success")
    return redirect(url_for("rounds.review_page", round_id=round_id))
