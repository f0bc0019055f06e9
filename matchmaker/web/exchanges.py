"""Proposals in the browser: propose to a hub, the list of one's exchanges, one exchange
with its actions, and the inbox."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from typing import Any

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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from matchmaker.errors import InputError
from matchmaker.exchanges.listing import ExchangeFilters, listed_exchanges
from matchmaker.exchanges.outcomes import act, feedback_view, give_feedback
from matchmaker.exchanges.proposals import (
    ProposalRules,
    answer,
    get_exchange,
    is_ring,
    is_starter,
    propose,
    withdraw,
)
from matchmaker.exchanges.swap_rings import ring_explanation, ring_hosting
from matchmaker.exchanges.visibility import calendar_of, contacts_visible_to, own_part
from matchmaker.exchanges.words import (
    capital,
    exchange_title,
    participant_role_name,
    response_name,
    state_name,
)
from matchmaker.extensions import db
from matchmaker.hubs.profiles import get_hub
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.notifications import inbox, mark_read, open_message, read_about
from matchmaker.web.confirmations import Confirmation, asks_first
from matchmaker.web.views import ResponseValue

exchanges = Blueprint("exchanges", __name__)
CALENDAR_DAYS = 120  # how far ahead the proposal form shows the host's free dates
for _function in (state_name, participant_role_name, response_name, capital):
    exchanges.add_app_template_filter(_function, _function.__name__)
exchanges.add_app_template_global(exchange_title, "exchange_title")


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
            flash(_("Your proposal is sent to %(hub)s.", hub=to.name), "success")
            return redirect(url_for("exchanges.show", exchange_id=exchange.id))
    today = datetime.now(UTC).date()
    return render_template(
        "exchanges/propose.html",
        to=to,
        errors=errors,
        form=request.form,
        kinds=list(ExchangeKind),
        kind=request.values.get("kind", "shadowing"),
        rules=_rules(),
        free_kinds=[
            (_("free desks"), AvailabilityKind.DESKS),
            (_("residency places"), AvailabilityKind.RESIDENCY),
        ],
        calendar_from=today,
        calendar_until=today + timedelta(days=CALENDAR_DAYS),
        asked=_asked_dates(),
    ), 400 if errors else 200


def _asked_dates() -> tuple[date, date] | None:
    """The dates typed in (or passed from a suggestion), when they read as dates."""
    try:
        starts_on = date.fromisoformat(request.values.get("starts_on", ""))
        ends_on = date.fromisoformat(request.values.get("ends_on", ""))
    except ValueError:
        return None
    return (starts_on, ends_on) if starts_on <= ends_on else None


@exchanges.get("/exchanges")
@login_required
def index() -> ResponseValue:
    """The exchanges, filtered by `?waiting=1`, `when=upcoming|past` and `kind=K`."""
    errors: dict[str, str] = {}
    try:
        filters = ExchangeFilters.read(request.args)
    except InputError as error:
        filters, errors = ExchangeFilters(), error.problems
    return render_template(
        "exchanges/index.html",
        exchanges=listed_exchanges(db.session(), current_user, filters),
        filters=filters,
        kinds=list(ExchangeKind),
        errors=errors,
    ), 400 if errors else 200


@exchanges.get("/exchanges/<int:exchange_id>")
@login_required
def show(exchange_id: int) -> ResponseValue:
    return _show(exchange_id)


def _show(
    exchange_id: int, errors: dict[str, str] | None = None, status: int = 200
) -> ResponseValue:
    """The exchange's page: its facts, contacts once agreed, actions and feedback."""
    session = db.session()
    exchange = get_exchange(session, current_user, exchange_id)
    read_about(session, current_user, exchange.id)  # opening it reads its messages
    my_feedback, their_feedback, revealed = feedback_view(session, current_user, exchange)
    ring = ring_hosting(exchange) if is_ring(exchange) else []
    return render_template(
        "exchanges/show.html",
        exchange=exchange,
        contacts=contacts_visible_to(session, exchange, current_user),
        mine=own_part(exchange, current_user),
        errors=errors or {},
        my_feedback=my_feedback,
        their_feedback=their_feedback,
        revealed=revealed,
        form=request.form,
        ring=ring,
        explanation=ring_explanation(exchange),
        can_withdraw=is_starter(exchange, current_user),
    ), status


def _act(exchange_id: int, action: str) -> ResponseValue:
    session = db.session()
    exchange = get_exchange(session, current_user, exchange_id)
    try:
        if action == "withdraw":
            withdraw(session, current_user, exchange)
        else:
            answer(
                session, current_user, exchange, action == "accept", request.form.get("reason", "")
            )
    except InputError as error:
        session.rollback()
        return _show(exchange_id, error.problems, 400)
    flash(str(DONE[action]), "success")
    return redirect(url_for("exchanges.show", exchange_id=exchange_id))


DONE = {  # what a person is told once their action is done
    "accept": _l("You accepted."),
    "decline": _l("You declined."),
    "withdraw": _l("You withdrew the proposal."),
    "complete": _l("Marked as done. Please give your feedback below."),
    "cancel": _l("The exchange is cancelled."),
    "no-show": _l("Recorded as a no-show."),
}


@exchanges.post("/exchanges/<int:exchange_id>/accept")
@login_required
def accept(exchange_id: int) -> ResponseValue:
    return _act(exchange_id, "accept")


QUESTIONS = {
    "decline": (
        _l("Decline this proposal?"),
        _l(
            "The other hub is told you declined, with your reason. The proposal closes and "
            "cannot be answered again."
        ),
        _l("Yes, decline"),
    ),
    "withdraw": (
        _l("Withdraw this proposal?"),
        _l(
            "Every hub it was sent to is told. It closes and cannot be answered any more; to "
            "ask again, make a new proposal."
        ),
        _l("Yes, withdraw"),
    ),
    "cancel": (
        _l("Cancel this exchange?"),
        _l(
            "The other hub is told, with your reason, and the dates and places it held are "
            "freed. A cancelled exchange cannot be scheduled again."
        ),
        _l("Yes, cancel the exchange"),
    ),
    "no-show": (
        _l("Record that nobody came?"),
        _l("The exchange is closed as a no-show and the other hub is told. This cannot be undone."),
        _l("Yes, nobody came"),
    ),
}


def _question(action: str = "", **view_args: Any) -> Confirmation | None:
    """The question in the reader's language (written when asked, not at import)."""
    words = QUESTIONS.get(action)
    return Confirmation(*(str(text) for text in words)) if words else None


def _may_see(exchange_id: int, **_: Any) -> None:
    get_exchange(db.session(), current_user, exchange_id)


@exchanges.route("/exchanges/<int:exchange_id>/decline", methods=["GET", "POST"])
@login_required
@asks_first(functools.partial(_question, "decline"), _may_see)
def decline(exchange_id: int) -> ResponseValue:
    return _act(exchange_id, "decline")


@exchanges.route("/exchanges/<int:exchange_id>/withdraw", methods=["GET", "POST"])
@login_required
@asks_first(functools.partial(_question, "withdraw"), _may_see)
def withdraw_proposal(exchange_id: int) -> ResponseValue:
    return _act(exchange_id, "withdraw")


@exchanges.route(
    "/exchanges/<int:exchange_id>/<any(complete, cancel, 'no-show'):action>",
    methods=["GET", "POST"],
)
@login_required
@asks_first(_question, _may_see)
def outcome(exchange_id: int, action: str) -> ResponseValue:
    session = db.session()
    try:
        act(session, current_user, exchange_id, action, request.form)
    except InputError as error:
        session.rollback()
        return _show(exchange_id, error.problems, 400)
    flash(str(DONE[action]), "success")
    return redirect(url_for("exchanges.show", exchange_id=exchange_id))


@exchanges.post("/exchanges/<int:exchange_id>/feedback")
@login_required
def feedback(exchange_id: int) -> ResponseValue:
    session = db.session()
    exchange = get_exchange(session, current_user, exchange_id)
    data = MultiDict(request.form)
    data.setdefault("took_place", "false")
    data.setdefault("collaboration", "false")
    try:
        give_feedback(session, current_user, exchange, data)
    except InputError as error:
        session.rollback()
        return _show(exchange_id, error.problems, 400)
    flash(_("Thank you: your feedback is saved."), "success")
    return redirect(url_for("exchanges.show", exchange_id=exchange_id))


@exchanges.get("/exchanges/<int:exchange_id>.ics")
@login_required
def calendar(exchange_id: int) -> ResponseValue:
    return Response(
        calendar_of(db.session(), current_user, exchange_id, current_app.config["BASE_URL"]),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="exchange-{exchange_id}.ics"'},
    )


@exchanges.get("/inbox")
@login_required
def messages() -> ResponseValue:
    session = db.session()
    return render_template(
        "inbox.html",
        messages=inbox(session, current_user),
        waiting=listed_exchanges(session, current_user, ExchangeFilters(waiting=True)),
    )


@exchanges.get("/inbox/<int:message_id>")
@login_required
def open_one(message_id: int) -> ResponseValue:
    """Open a message: it is read now, and its link (the exchange) opens, or the inbox."""
    message = open_message(db.session(), current_user, message_id)
    if message.link.startswith("/") and not message.link.startswith("//"):
        return redirect(message.link)
    return redirect(url_for("exchanges.messages", _anchor=f"m{message.id}"))


@exchanges.post("/inbox/read")
@login_required
def read_all() -> ResponseValue:
    mark_read(db.session(), current_user)
    return redirect(url_for("exchanges.messages"))
