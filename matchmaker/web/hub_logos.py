"""A hub's logo or photo: its manager uploads or removes it from the profile form, and the
app serves the stored files, cached for ever (a new upload has a new address)."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.errors import InputError, NotFound
from matchmaker.extensions import db
from matchmaker.hubs.logos import FIELD, SIZES, LogoLimits, logo_file, remove_logo, save_logo
from matchmaker.hubs.profiles import get_hub, hub_to_edit
from matchmaker.web.hubs import edit_page, hubs
from matchmaker.web.uploads import file_limit, upload_route
from matchmaker.web.views import ResponseValue

A_YEAR = 365 * 24 * 3600


@hubs.post("/<slug>/logo")
def upload_logo(slug: str) -> ResponseValue:
    session = db.session()
    hub = hub_to_edit(session, current_user, slug)  # refused before the file is looked at
    upload = request.files.get(FIELD)
    if upload is None or not upload.filename:
        return edit_page(slug, {FIELD: _("choose a PNG, JPEG or WebP picture")})
    data = upload.stream.read(file_limit() + 1)
    try:
        save_logo(session, current_user, hub, data, LogoLimits.of(current_app.config))
    except InputError as error:
        session.rollback()
        return edit_page(slug, error.problems)
    flash(_("The new picture is saved."), "success")
    return redirect(url_for("hubs.show", slug=slug))


@hubs.post("/<slug>/logo/delete")
def delete_logo(slug: str) -> ResponseValue:
    session = db.session()
    hub = hub_to_edit(session, current_user, slug)
    remove_logo(session, current_user, hub, LogoLimits.of(current_app.config))
    flash(_("The picture is removed."), "success")
    return redirect(url_for("hubs.show", slug=slug))


@hubs.get("/<slug>/logo/<key>-<int:size>.webp")
def logo(slug: str, key: str, size: int) -> ResponseValue:
    """Only the hub's current picture, at a size that is stored."""
    hub = get_hub(db.session(), slug)
    path = logo_file(LogoLimits.of(current_app.config).folder, key, size)
    if hub.logo_key != key or size not in SIZES or not path.is_file():
        raise NotFound(_("%(hub)s has no such picture", hub=hub.name))
    response = send_file(path, mimetype="image/webp", max_age=A_YEAR, conditional=True)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


upload_route(hubs, "upload_logo", "LOGO_MAX_BYTES", "picture")
