"""`/dev/mail`: the emails the development mail catcher caught (see
`matchmaker.outbox.catcher`). A 404 everywhere `DEV_MAILBOX` is unset, as in production."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

from matchmaker.outbox.catcher import caught_email, caught_emails
from matchmaker.web.views import ResponseValue

dev_mail = Blueprint("dev_mail", __name__, url_prefix="/dev/mail")


def _mail_dir() -> Path:
    configured = current_app.config.get("DEV_MAILBOX")
    if not configured:
        abort(404)
    return Path(configured)


@dev_mail.get("/")
def index() -> ResponseValue:
    return render_template("dev/mail.html", emails=caught_emails(_mail_dir()))


@dev_mail.get("/<key>")
def show(key: str) -> ResponseValue:
    return render_template("dev/mail_message.html", email=caught_email(_mail_dir(), key))
