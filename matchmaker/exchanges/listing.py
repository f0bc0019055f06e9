"""The exchanges a person sees, filtered (waiting for them, upcoming, past, by kind), and
what each waits for from them: the one rule the exchanges page, the home page and the
inbox share, so they never disagree about what is "waiting for you".

What waits for a hub's manager: a proposal their hub has not answered yet (two hubs or a
ring), and the feedback of a completed exchange their hub has not given. What waits for
a coordinator: residencies to approve.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.errors import InputError
from matchmaker.exchanges.proposals import starter_hub_id
from matchmaker.field_input import FieldReader
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import (
    Exchange,
    ExchangeFeedback,
    ExchangeParticipant,
    ExchangeState,
    ParticipantResponse,
    User,
)
from matchmaker.models.exchange import FINAL_STATES
from matchmaker.permissions import signed_in

S = ExchangeState
MAX_LISTED = 200
# Agreed and not over: what "upcoming" lists while its last day has not passed.
AHEAD = frozenset({S.ACCEPTED, S.PENDING_APPROVAL, S.APPROVED, S.SCHEDULED})


class When(enum.StrEnum):
    UPCOMING = "upcoming"
    PAST = "past"


class Waiting(enum.StrEnum):
    """What an exchange waits for from the person looking at it."""

    ANSWER = "answer"
    FEEDBACK = "feedback"
    APPROVAL = "approval"

    @property
    def label(self) -> str:
        return str(WAITING_LABELS[self])


WAITING_LABELS = {
    Waiting.ANSWER: _l("waits for your answer"),
    Waiting.FEEDBACK: _l("waits for your feedback"),
    Waiting.APPROVAL: _l("waits for your approval"),
}


@dataclass(frozen=True)
class ExchangeFilters:
    """`?waiting=1&when=upcoming|past&kind=K`, each optional and combinable."""

    waiting: bool = False
    when: When | None = None
    kind: ExchangeKind | None = None

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> ExchangeFilters:
        fields = FieldReader(data)
        waiting = fields.boolean("waiting")
        when = fields.choice("when", When)
        kind = fields.choice("kind", ExchangeKind)
        if fields.problems:  # said in the reader's words, naming the values that work
            raise InputError({name: _filter_problem(name) for name in fields.problems})
        return cls(bool(waiting), when, kind)

    def args(self, **changes: Any) -> dict[str, str]:
        """The query parameters of these filters with `changes` (None drops one): the
        links that add or remove one filter and keep the others."""
        values = {
            "waiting": "1" if self.waiting else None,
            "when": self.when.value if self.when else None,
            "kind": self.kind.value if self.kind else None,
        }
        values.update({k: (v.value if isinstance(v, enum.Enum) else v) for k, v in changes.items()})
        return {k: str(v) for k, v in values.items() if v}

    @property
    def any(self) -> bool:
        return self.waiting or self.when is not None or self.kind is not None


def _filter_problem(name: str) -> str:
    if name == "waiting":
        return _("use waiting=1, or leave it out")
    if name == "when":
        return _("use when=upcoming or when=past")
    kinds = ", ".join(kind.value for kind in ExchangeKind)
    return _("use kind= with one of %(kinds)s", kinds=kinds)


def _feedback_given(hub_id: int | None) -> ColumnElement[bool]:
    return exists().where(
        ExchangeFeedback.exchange_id == Exchange.id, ExchangeFeedback.organisation_id == hub_id
    )


def waiting_condition(user: User) -> ColumnElement[bool]:
    """The exchanges that wait for the user, as a query condition."""
    if user.is_coordinator:
        return Exchange.state == S.PENDING_APPROVAL
    if user.hub_id is None:
        return false()
    unanswered = exists().where(
        ExchangeParticipant.exchange_id == Exchange.id,
        ExchangeParticipant.organisation_id == user.hub_id,
        ExchangeParticipant.response == ParticipantResponse.PENDING,
    )
    return or_(
        and_(Exchange.state == S.PROPOSED, unanswered),
        and_(Exchange.state == S.COMPLETED, ~_feedback_given(user.hub_id)),
    )


def waits_for(exchange: Exchange, user: User, given: set[int] | None = None) -> Waiting | None:
    """What the exchange waits for from the user, if anything. `given`: the ids of the
    exchanges whose feedback the user's hub gave (read once for a whole list)."""
    if user.is_coordinator:
        return Waiting.APPROVAL if exchange.state is S.PENDING_APPROVAL else None
    part = next((p for p in exchange.participants if p.organisation_id == user.hub_id), None)
    if part is None:
        return None
    if (
        exchange.state is S.PROPOSED
        and part.response is ParticipantResponse.PENDING
        and part.organisation_id != starter_hub_id(exchange)
    ):
        return Waiting.ANSWER
    if exchange.state is S.COMPLETED and exchange.id not in (given or set()):
        return Waiting.FEEDBACK
    return None


def feedback_given(session: Session, user: User, exchange_ids: list[int]) -> set[int]:
    """Of these exchanges, those whose feedback the user's hub has given."""
    if user.hub_id is None or not exchange_ids:
        return set()
    return set(
        session.scalars(
            select(ExchangeFeedback.exchange_id).where(
                ExchangeFeedback.organisation_id == user.hub_id,
                ExchangeFeedback.exchange_id.in_(exchange_ids),
            )
        )
    )


def listed_exchanges(
    session: Session,
    user: User | None,
    filters: ExchangeFilters | None = None,
    today: date | None = None,
    limit: int = MAX_LISTED,
) -> list[tuple[Exchange, Waiting | None]]:
    """The user's hub's exchanges (a coordinator's: the network's) that pass the filters,
    each with what it waits for from the user; the latest change first, except upcoming
    ones, soonest first."""
    user = signed_in(user)
    filters = filters or ExchangeFilters()
    today = today or datetime.now(UTC).date()
    query = select(Exchange).options(
        selectinload(Exchange.participants).selectinload(ExchangeParticipant.organisation)
    )
    if not user.is_coordinator:
        query = query.where(
            Exchange.id.in_(
                select(ExchangeParticipant.exchange_id).where(
                    ExchangeParticipant.organisation_id == user.hub_id
                )
            )
        )
    if filters.waiting:
        query = query.where(waiting_condition(user))
    if filters.kind is not None:
        query = query.where(Exchange.kind == filters.kind)
    if filters.when is When.UPCOMING:
        query = query.where(Exchange.state.in_(AHEAD), Exchange.ends_on >= today).order_by(
            Exchange.starts_on, Exchange.id
        )
    elif filters.when is When.PAST:
        query = query.where(or_(Exchange.state.in_(FINAL_STATES), Exchange.ends_on < today))
    query = query.order_by(Exchange.state_changed_at.desc(), Exchange.id.desc()).limit(limit)
    found = list(session.scalars(query))
    given = feedback_given(session, user, [e.id for e in found if e.state is S.COMPLETED])
    return [(exchange, waits_for(exchange, user, given)) for exchange in found]
