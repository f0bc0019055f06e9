"""The impact dashboard's charts and its CSV, from the figures: what the page and the
download show, kept out of the views so both read the same numbers."""

from __future__ import annotations

import csv
import io

from matchmaker.impact.charts import bar_chart, stacked_bar_chart
from matchmaker.impact.figures import Impact
from matchmaker.spreadsheet import safe_row


def dashboard_charts(figures: Impact) -> dict[str, str]:
    """Each chart's title and its SVG markup, in the order the page shows them."""
    by_kind: dict[str, float] = {}
    for (kind, _state), count in figures.by_kind_and_state.items():
        by_kind[kind.replace("_", " ")] = by_kind.get(kind.replace("_", " "), 0) + count
    budget_used = {name: float(used) for name, _budget, used in figures.budget}
    return {
        "Exchanges by kind": bar_chart(by_kind, "Exchanges by kind"),
        "Exchanges by month and kind": stacked_bar_chart(
            figures.by_month_and_kind, "Exchanges by month, by kind"
        ),
        "Exchanges by month and state": stacked_bar_chart(
            figures.by_month_and_state, "Exchanges by month, by state"
        ),
        "Completed by month": bar_chart(figures.completed_by_month, "Completed by month"),
        "Completed by country pair": bar_chart(
            dict(list(figures.country_pairs.items())[:15]), "Completed by country pair"
        ),
        "Completed by discipline": bar_chart(figures.disciplines, "Completed by discipline"),
        "Residency budget used (€)": bar_chart(budget_used, "Residency budget used per round"),
    }


def impact_csv(figures: Impact) -> str:
    """The figures as CSV rows: figure, key, value (the monthly series included)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "key", "value"])
    writer.writerows(safe_row(row) for row in figures.rows())
    return out.getvalue()
