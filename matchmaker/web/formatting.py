"""How pages write dates, amounts and free dates, once: every date with its year, every
amount with its currency (`CURRENCY`), and a host's free dates as month grids."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask, current_app

from matchmaker.hubs import free_dates


def money(amount: Decimal | float | int | None) -> str:
    """6000 -> '6,000.00 EUR'."""
    if amount is None:
        return ""
    return f"{Decimal(str(amount)):,.2f} {current_app.config['CURRENCY']}"


def long_day(day: date | None) -> str:
    """2027-03-05 -> '5 Mar 2027' (never without its year)."""
    return f"{day.day} {day:%b %Y}" if day else ""


def day_span(starts_on: date | None, ends_on: date | None) -> str:
    """'5 Mar 2027 – 20 Apr 2027'."""
    return f"{long_day(starts_on)} – {long_day(ends_on)}"


def register_formatting(app: Flask) -> None:
    app.add_template_filter(money, "money")
    app.add_template_filter(long_day, "long_day")
    app.add_template_global(day_span, "day_span")
    app.add_template_global(free_dates.months, "free_months")
    app.add_template_global(free_dates.overlap, "free_overlap")
    app.add_template_global(free_dates.covers, "free_covers")
