"""The subscribable calendar feed: its secret address (no sign-in: calendar apps cannot
sign in), and making, replacing or ending it from the account page."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.exchanges.feed import end_feed, feed_calendar, new_feed
from matchmaker.extensions import db
from matchmaker.web.accounts import account_page
from matchmaker.web.views import ResponseValue

calendar_feed = Blueprint("calendar_feed", __name__)


@calendar_feed.get("/calendar/<secret>.ics")
def feed(secret: str) -> ResponseValue:
    text = feed_calendar(db.session(), secret, current_app.config["BASE_URL"])
    return Response(
        text,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": 'inline; filename="matchmaker.ics"',
            # The address is the secret: keep it and the events out of shared caches.
            "Cache-Control": "private, no-cache",
            "Referrer-Policy": "no-referrer",
        },
    )


@calendar_feed.post("/account/calendar-feed")
@login_required
def make() -> ResponseValue:
    """A new address (the old one, if any, stops working), shown this once."""
    secret = new_feed(db.session(), current_user)
    address = current_app.config["BASE_URL"] + url_for("calendar_feed.feed", secret=secret)
    return account_page(new_feed_address=address)


@calendar_feed.post("/account/calendar-feed/end")
@login_required
def end() -> ResponseValue:
    if end_feed(db.session(), current_user):
        flash(_("Your calendar feed is ended: its address no longer works."), "success")
    return redirect(url_for("auth.account", _anchor="calendar-feed"))
