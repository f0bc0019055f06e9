"""Asking for matches: a kind, optional filters and dates, and the engine's ranked
suggestions with their reasons."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.hubs.directory import filter_choices
from matchmaker.hubs.logos import logo_keys
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.suggestions.matches import hub_to_match, matches_for, read_query
from matchmaker.suggestions.plan_output import consortium_output
from matchmaker.suggestions.plans import plan_consortium, read_call
from matchmaker.web.views import ResponseValue

matches = Blueprint("matches", __name__)


@matches.get("/hubs/<slug>/matches")
@login_required
def ask(slug: str) -> ResponseValue:
    session = db.session()
    hub = hub_to_match(session, current_user, slug)
    result, errors, query = None, {}, None
    if request.args.get("kind"):
        try:
            query = read_query(request.args)
        except InputError as error:
            errors = error.problems
        else:
            result = matches_for(session, current_user, hub, query)
    return render_template(
        "matches.html",
        hub=hub,
        result=result,
        query=query,
        errors=errors,
        args=request.args,
        kinds=list(ExchangeKind),
        choices=filter_choices(),
        logos=logo_keys(session, [s.organisation.id for s in result.items] if result else []),
    ), 400 if errors else 200


@matches.get("/hubs/<slug>/consortia")
@login_required
def consortia(slug: str) -> ResponseValue:
    """Describe a call (partners, countries, competences) and get consortium proposals."""
    session = db.session()
    hub = hub_to_match(session, current_user, slug)
    output, errors = None, {}
    if request.args.get("min_partners"):
        try:
            call, top, part = read_call(session, request.args)
        except InputError as error:
            errors = error.problems
        else:
            plan = plan_consortium(session, slug, call, top=top, programme_part=part)
            output = consortium_output(plan)[1]
            output["names"] = {o.slug: o.name for o in plan.organisations.values()}
            output["hubs"] = {o.slug for o in plan.organisations.values() if o.kind == "hub"}
    return render_template(
        "consortia.html",
        hub=hub,
        output=output,
        errors=errors,
        args=request.args,
        competences=filter_choices()["categories"] + filter_choices()["disciplines"],
    ), 400 if errors else 200
