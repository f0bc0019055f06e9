"""Swap rings under /api/v1: the plan's rings for a period (those the asker may propose)
and proposing one; answers go through the exchanges' accept and decline actions."""

from __future__ import annotations

from flask import current_app, jsonify, request

from matchmaker.exchanges.proposals import ProposalRules
from matchmaker.exchanges.swap_rings import planned_rings, propose_planned_ring, read_period
from matchmaker.extensions import db
from matchmaker.suggestions.plan_output import ring_output
from matchmaker.web.api.blueprint import api, asker, body
from matchmaker.web.api.exchanges import exchange_json
from matchmaker.web.views import ResponseValue


@api.get("/swap-rings")
def list_swap_rings() -> ResponseValue:
    starts_on, ends_on = read_period(request.args)
    plan, rings = planned_rings(db.session(), asker(), starts_on, ends_on)
    return jsonify(
        {
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "reason": plan.clearing.reason,
            "rings": [
                {
                    **ring_output(plan, r.ring),
                    "hubs": [hub.slug for hub in r.hubs],
                    "proposal": r.proposal.id if r.proposal else None,
                }
                for r in rings
            ],
        }
    )


@api.post("/swap-rings")
def propose_swap_ring() -> ResponseValue:
    session = db.session()
    exchange = propose_planned_ring(
        session,
        asker(),
        body(),
        ProposalRules.from_config(current_app.config),
    )
    return jsonify(exchange_json(exchange)), 201
