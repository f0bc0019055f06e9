"""The impact dashboard in the browser, on the coordinators' console: the figures for a
period with their charts, and the same as CSV."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent
from flask import Response, render_template, request
from flask_login import current_user, login_required

from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.i18n import current_language
from matchmaker.impact.dashboard import dashboard_charts, impact_csv
from matchmaker.impact.figures import Period, network_impact
from matchmaker.web.coordination import coordination
from matchmaker.web.views import ResponseValue


@coordination.app_template_filter("percent")
def percent(share: float) -> str:
    """A share as the reader writes a whole percentage: "45%", "45 %"."""
    return format_percent(share, locale=current_language())


@coordination.app_template_filter("rating")
def rating(value: float) -> str:
    return format_decimal(value, "0.0", locale=current_language())


@coordination.get("/impact")
@login_required
def impact() -> ResponseValue:
    errors: dict[str, str] = {}
    try:
        period = Period.from_input(request.args)
    except InputError as error:
        period, errors = Period(), error.problems
    figures = network_impact(db.session(), current_user, period)
    charts = dashboard_charts(figures)
    return render_template(
        "impact.html", figures=figures, charts=charts, errors=errors, form=request.args
    ), (400 if errors else 200)


@coordination.get("/impact.csv", endpoint="impact_csv")
@login_required
def impact_csv_download() -> ResponseValue:
    figures = network_impact(db.session(), current_user, Period.from_input(request.args))
    disposition = 'attachment; filename="impact.csv"'
    return Response(
        impact_csv(figures), mimetype="text/csv", headers={"Content-Disposition": disposition}
    )
