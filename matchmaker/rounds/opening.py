"""Opening residency rounds, and the list of rounds with what each has spent."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.field_input import FieldReader
from matchmaker.i18n.formats import number
from matchmaker.models import (
    ResidencyRound,
    User,
)
from matchmaker.models.residency_round import DEFAULT_CURRENCY
from matchmaker.permissions import require_coordinator
from matchmaker.rounds.funding import (
    MAX_MONEY,
    spent,
)
from matchmaker.validation import currency_error


def open_round(session: Session, user: User | None, data: Mapping[str, Any]) -> ResidencyRound:
    """A coordinator opens a round: window, budget and costs in its currency (ISO 4217,
    euros unless told), and the application deadline."""
    user = require_coordinator(user)
    fields = FieldReader(data)
    name = fields.text("name", required=True, limit=200, one_line=True)
    description = fields.text("description", limit=5000) or ""
    starts_on = fields.day("starts_on", required=True)
    ends_on = fields.day("ends_on", required=True)
    closes_on = fields.day("applications_close_on")
    money = {}
    for field in ("budget", "cost_per_residency", "cost_per_week"):
        value = fields.number(field)
        if value is None and field == "budget":
            fields.problem(field, _("this is required"))
        elif value is not None and not 0 <= value <= MAX_MONEY:
            fields.problem(field, _("must be between 0 and %(most)s", most=number(MAX_MONEY)))
        money[field] = Decimal(str(value or 0)).quantize(Decimal("0.01"))
    if starts_on and ends_on and ends_on < starts_on:
        fields.problem("ends_on", _("must be on or after the start date"))
    if starts_on and closes_on and closes_on > starts_on:
        fields.problem("applications_close_on", _("must be on or before the round starts"))
    costs = ("cost_per_residency", "cost_per_week")
    if fields.fine(*costs) and money["cost_per_residency"] + money["cost_per_week"] <= 0:
        fields.problem("cost_per_residency", _("give a cost per residency or per week"))
    currency = (fields.text("currency", one_line=True) or DEFAULT_CURRENCY).upper()
    if reason := currency_error(currency):
        fields.problem("currency", reason)
    fields.done()
    assert starts_on and ends_on
    round_ = ResidencyRound(
        name=name,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        applications_close_on=closes_on,
        created_by=user,
        currency=currency,
        **money,
    )
    session.add(round_)
    session.commit()
    return round_


def rounds(session: Session) -> list[tuple[ResidencyRound, Decimal]]:
    """Every round with what it has spent."""
    found = session.scalars(select(ResidencyRound).order_by(ResidencyRound.starts_on.desc()))
    return [(round_, spent(session, round_)) for round_ in found]
