"""Asking for matches: a kind, optional filters and dates, and the engine's ranked
suggestions with their reasons."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from matchmaker.errors import InputError
from matchmaker.exchanges.consortium_proposals import propose_consortium
from matchmaker.exchanges.proposals import ProposalRules
from matchmaker.extensions import db
from matchmaker.hubs.directory import filter_choices
from matchmaker.hubs.logos import logo_keys
from matchmaker.hubs.profiles import get_hub
from matchmaker.i18n.messages import render
from matchmaker.i18n.words import Capitalised, and_list
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.message import Number
from matchmaker.suggestions.matches import hub_to_match, matches_for, read_query
from matchmaker.suggestions.plan_output import consortium_output
from matchmaker.suggestions.plans import plan_consortium, read_call
from matchmaker.suggestions.wording import kind_phrase
from matchmaker.web.views import ResponseValue

matches = Blueprint("matches", __name__)
matches.add_app_template_filter(kind_phrase, "kind_phrase")
matches.add_app_template_filter(lambda value, places=0: render(Number(value, places)), "decimals")
matches.add_app_template_filter(lambda word: str(Capitalised(word)), "capitalize_first")

QUERY_LABELS = {
    "kind": _l("Kind of exchange"),
    "country": _l("In country"),
    "discipline": _l("Working in"),
    "language": _l("Speaking"),
    "max_km": _l("At most this far (km)"),
    "starts_on": _l("From"),
    "ends_on": _l("To"),
    "part": _l("Call topic (project partners)"),
    "limit": _l("How many"),
}
CALL_LABELS = {
    "min_partners": _l("Members at least (your hub included)"),
    "min_countries": _l("Countries at least"),
    "max_size": _l("Members at most"),
    "competences": _l("Competences the call requires"),
    "part": _l("Call topic (programme part)"),
    "top": _l("Proposals"),
    "members": _l("Partners"),
    "message": _l("Your message to every partner (the call, your idea, what you hope each brings)"),
}


def _said(problems: dict[str, str]) -> dict[str, str]:
    """Form problems in the reader's language (the engine's own are messages)."""
    return {field: render(reason) for field, reason in problems.items()}


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
            errors = _said(error.problems)
        else:
            result = matches_for(session, current_user, hub.id, query)
    return render_template(
        "matches.html",
        hub=hub,
        result=result,
        query=query,
        errors=errors,
        labels=QUERY_LABELS,
        args=request.args,
        kinds=list(ExchangeKind),
        choices=filter_choices(),
        logos=logo_keys(session, [s.organisation.id for s in result.items] if result else []),
    ), 400 if errors else 200


@matches.get("/hubs/<slug>/consortia")
@login_required
def consortia(slug: str) -> ResponseValue:
    """Describe a call (partners, countries, competences) and get consortium proposals."""
    return _consortia_page(slug, request.args)


@matches.post("/hubs/<slug>/consortia/propose")
@login_required
def propose_consortium_page(slug: str) -> ResponseValue:
    """One consortium's member hubs asked at once, one proposal each, all or none; the
    form carries the call again, so a refusal shows the same proposals with the reason."""
    session = db.session()
    hub = get_hub(session, slug)
    try:
        made = propose_consortium(
            session, current_user, hub, request.form, ProposalRules.from_config(current_app.config)
        )
    except InputError as error:
        session.rollback()
        chosen = request.form.get("consortium", "")
        return _consortia_page(slug, request.form, {chosen: _said(error.problems)}, 400)
    sent = len(made.exchanges)
    text = ngettext(
        "%(num)d proposal sent, one to each hub.", "%(num)d proposals sent, one to each hub.", sent
    )
    if made.not_on_platform:
        names = and_list(o.name for o in made.not_on_platform)
        text += " " + _("Contact %(names)s directly: they are not on the platform.", names=names)
    flash(text, "success")
    return redirect(url_for("exchanges.index"))


def _consortia_page(
    slug: str,
    args: Any,
    propose_errors: dict[str, dict[str, str]] | None = None,
    status: int = 200,
) -> ResponseValue:
    session = db.session()
    hub = hub_to_match(session, current_user, slug)
    output, errors = None, {}
    if args.get("min_partners"):
        try:
            call, top, part = read_call(session, args)
        except InputError as error:
            errors = _said(error.problems)
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
        labels=CALL_LABELS,
        args=args,
        competences=filter_choices()["categories"] + filter_choices()["disciplines"],
        can_propose=current_user.hub_id == hub.id,
        propose_errors=propose_errors or {},
        form=request.form,
    ), 400 if errors else status
