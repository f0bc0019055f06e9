"""How pages write spans of dates and a host's free dates as month grids. Single dates,
amounts (with the round's currency) and names are the `matchmaker.i18n` filters."""

from __future__ import annotations

from datetime import date

from babel.dates import get_day_names
from flask import Flask

from matchmaker.hubs import free_dates
from matchmaker.i18n import current_language
from matchmaker.i18n.formats import day


def day_span(starts_on: date | None, ends_on: date | None) -> str:
    """'Mar 5, 2027 – Apr 20, 2027', each day with its year, as the reader writes it."""
    return f"{day(starts_on)} – {day(ends_on)}"


def weekday_names() -> list[str]:
    """The days' short names from Monday, a month grid's heads: "Mo", "lu", "пн"."""
    names = get_day_names("short", locale=current_language())
    return [names[number] for number in range(7)]


def register_formatting(app: Flask) -> None:
    app.add_template_global(day_span, "day_span")
    app.add_template_global(free_dates.months, "free_months")
    app.add_template_global(weekday_names, "weekday_names")
    app.add_template_global(free_dates.overlap, "free_overlap")
    app.add_template_global(free_dates.covers, "free_covers")
