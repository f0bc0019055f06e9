"""Editing a hub's profile, services, needs and availability windows: the use cases behind
the profile pages and the API, with the same checks as the CSV import (`validate_hub`).

Each function checks who asks, validates everything before it touches anything, and
commits; on a problem it raises `InputError` with the field and reason, storing nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.errors import NotFound
from matchmaker.field_input import FieldReader
from matchmaker.hubs.records import (
    ENTRY_TITLE_LIMIT,
    MAX_PLACES,
    NeedRecord,
    ServiceRecord,
    Taxonomy,
    entry_problems,
    hub_record,
    validate_hub,
)
from matchmaker.i18n.detect import detect_language
from matchmaker.models import (
    AvailabilityKind,
    AvailabilityWindow,
    Discipline,
    Need,
    NeedPriority,
    Organisation,
    OrganisationKind,
    Service,
    ServiceCategory,
    User,
)
from matchmaker.models.base import utc_now
from matchmaker.permissions import can_ask_matches, can_edit_hub, require_hub_editor
from matchmaker.validation import language_error

# What a manager may change on their profile; membership criteria are the coordinator's.
PROFILE_TEXT = {"name": 200, "city": 120, "website": 300}
PROFILE_BOOLEANS = ("accepts_visits",)
ENTRY_KINDS: dict[str, type[Service] | type[Need]] = {"services": Service, "needs": Need}
MAX_DESCRIPTION = 5000
MAX_NOTE = 300
MAX_WINDOW_DAYS = 366


def get_hub(session: Session, slug: str) -> Organisation:
    hub = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if hub is None or hub.kind is not OrganisationKind.HUB:
        raise no_hub(slug)
    return hub


def no_hub(slug: str) -> NotFound:
    """What a person reads when no hub has the slug (also a non-hub organisation's)."""
    return NotFound(_("no hub has the slug %(slug)s", slug=repr(slug)))


def hub_to_edit(session: Session, user: User | None, slug: str) -> Organisation:
    """The hub whose profile, services, needs or windows the user opens to change: its
    manager's, or any for an admin; refused before a form is shown, not only when sent."""
    hub = get_hub(session, slug)
    require_hub_editor(user, hub.id)
    return hub


@dataclass(frozen=True)
class HubActions:
    """What the user may do with a hub, for its page to offer only that."""

    can_edit: bool
    can_match: bool


def hub_actions(user: User | None, hub: Organisation) -> HubActions:
    """Anyone reads a hub's page; its manager (or an admin) edits it, and its manager (or a
    coordinator) asks for its matches."""
    return HubActions(can_edit_hub(user, hub.id), can_ask_matches(user, hub.id))


def update_profile(
    session: Session, user: User | None, hub: Organisation, data: Mapping[str, Any]
) -> Organisation:
    """Change the fields `data` names; the others keep their value. The hub's row is held
    from the start (read afresh), so of two edits at once the second applies to the first's
    result and lists like the languages are replaced whole, never mixed."""
    require_hub_editor(user, hub.id)
    session.refresh(hub, with_for_update=True)
    fields = FieldReader(data)
    changes: dict[str, Any] = {}
    for name, limit in PROFILE_TEXT.items():
        if fields.has(name):
            value = fields.text(name, required=name == "name", limit=limit, one_line=True)
            changes[name] = value if name == "name" else value or None
    if fields.has("description"):
        changes["description"] = fields.text("description", limit=MAX_DESCRIPTION) or ""
    if fields.has("country"):
        country = fields.text("country", required=True)
        changes["country"] = country.upper() if country else country
    for name in ("latitude", "longitude"):
        if fields.has(name):
            changes[name] = fields.number(name)
    if fields.has("founded_year"):
        changes["founded_year"] = fields.integer("founded_year")
    for name in ("desks", "residency_places"):
        if fields.has(name):
            # Given means given: null or an empty field is refused, never stored as 0.
            changes[name] = fields.integer(name, minimum=0, maximum=MAX_PLACES, required=True)
    for name in PROFILE_BOOLEANS:
        if fields.has(name):
            changes[name] = bool(fields.boolean(name))
    for name in ("disciplines", "languages"):
        values = fields.strings(name)
        if values is not None:
            changes[name] = tuple(v.lower() for v in values)
    # The record's own rules run over every value that could be read, so the form lists
    # every problem at once (a field already refused keeps its first reason).
    readable = {name: value for name, value in changes.items() if fields.fine(name)}
    record = replace(hub_record(hub), **readable)
    refused = set(fields.problems)
    for column, reason in validate_hub(record, Taxonomy.load(session)):
        if column not in ("services", "needs", *refused):
            fields.problem(column, reason)
    fields.done()
    for name, value in changes.items():
        if name == "disciplines":
            hub.disciplines = list(
                session.scalars(select(Discipline).where(Discipline.slug.in_(value)))
            )
        elif name == "languages":
            hub.languages = sorted(set(value))
        else:
            setattr(hub, name, value)
    hub.profile_confirmed_at = utc_now()  # saving it is saying it is right
    session.commit()
    return hub


def confirm_profile(session: Session, user: User | None, hub: Organisation) -> Organisation:
    """The profile is still right as it is: one click for a manager asked to look at it."""
    require_hub_editor(user, hub.id)
    hub.profile_confirmed_at = utc_now()
    session.commit()
    return hub


def find_entry(session: Session, hub: Organisation, kind: str, entry_id: int) -> Service | Need:
    entry: Service | Need | None = (
        session.get(Service, entry_id) if kind == "services" else session.get(Need, entry_id)
    )
    if entry is None or entry.organisation_id != hub.id:
        message = (
            _("%(hub)s has no service number %(number)s", hub=hub.name, number=entry_id)
            if kind == "services"
            else _("%(hub)s has no need number %(number)s", hub=hub.name, number=entry_id)
        )
        raise NotFound(message)
    return entry


def save_entry(
    session: Session,
    user: User | None,
    hub: Organisation,
    kind: str,
    data: Mapping[str, Any],
    entry_id: int | None = None,
) -> Service | Need:
    """Add a service or need (`kind` is "services" or "needs"), or change one."""
    require_hub_editor(user, hub.id)
    entry = find_entry(session, hub, kind, entry_id) if entry_id is not None else None
    fields = FieldReader({**_entry_values(entry), **_scalars(data)})
    category = fields.text("category", required=True) or ""
    title = fields.text("title", required=True, limit=ENTRY_TITLE_LIMIT, one_line=True) or ""
    description = fields.text("description", limit=MAX_DESCRIPTION, one_line=True) or ""
    priority = fields.choice("priority", NeedPriority) or NeedPriority.MEDIUM
    language = fields.text("language", one_line=True) or None
    if language and (reason := language_error(language)):
        fields.problem("language", reason)
    record: ServiceRecord | NeedRecord = (
        NeedRecord(category, title, description, priority)
        if kind == "needs"
        else ServiceRecord(category, title, description)
    )
    for field, reason in entry_problems(record, Taxonomy.load(session)):
        if fields.fine(field):
            fields.problem(field, reason)
    fields.done()
    category_row = session.scalar(select(ServiceCategory).where(ServiceCategory.slug == category))
    if entry is None:
        entry = ENTRY_KINDS[kind](organisation_id=hub.id)
        session.add(entry)
    entry.category = category_row  # type: ignore[assignment]
    entry.title, entry.description = record.title, record.description
    # As the manager says, or as the text reads (again when it changes): a reader sees
    # when it is not in their language.
    if language is None and not {"title", "description"} & set(data):
        language = entry.language
    entry.language = language or detect_language(f"{record.title}. {record.description}")
    if isinstance(entry, Need) and isinstance(record, NeedRecord):
        entry.priority = record.priority
    session.commit()
    return entry


def _scalars(data: Mapping[str, Any]) -> dict[str, Any]:
    """A form's fields or a JSON object as a plain dict of single values."""
    return {key: data[key] for key in data}


def _entry_values(entry: Service | Need | None) -> dict[str, Any]:
    """What an entry holds now: a change names only the fields it changes."""
    if entry is None:
        return {}
    values = {"category": entry.category.slug, "title": entry.title}
    values["description"] = entry.description
    if isinstance(entry, Need):
        values["priority"] = entry.priority.value
    return values


def delete_entry(
    session: Session, user: User | None, hub: Organisation, kind: str, entry_id: int
) -> None:
    require_hub_editor(user, hub.id)
    session.delete(find_entry(session, hub, kind, entry_id))
    session.commit()


def find_window(session: Session, hub: Organisation, window_id: int) -> AvailabilityWindow:
    window = session.get(AvailabilityWindow, window_id)
    if window is None or window.organisation_id != hub.id:
        raise NotFound(
            _(
                "%(hub)s has no availability window number %(number)s",
                hub=hub.name,
                number=window_id,
            )
        )
    return window


def save_window(
    session: Session,
    user: User | None,
    hub: Organisation,
    data: Mapping[str, Any],
    window_id: int | None = None,
) -> AvailabilityWindow:
    """Add or change a window of free desks or residency places."""
    require_hub_editor(user, hub.id)
    window = find_window(session, hub, window_id) if window_id is not None else None
    current = (
        {}
        if window is None
        else {
            "kind": window.kind.value,
            "starts_on": window.starts_on.isoformat(),
            "ends_on": window.ends_on.isoformat(),
            "places": window.places,
            "note": window.note,
        }
    )
    fields = FieldReader({**current, **_scalars(data)})
    kind = fields.choice("kind", AvailabilityKind, required=True)
    starts_on = fields.day("starts_on", required=True)
    ends_on = fields.day("ends_on", required=True)
    places = fields.integer("places", minimum=1, maximum=MAX_PLACES, required=True)
    note = fields.text("note", limit=MAX_NOTE, one_line=True) or ""
    if starts_on and ends_on:
        if ends_on < starts_on:
            fields.problem("ends_on", _("must be on or after the start date"))
        elif (ends_on - starts_on).days >= MAX_WINDOW_DAYS:
            fields.problem(
                "ends_on", _("a window lasts at most %(days)s days", days=MAX_WINDOW_DAYS)
            )
        if ends_on < date.today():
            fields.problem("ends_on", _("the window is over: give dates from today on"))
    if kind and places:
        offered = hub.desks if kind is AvailabilityKind.DESKS else hub.residency_places
        if places > offered:
            message = (
                _l("%(hub)s has %(num)s desks in its profile: at most %(num)s")
                if kind is AvailabilityKind.DESKS
                else _l("%(hub)s has %(num)s residency places in its profile: at most %(num)s")
            )
            fields.problem("places", message % {"hub": hub.name, "num": offered})
    fields.done()
    assert kind and starts_on and ends_on and places
    if window is None:
        window = AvailabilityWindow(organisation_id=hub.id)
        session.add(window)
    window.kind, window.starts_on, window.ends_on = kind, starts_on, ends_on
    window.places, window.note = places, note
    session.commit()
    return window


def delete_window(session: Session, user: User | None, hub: Organisation, window_id: int) -> None:
    require_hub_editor(user, hub.id)
    session.delete(find_window(session, hub, window_id))
    session.commit()
