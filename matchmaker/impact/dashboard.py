"""The impact dashboard's charts and its CSV, from the figures: what the page and the
download show, kept out of the views so both read the same numbers. The charts speak
the reader's language (kinds, states, months, disciplines); the CSV stays English data."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from datetime import date

from flask_babel import gettext as _

from matchmaker.exchanges.words import state_name
from matchmaker.hubs.labels import stored_taxonomy_name
from matchmaker.i18n.formats import month
from matchmaker.i18n.words import Capitalised, kind_name
from matchmaker.impact.charts import bar_chart, stacked_bar_chart
from matchmaker.impact.figures import Impact
from matchmaker.spreadsheet import safe_row


def month_name(key: str) -> str:
    """ "2027-03" as the reader writes the month: "March 2027", "mars 2027"."""
    year, number = key.split("-")
    return month(date(int(year), int(number), 1))


def kind_label(kind: str) -> str:
    return str(Capitalised(kind_name(kind)))


def _renamed(
    series: Mapping[str, Mapping[str, float]], key_name: Callable[[str], str]
) -> dict[str, dict[str, float]]:
    return {
        month_name(row): {key_name(key): n for key, n in parts.items()}
        for row, parts in series.items()
    }


def dashboard_charts(figures: Impact) -> dict[str, str]:
    """Each chart's title and its SVG markup, in the order the page shows them."""
    by_kind: dict[str, float] = {}
    for (kind, _state), count in figures.by_kind_and_state.items():
        by_kind[kind_label(kind)] = by_kind.get(kind_label(kind), 0) + count
    budget_used = {name: float(used) for name, _budget, used, _currency in figures.budget}
    by_month = {month_name(key): n for key, n in figures.completed_by_month.items()}
    disciplines = {stored_taxonomy_name(name): n for name, n in figures.disciplines.items()}
    titles = (
        _("Exchanges by kind"),
        _("Exchanges by month, by kind"),
        _("Exchanges by month, by state"),
        _("Completed by month"),
        _("Completed by country pair"),
        _("Completed by discipline"),
        _("Residency budget used per round"),
    )
    charts = (
        bar_chart(by_kind, titles[0]),
        stacked_bar_chart(_renamed(figures.by_month_and_kind, kind_label), titles[1]),
        stacked_bar_chart(_renamed(figures.by_month_and_state, state_name), titles[2]),
        bar_chart(by_month, titles[3]),
        bar_chart(dict(list(figures.country_pairs.items())[:15]), titles[4]),
        bar_chart(disciplines, titles[5]),
        bar_chart(budget_used, titles[6]),
    )
    return dict(zip(titles, charts, strict=True))


def impact_csv(figures: Impact) -> str:
    """The figures as CSV rows: figure, key, value (the monthly series included)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "key", "value"])
    writer.writerows(safe_row(row) for row in figures.rows())
    return out.getvalue()
