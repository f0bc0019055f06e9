"""A hub's page, and its manager's forms for the profile, services, needs and windows."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.hubs.directory import filter_choices, hub_history
from matchmaker.hubs.freshness import profile_confirmed_at, profile_is_stale
from matchmaker.hubs.labels import (
    availability_name,
    membership_name,
    priority_name,
    taxonomy_label,
)
from matchmaker.hubs.profiles import (
    PROFILE_BOOLEANS,
    confirm_profile,
    delete_entry,
    delete_window,
    find_entry,
    find_window,
    get_hub,
    hub_actions,
    hub_to_edit,
    save_entry,
    save_window,
    update_profile,
)
from matchmaker.i18n import current_language
from matchmaker.i18n.words import Capitalised
from matchmaker.models import AvailabilityKind, NeedPriority
from matchmaker.validation import size_text
from matchmaker.web.confirmations import Confirmation, asks_first
from matchmaker.web.views import ResponseValue

hubs = Blueprint("hubs", __name__, url_prefix="/hubs")
# The profile form's fields, named in its labels and in the list of problems above it.
PROFILE_FIELD_NAMES = {
    "name": _l("Name"),
    "city": _l("City"),
    "country": _l("Country"),
    "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
    "website": _l("Website"),
    "founded_year": _l("Founded in"),
    "description": _l("Description"),
    "disciplines": _l("Disciplines"),
    "languages": _l("Languages"),
    "desks": _l("Desks for swaps"),
    "residency_places": _l("Residency places"),
    "accepts_visits": _l("We host shadowing visits"),
    "logo": _l("Logo or photo"),
}
# Each sentence whole, for each kind of entry: (new, existing, saved, removed).
ENTRY_WORDS = {
    "services": (_l("Add a service"), _l("Edit a service"), _l("The service is saved.")),
    "needs": (_l("Add a need"), _l("Edit a need"), _l("The need is saved.")),
}
REMOVED = {
    "services": _l("The service is removed."),
    "needs": _l("The need is removed."),
    "availability": _l("The availability window is removed."),
}


@hubs.app_template_filter("taxonomy_name")
def _taxonomy_name(row: Any) -> str:
    return taxonomy_label(row)


@hubs.app_template_filter("capital")
def _capital(word: object) -> str:
    return str(Capitalised(word))


@hubs.app_template_filter("coordinate")
def _coordinate(degrees: float) -> str:
    """A latitude or longitude to three decimals, as the reader writes decimals."""
    return format_decimal(degrees, "0.000", locale=current_language())


for _filter in (membership_name, priority_name, availability_name):
    hubs.add_app_template_filter(_filter)


def _user() -> Any:
    return current_user if current_user.is_authenticated else None


@hubs.get("/<slug>")
def show(slug: str) -> ResponseValue:
    hub = get_hub(db.session(), slug)
    actions = hub_actions(_user(), hub)
    return render_template(
        "hubs/show.html",
        hub=hub,
        history=hub_history(hub),
        can_edit=actions.can_edit,
        can_match=actions.can_match,
        confirmed_at=profile_confirmed_at(hub),
        stale=profile_is_stale(hub),
    )


@hubs.post("/<slug>/confirm")
def confirm(slug: str) -> ResponseValue:
    session = db.session()
    confirm_profile(session, _user(), get_hub(session, slug))
    flash(_("Thank you: the profile is confirmed as it is."), "success")
    return redirect(url_for("hubs.show", slug=slug))


@hubs.route("/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str) -> ResponseValue:
    session = db.session()
    hub = hub_to_edit(session, _user(), slug)
    errors: dict[str, str] = {}
    form = request.form
    if request.method == "POST":
        data = MultiDict(form)
        for name in PROFILE_BOOLEANS:
            data.setdefault(name, "false")  # an unticked box sends nothing
        data.setlist("disciplines", form.getlist("disciplines"))
        try:
            update_profile(session, _user(), hub, data)
        except InputError as error:
            session.rollback()
            errors = error.problems
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("hubs.show", slug=slug))
    return edit_page(slug, errors, form if errors else None)


def edit_page(
    slug: str, errors: dict[str, str], form: Any = None, status: int | None = None
) -> ResponseValue:
    """The profile form (with the logo's), showing `errors` beside their fields."""
    hub = get_hub(db.session(), slug)
    return render_template(
        "hubs/edit.html",
        hub=hub,
        form=form,
        errors=errors,
        choices=filter_choices(),
        confirmed_at=profile_confirmed_at(hub),
        field_names={name: str(label) for name, label in PROFILE_FIELD_NAMES.items()},
        logo_limit=size_text(current_app.config["LOGO_MAX_BYTES"]),
    ), status or (400 if errors else 200)


@hubs.route("/<slug>/<any(services, needs):kind>/new", methods=["GET", "POST"])
@hubs.route("/<slug>/<any(services, needs):kind>/<int:entry_id>", methods=["GET", "POST"])
def entry(slug: str, kind: str, entry_id: int | None = None) -> ResponseValue:
    session = db.session()
    hub = hub_to_edit(session, _user(), slug)
    current = find_entry(session, hub, kind, entry_id) if entry_id is not None else None
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            save_entry(session, _user(), hub, kind, request.form, entry_id)
        except InputError as error:
            session.rollback()
            errors = error.problems
        else:
            flash(str(ENTRY_WORDS[kind][2]), "success")
            return redirect(url_for("hubs.show", slug=slug, _anchor=kind))
    return render_template(
        "hubs/entry.html",
        hub=hub,
        kind=kind,
        heading=ENTRY_WORDS[kind][0 if current is None else 1],
        entry=current,
        form=request.form if errors else None,
        errors=errors,
        categories=filter_choices()["categories"],
        priorities=[(p.value, str(Capitalised(priority_name(p)))) for p in NeedPriority],
    ), 400 if errors else 200


def _removal(kind: str = "availability", **_ignored: Any) -> Confirmation:
    consequence = _(
        "It disappears from your hub's page and from the suggestions the engine makes. "
        "This cannot be undone: to have it back, add it again."
    )
    if kind == "services":
        return Confirmation(_("Remove this service?"), consequence, _("Yes, remove the service"))
    if kind == "needs":
        return Confirmation(_("Remove this need?"), consequence, _("Yes, remove the need"))
    return Confirmation(
        _("Remove this availability window?"), consequence, _("Yes, remove the window")
    )


def _may_edit(slug: str, **_ignored: Any) -> None:
    hub_to_edit(db.session(), _user(), slug)


@hubs.route("/<slug>/<any(services, needs):kind>/<int:entry_id>/delete", methods=["GET", "POST"])
@asks_first(_removal, _may_edit)
def remove_entry(slug: str, kind: str, entry_id: int) -> ResponseValue:
    session = db.session()
    hub = get_hub(session, slug)
    delete_entry(session, _user(), hub, kind, entry_id)
    flash(str(REMOVED[kind]), "success")
    return redirect(url_for("hubs.show", slug=slug, _anchor=kind))


@hubs.route("/<slug>/availability/new", methods=["GET", "POST"])
@hubs.route("/<slug>/availability/<int:window_id>", methods=["GET", "POST"])
def window(slug: str, window_id: int | None = None) -> ResponseValue:
    session = db.session()
    hub = hub_to_edit(session, _user(), slug)
    current = find_window(session, hub, window_id) if window_id is not None else None
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            save_window(session, _user(), hub, request.form, window_id)
        except InputError as error:
            session.rollback()
            errors = error.problems
        else:
            flash(_("The availability window is saved."), "success")
            return redirect(url_for("hubs.show", slug=slug, _anchor="availability"))
    return render_template(
        "hubs/window.html",
        hub=hub,
        window=current,
        form=request.form if errors else None,
        errors=errors,
        kinds=[(k.value, availability_name(k)) for k in AvailabilityKind],
    ), 400 if errors else 200


@hubs.route("/<slug>/availability/<int:window_id>/delete", methods=["GET", "POST"])
@asks_first(_removal, _may_edit)
def remove_window(slug: str, window_id: int) -> ResponseValue:
    session = db.session()
    hub = get_hub(session, slug)
    delete_window(session, _user(), hub, window_id)
    flash(str(REMOVED["availability"]), "success")
    return redirect(url_for("hubs.show", slug=slug, _anchor="availability"))
