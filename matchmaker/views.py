"""Web pages: thin views that ask the directory for data and render a template."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from matchmaker.directory import hub_page, network_counts

pages = Blueprint("pages", __name__)


@pages.get("/")
def home() -> str:
    page = request.args.get("page", 1, type=int)
    page = min(max(page, 1), 1_000_000)  # beyond the last page shows an empty page, never a 500
    hubs = hub_page(page=page, per_page=current_app.config["HUBS_PER_PAGE"])
    return render_template("home.html", hubs=hubs, counts=network_counts())


@pages.app_errorhandler(404)
def not_found(_error: Exception) -> tuple[str, int]:
    return render_template(
        "error.html", title="Page not found", message="There is no page at this address."
    ), 404
