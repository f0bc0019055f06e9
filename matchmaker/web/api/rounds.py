"""Residency rounds under /api/v1: the rounds, a manager's application, and the
coordinators' allocate, adjust and publish; the same use cases and checks as the pages."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import gettext as _

from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.i18n.messages import render
from matchmaker.models import ResidencyRound, RoundApplication, RoundState, User
from matchmaker.rounds.allocation import RoundReview, adjust, allocate, review, review_for
from matchmaker.rounds.applications import (
    accepting,
    application_of,
    applications_close_on,
    apply,
    get_round,
    host_slugs,
    slugs_by_id,
    suggested_to,
    visible_rounds,
    withdraw,
)
from matchmaker.rounds.hosting import answer_placement, placements_to_answer
from matchmaker.rounds.preview import preview_allocation
from matchmaker.rounds.publishing import publish
from matchmaker.web.api.blueprint import LazyBody, api, asker
from matchmaker.web.views import ResponseValue


def round_json(round_: ResidencyRound, user: User) -> dict[str, Any]:
    """A round as anyone signed in sees it, with their own hub's application."""
    session = db.session()
    mine = application_of(session, round_, user.hub_id)
    return {
        "id": round_.id,
        "name": round_.name,
        "description": round_.description,
        "starts_on": round_.starts_on.isoformat(),
        "ends_on": round_.ends_on.isoformat(),
        "applications_close_on": applications_close_on(round_).isoformat(),
        "accepting_applications": accepting(round_),
        "state": round_.state.value,
        "budget": str(round_.budget),
        "cost_per_residency": str(round_.cost_per_residency),
        "cost_per_week": str(round_.cost_per_week),
        "currency": round_.currency,
        "published_at": round_.published_at.isoformat() if round_.published_at else None,
        "application": application_json(mine, round_.state is RoundState.PUBLISHED)
        if mine
        else None,
    }


def application_json(
    application: RoundApplication, with_outcome: bool, hosts: list[str] | None = None
) -> dict[str, Any]:
    """An application; its outcome only once the applicant may know it (or a coordinator).
    `hosts`: its ranked hosts' slugs, when the caller read them for many at once."""
    placed = application.placed_host
    data: dict[str, Any] = {
        "id": application.id,
        "hub": application.hub.slug,
        "hosts": host_slugs(db.session(), application.hosts) if hosts is None else hosts,
        "starts_on": application.starts_on.isoformat(),
        "ends_on": application.ends_on.isoformat(),
        "message": application.message,
        "created_at": application.created_at.isoformat(),
        "outcome": None,
    }
    if with_outcome and (placed or application.left_out_cause):
        data["outcome"] = {
            "placed_at": placed.slug if placed else None,
            "cost": str(application.cost) if application.cost is not None else None,
            "left_out": application.left_out_cause,
            "text": render(application.outcome_message),
            "exchange": application.exchange_id,
            "host_answer": application.host_answer,
        }
    return data


def review_json(found: RoundReview) -> dict[str, Any]:
    slugs = slugs_by_id(db.session(), {i for a in found.applications for i in a.hosts})
    return {
        **round_json(found.round, asker()),
        "budget_not_spent": str(found.budget),
        "placed_cost": str(found.placed_cost),
        "budget_left": str(found.budget_left),
        "applications": [
            application_json(a, True, [slugs[i] for i in a.hosts if i in slugs])
            for a in found.applications
        ],
        "hosts": [
            {"id": h.id, "name": h.name, "places": h.places, "placed": h.taken} for h in found.hosts
        ],
    }


@api.get("/rounds")
def list_rounds() -> ResponseValue:
    user = asker()
    return jsonify([round_json(r, user) for r in visible_rounds(db.session(), user)])


@api.get("/rounds/<int:round_id>")
def one_round(round_id: int) -> ResponseValue:
    """A manager: the round, their application and the engine's suggested hosts; a
    coordinator: the round's review, every application with its outcome."""
    session = db.session()
    user = asker()
    if (found := review_for(session, user, round_id)) is not None:
        return jsonify(review_json(found))
    round_ = get_round(session, round_id)
    data = round_json(round_, user)
    if (suggested := suggested_to(session, user, round_)) is not None:
        data["suggested_hosts"] = host_slugs(session, suggested)
    return jsonify(data)


@api.post("/rounds/<int:round_id>/application")
def send_application(round_id: int) -> ResponseValue:
    session = db.session()
    round_ = get_round(session, round_id)
    application, new = apply(session, asker(), round_, LazyBody())
    return jsonify(application_json(application, False)), 201 if new else 200


@api.delete("/rounds/<int:round_id>/application")
def withdraw_application(round_id: int) -> ResponseValue:
    session = db.session()
    withdraw(session, asker(), get_round(session, round_id))
    return "", 204


@api.get("/rounds/<int:round_id>/allocation-preview")
def allocation_preview(round_id: int) -> ResponseValue:
    found = preview_allocation(db.session(), asker(), round_id)
    return jsonify(
        {
            "round": round_id,
            "placed": found.placed,
            "cost": str(found.cost),
            "budget": str(found.budget),
            "budget_left": str(found.budget_left),
            "currency": found.round.currency,
            "explanation": found.explanation,
            "rows": [
                {
                    "hub": row.hub_slug,
                    "starts_on": row.starts_on.isoformat(),
                    "ends_on": row.ends_on.isoformat(),
                    "host": row.host_slug,
                    "choice": row.choice,
                    "cost": None if row.cost is None else str(row.cost),
                    "outcome": render(row.outcome),
                }
                for row in found.rows
            ],
        }
    )


@api.post("/rounds/<int:round_id>/allocate")
def allocate_round_now(round_id: int) -> ResponseValue:
    session = db.session()
    allocate(session, asker(), round_id)
    return jsonify(review_json(review(session, asker(), round_id)))


@api.post("/rounds/<int:round_id>/adjust")
def adjust_round(round_id: int) -> ResponseValue:
    session = db.session()
    return jsonify(review_json(adjust(session, asker(), round_id, LazyBody())))


@api.post("/rounds/<int:round_id>/publish")
def publish_round(round_id: int) -> ResponseValue:
    session = db.session()
    made = publish(session, asker(), round_id)
    return jsonify(
        {**review_json(review(session, asker(), round_id)), "exchanges": [e.id for e in made or []]}
    )


def placement_json(application: RoundApplication) -> dict[str, Any]:
    return {
        "id": application.id,
        "round": application.round_id,
        "round_name": application.round.name,
        "hub": application.hub.slug,
        "starts_on": application.starts_on.isoformat(),
        "ends_on": application.ends_on.isoformat(),
        "message": application.message,
        "host_answer": application.host_answer,
    }


@api.get("/rounds/placements")
def list_placements() -> ResponseValue:
    return jsonify([placement_json(a) for a in placements_to_answer(db.session(), asker())])


@api.post("/rounds/placements/<int:placement_id>/confirm")
def confirm_placement(placement_id: int) -> ResponseValue:
    found = answer_placement(db.session(), asker(), placement_id, True)
    return jsonify(placement_json(found))


@api.post("/rounds/placements/<int:placement_id>/decline")
def decline_placement(placement_id: int) -> ResponseValue:
    reason = LazyBody().get("reason", "")
    if not isinstance(reason, str):
        raise InputError.of("reason", _("must be text"))
    found = answer_placement(db.session(), asker(), placement_id, False, reason)
    return jsonify(placement_json(found))
