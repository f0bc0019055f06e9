"""The exchange actions and consortium proposals under /api/v1: the same use cases and
checks as the pages."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request
from flask_babel import gettext as _

from matchmaker.errors import InputError
from matchmaker.exchanges.consortium_proposals import propose_consortium
from matchmaker.exchanges.listing import (
    ExchangeFilters,
    Waiting,
    feedback_given,
    listed_exchanges,
    waits_for,
)
from matchmaker.exchanges.outcomes import act, feedback_view, give_feedback
from matchmaker.exchanges.proposals import (
    ProposalRules,
    answer,
    get_exchange,
    propose,
    withdraw,
)
from matchmaker.exchanges.visibility import (
    calendar_of,
    contacts_visible_to,
    sees_private_feedback,
)
from matchmaker.extensions import db
from matchmaker.hubs.profiles import get_hub
from matchmaker.models import Exchange, ExchangeFeedback, ExchangeState
from matchmaker.notifications import inbox
from matchmaker.rounds.approvals import decide_approval
from matchmaker.suggestions.matches import hub_to_match
from matchmaker.suggestions.plan_output import consortium_output
from matchmaker.suggestions.plans import plan_consortium, read_call
from matchmaker.web.api.blueprint import api, asker, body
from matchmaker.web.api.openapi.document import ACTIONS
from matchmaker.web.views import ResponseValue


def exchange_json(exchange: Exchange, waiting: Waiting | bool | None = False) -> dict[str, Any]:
    """The exchange as the asker may see it; `waiting`: what it waits for from them, when
    the caller knows (a list reads it for all at once), else read here."""
    user = asker()
    if waiting is False:
        given = feedback_given(db.session(), user, [exchange.id])
        waiting = waits_for(exchange, user, given)
    data: dict[str, Any] = {
        "id": exchange.id,
        "kind": exchange.kind.value,
        "state": exchange.state.value,
        "starts_on": exchange.starts_on.isoformat() if exchange.starts_on else None,
        "ends_on": exchange.ends_on.isoformat() if exchange.ends_on else None,
        "message": exchange.message,
        "reason": exchange.reason,
        "expires_at": exchange.expires_at.isoformat() if exchange.expires_at else None,
        "waits_for": waiting.value if isinstance(waiting, Waiting) else None,
        "participants": [
            {"hub": p.organisation.slug, "role": p.role.value, "response": p.response.value}
            for p in exchange.participants
        ],
        "contacts": [
            {"hub": hub.slug, "name": m.display_name, "email": m.email}
            for hub, managers in contacts_visible_to(db.session(), exchange, user)
            for m in managers
        ],
    }
    if exchange.state is ExchangeState.COMPLETED:
        data["feedback"] = feedback_json(exchange, user)
    return data


def feedback_json(exchange: Exchange, user: Any) -> dict[str, Any]:
    """What the asker may read of the feedback: their hub's, and the others' reviews once
    revealed (a coordinator: everything, ratings and outcomes included)."""
    mine, others, revealed = feedback_view(db.session(), user, exchange)

    def one(given: ExchangeFeedback) -> dict[str, Any]:
        data: dict[str, Any] = {"hub": given.organisation.slug, "review": given.review}
        if sees_private_feedback(user, given, mine):
            data |= {
                "rating": given.rating,
                "took_place": given.took_place,
                "learned": given.learned,
                "collaboration": given.collaboration,
            }
        return data

    return {
        "mine": one(mine) if mine else None,
        "others": [one(f) for f in others],
        "revealed": revealed,
    }


@api.get("/exchanges")
def list_exchanges() -> ResponseValue:
    """Filtered as the page is: `waiting=1`, `when=upcoming|past`, `kind=K`."""
    filters = ExchangeFilters.read(request.args)
    found = listed_exchanges(db.session(), asker(), filters)
    return jsonify([exchange_json(e, waiting) for e, waiting in found])


@api.get("/exchanges/<int:exchange_id>/calendar.ics")
def exchange_calendar_file(exchange_id: int) -> ResponseValue:
    """The same calendar file as the exchange's page offers, to whoever may see it."""
    text = calendar_of(db.session(), asker(), exchange_id, current_app.config["BASE_URL"])
    return Response(
        text,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="exchange-{exchange_id}.ics"'},
    )


@api.post("/hubs/<slug>/proposals")
def new_proposal(slug: str) -> ResponseValue:
    session = db.session()
    exchange = propose(
        session,
        asker(),
        get_hub(session, slug),
        body(),
        ProposalRules.from_config(current_app.config),
    )
    return jsonify(exchange_json(exchange)), 201


@api.get("/exchanges/<int:exchange_id>")
def one_exchange(exchange_id: int) -> ResponseValue:
    return jsonify(exchange_json(get_exchange(db.session(), asker(), exchange_id)))


@api.post(f"/exchanges/<int:exchange_id>/<any({', '.join(repr(a) for a in ACTIONS)}):action>")
def exchange_action(exchange_id: int, action: str) -> ResponseValue:
    session = db.session()
    user = asker()
    data = body() if action in ("decline", "cancel", "reject") else {}
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        raise InputError({"reason": _("must be text")})
    if action in ("approve", "reject"):
        decide_approval(session, user, exchange_id, action == "approve", reason)
    elif action in ("accept", "decline"):
        answer(session, user, get_exchange(session, user, exchange_id), action == "accept", reason)
    elif action == "withdraw":
        withdraw(session, user, get_exchange(session, user, exchange_id))
    else:
        act(session, user, exchange_id, action, data)
    return jsonify(exchange_json(get_exchange(session, user, exchange_id)))


@api.post("/exchanges/<int:exchange_id>/feedback")
def exchange_feedback(exchange_id: int) -> ResponseValue:
    session = db.session()
    exchange = get_exchange(session, asker(), exchange_id)
    given = give_feedback(session, asker(), exchange, body())
    return jsonify({"exchange": exchange_id, "rating": given.rating, "review": given.review}), 201


@api.get("/notifications")
def notifications() -> ResponseValue:
    return jsonify(
        [
            {
                "id": n.id,
                "topic": n.topic,
                "subject": n.subject,
                "body": n.body,
                "link": n.link,
                "created_at": n.created_at.isoformat(),
                "read": n.read_at is not None,
            }
            for n in inbox(db.session(), asker())
        ]
    )


@api.post("/hubs/<slug>/consortia")
def consortium_proposals(slug: str) -> ResponseValue:
    """Consortium proposals around the hub for the call in the body, with eligibility."""
    session = db.session()
    hub_to_match(session, asker(), slug)
    call, top, part = read_call(session, body())
    plan = plan_consortium(session, slug, call, top=top, programme_part=part)
    return jsonify(consortium_output(plan)[1])


@api.post("/hubs/<slug>/consortia/proposals")
def consortium_to_proposals(slug: str) -> ResponseValue:
    """One project-partner proposal to each hub of a consortium, all or none."""
    session = db.session()
    made = propose_consortium(
        session,
        asker(),
        get_hub(session, slug),
        body(),
        ProposalRules.from_config(current_app.config),
    )
    return jsonify(
        {
            "exchanges": [exchange_json(e) for e in made.exchanges],
            "not_on_platform": [o.slug for o in made.not_on_platform],
        }
    ), 201
