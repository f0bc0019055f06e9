"""Residency rounds in the browser: the rounds a manager can apply to, the application form
(hosts ranked, pre-filled from the engine's suggestions), and the coordinator's round page
(applications, run the allocation, review and adjust it, publish)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.i18n.formats import day
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
from matchmaker.rounds.words import answer_name, cause_name, state_name
from matchmaker.web.confirmations import Confirmation, asks_first
from matchmaker.web.formatting import day_span
from matchmaker.web.views import ResponseValue

rounds = Blueprint("rounds", __name__)


@rounds.app_template_global()
def round_deadline(round_: ResidencyRound) -> Any:
    return applications_close_on(round_)


@rounds.app_template_filter()
def day_spans(spans: Any) -> str:
    """Spans of days, "5 – 9 Mar, 12 – 20 Mar", as the reader writes them."""
    return ", ".join(day_span(starts_on, ends_on) for starts_on, ends_on in spans)


rounds.add_app_template_filter(state_name, "round_state")
rounds.add_app_template_filter(cause_name, "left_out_cause")
rounds.add_app_template_filter(answer_name, "host_answer")


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


def _placement_answer(answer: str, **_args: Any) -> Confirmation | None:
    if answer != "decline":
        return None
    return Confirmation(
        _("Decline this resident?"),
        _(
            "The applicant is left out of the round, with your reason, until the coordinator "
            "places them elsewhere. Your hub cannot take them back afterwards."
        ),
        _("Yes, decline"),
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
    if answer == "decline":
        done = _("You declined the residency of %(hub)s.", hub=found.hub.name)
    elif current_user.hub_id == found.placed_host_id:
        done = _("You confirmed the residency of %(hub)s.", hub=found.hub.name)
    else:
        done = _("The host's yes for %(hub)s is recorded.", hub=found.hub.name)
    flash(done, "success")
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
            new = apply(session, current_user, round_, request.form)[1]
        except InputError as error:
            session.rollback()
            errors = error.problems
        else:
            values = {"round": round_.name, "day": day(applications_close_on(round_))}
            if new:
                done = _(
                    "Your application to %(round)s is sent. You can change or withdraw it "
                    "until %(day)s.",
                    **values,
                )
            else:
                done = _(
                    "Your application to %(round)s is updated. You can change or withdraw it "
                    "until %(day)s.",
                    **values,
                )
            flash(done, "success")
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


def _withdrawal(**_args: Any) -> Confirmation:
    return Confirmation(
        _("Withdraw your application?"),
        _(
            "Your hub's application is deleted with its ranked hosts and message. You can "
            "apply again while the round takes applications."
        ),
        _("Yes, withdraw"),
    )


def _applicant(**_args: Any) -> None:
    applying_hub(current_user)


@rounds.route("/rounds/<int:round_id>/withdraw", methods=["GET", "POST"])
@login_required
@asks_first(_withdrawal, _applicant)
def withdraw_application(round_id: int) -> ResponseValue:
    session = db.session()
    round_ = get_round(session, round_id)
    withdraw(session, current_user, round_)  # refusals: the error page with the reason
    flash(_("Your application to %(round)s is withdrawn.", round=round_.name), "success")
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


def _round_question(action: str, **_args: Any) -> Confirmation | None:
    if action == "allocate":
        return Confirmation(
            _("Run the allocation?"),
            _(
                "This closes the round to applications: managers can no longer apply, change "
                "or withdraw. The placed hosts are asked to confirm. (Preview it first to see "
                "the result without closing anything.)"
            ),
            _("Yes, run it and close applications"),
        )
    if action == "publish":
        return Confirmation(
            _("Publish the round?"),
            _(
                "Every placement becomes a scheduled residency and every applicant is told the "
                "outcome by email. This cannot be undone."
            ),
            _("Yes, publish"),
        )
    return None


def _coordinator(**_args: Any) -> None:
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
            message = _("Allocation done. %(reason)s", reason=allocation.reason)
        elif action == "adjust":
            adjust(session, current_user, round_id, request.form)
            message = _("The allocation is adjusted.")
        else:
            made = publish(session, current_user, round_id)
            message = (
                ngettext(
                    "Published: %(num)d residency scheduled and every applicant told.",
                    "Published: %(num)d residencies scheduled and every applicant told.",
                    len(made),
                )
                if made is not None
                else _("This round was already published.")
            )
    except InputError as error:
        session.rollback()
        return _review_page(round_id, error.problems, 400)
    flash(message, "success")
    return redirect(url_for("rounds.review_page", round_id=round_id))
