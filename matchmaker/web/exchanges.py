"""Proposals in the browser: propose to a hub, the list of one's exchanges, one exchange
with its actions, and the inbox."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from matchmaker.exchanges import (
    ProposalRules,
    answer,
    exchanges_of,
    get_exchange,
    managers_of,
    propose,
    withdraw,
)
from matchmaker.extensions import db
from matchmaker.field_input import InputError
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import ExchangeState
from matchmaker.notifications import deliver_new, inbox, mark_read
from matchmaker.profiles import get_hub
from matchmaker.web.views import ResponseValue

exchanges = Blueprint("exchanges", __name__)
# Contact details of the other hubs' managers are shown once a proposal is accepted.
CONTACT_STATES = {
    ExchangeState.ACCEPTED,
    ExchangeState.PENDING_APPROVAL,
    ExchangeState.APPROVED,
    ExchangeState.SCHEDULED,
    ExchangeState.COMPLETED,
}


def _rules() -> ProposalRules:
    return ProposalRules.from_config(current_app.config)


@exchanges.route("/hubs/<slug>/propose", methods=["GET", "POST"])
@login_required
def propose_to(slug: str) -> ResponseValue:
    session = db.session()
    to = get_hub(session, slug)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            exchange = propose(session, current_user, to, request.form, _rules())
        except InputError as error:
            session.rollback()
            errors = error.problems
        else:
            deliver_new(session, current_app.config)
            flash(f"Your proposal is sent to {to.name}.", "success")
            return redirect(url_for("exchanges.show", exchange_id=exchange.id))
    return render_template(
        "exchanges/propose.html", to=to, errors=errors, form=request.form,
        kinds=list(ExchangeKind), kind=request.values.get("kind", "shadowing"),
        rules=_rules(),
    ), 400 if errors else 200  # fmt: skip


@exchanges.get("/exchanges")
@login_required
def index() -> ResponseValue:
    return render_template(
        "exchanges/index.html", exchanges=exchanges_of(db.session(), current_user)
    )


@exchanges.get("/exchanges/<int:exchange_id>")
@login_required
def show(exchange_id: int) -> ResponseValue:
    session = db.session()
    exchange = get_exchange(session, current_user, exchange_id)
    contacts = []
    if exchange.state in CONTACT_STATES:
        contacts = [
            (p.organisation, managers_of(session, p.organisation_id))
            for p in exchange.participants
            if p.organisation_id != current_user.hub_id
        ]
    mine = next(
        (p for p in exchange.participants if p.organisation_id == current_user.hub_id), None
    )
    return render_template("exchanges/show.html", exchange=exchange, contacts=contacts, mine=mine,
                           errors={})  # fmt: skip


def _act(exchange_id: int, action: str) -> ResponseValue:
    session = db.session()
    exchange = get_exchange(session, current_user, exchange_id)
    try:
        if action == "withdraw":
            withdraw(session, current_user, exchange)
        else:
            answer(session, current_user, exchange, action == "accept",
                   request.form.get("reason", ""))  # fmt: skip
    except InputError as error:
        session.rollback()
        exchange = get_exchange(session, current_user, exchange_id)
        mine = next((p for p in exchange.participants
                     if p.organisation_id == current_user.hub_id), None)  # fmt: skip
        return render_template("exchanges/show.html", exchange=exchange, contacts=[], mine=mine,
                               errors=error.problems), 400  # fmt: skip
    deliver_new(session, current_app.config)
    flash({"accept": "You accepted.", "decline": "You declined.",
           "withdraw": "You withdrew the proposal."}[action], "success")  # fmt: skip
    return redirect(url_for("exchanges.show", exchange_id=exchange_id))


@exchanges.post("/exchanges/<int:exchange_id>/accept")
@login_required
def accept(exchange_id: int) -> ResponseValue:
    return _act(exchange_id, "accept")


@exchanges.post("/exchanges/<int:exchange_id>/decline")
@login_required
def decline(exchange_id: int) -> ResponseValue:
    return _act(exchange_id, "decline")


@exchanges.post("/exchanges/<int:exchange_id>/withdraw")
@login_required
def withdraw_proposal(exchange_id: int) -> ResponseValue:
    return _act(exchange_id, "withdraw")


@exchanges.get("/inbox")
@login_required
def messages() -> ResponseValue:
    return render_template("inbox.html", messages=inbox(db.session(), current_user))


@exchanges.post("/inbox/read")
@login_required
def read_all() -> ResponseValue:
    mark_read(db.session(), current_user)
    return redirect(url_for("exchanges.messages"))
