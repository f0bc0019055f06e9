"""The coordinators' part of /api/v1: the residencies waiting for approval beside their
round's budget and the host's places, and the network's impact figures. The same use cases
and checks as the console and the dashboard."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import jsonify, request

from matchmaker.extensions import db
from matchmaker.impact.figures import Period, network_impact
from matchmaker.rounds.approvals import approval_queue
from matchmaker.web.api.blueprint import api, asker
from matchmaker.web.api.exchanges import exchange_json
from matchmaker.web.views import ResponseValue


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


@api.get("/approvals")
def approvals() -> ResponseValue:
    return jsonify(
        [
            {
                "exchange": exchange_json(exchange),
                "round": funding.round.name if funding.round else None,
                "cost": _money(funding.cost),
                "budget_left": _money(funding.budget_left),
                "host_places": funding.places,
                "host_places_taken": funding.places_taken,
            }
            for exchange, funding in approval_queue(db.session(), asker())
        ]
    )


def _series(series: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    return [{"month": month, "counts": counts} for month, counts in series.items()]


@api.get("/impact")
def impact() -> ResponseValue:
    figures = network_impact(db.session(), asker(), Period.from_input(request.args))
    return jsonify(
        {
            "from": figures.period.since.isoformat() if figures.period.since else None,
            "to": figures.period.until.isoformat() if figures.period.until else None,
            "by_kind_and_state": [
                {"kind": kind, "state": state, "count": n}
                for (kind, state), n in sorted(figures.by_kind_and_state.items())
            ],
            "by_month_and_kind": _series(figures.by_month_and_kind),
            "by_month_and_state": _series(figures.by_month_and_state),
            "completed_by_month": figures.completed_by_month,
            "country_pairs": figures.country_pairs,
            "country_pairs_by_month": _series(figures.country_pairs_by_month),
            "disciplines": figures.disciplines,
            "disciplines_by_month": _series(figures.disciplines_by_month),
            "completion_rate": figures.completion_rate,
            "mean_rating": figures.mean_rating,
            "satisfied_share": figures.satisfied_share,
            "cross_border_share": figures.cross_border_share,
            "collaborations": figures.collaborations,
            "budget": [
                {"round": name, "budget": _money(budget), "used": _money(used)}
                for name, budget, used, _currency in figures.budget
            ],
        }
    )
