"""What each side may see of an exchange it can open (`proposals.get_exchange`): the
other hubs' managers' contact details and the dates in a calendar once the exchange is
agreed, its own part, and the private part of the feedback. The pages and the API show
what these answer, so the two never disagree."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from matchmaker.accounts.users import managers_of_hubs
from matchmaker.errors import NotFound
from matchmaker.exchanges.calendar import exchange_calendar
from matchmaker.exchanges.proposals import get_exchange
from matchmaker.models import (
    Exchange,
    ExchangeFeedback,
    ExchangeParticipant,
    ExchangeState,
    Organisation,
    User,
)

S = ExchangeState
# Agreed: a hub said yes, so the hubs need to reach each other (and to plan the dates).
AGREED = frozenset({S.ACCEPTED, S.PENDING_APPROVAL, S.APPROVED, S.SCHEDULED, S.COMPLETED})


def contacts_visible_to(
    session: Session, exchange: Exchange, user: User
) -> list[tuple[Organisation, list[User]]]:
    """The exchange's other hubs with their managers, whose names and emails the user may
    read: none until the proposal is accepted, so a proposal cannot be used to collect
    addresses; a coordinator (no hub of their own) sees every hub's."""
    if exchange.state not in AGREED:
        return []
    others = [p for p in exchange.participants if p.organisation_id != user.hub_id]
    managers = managers_of_hubs(session, [p.organisation_id for p in others])
    return [
        (p.organisation, [m for m in managers if m.hub_id == p.organisation_id]) for p in others
    ]


def own_part(exchange: Exchange, user: User) -> ExchangeParticipant | None:
    """The user's hub's part in the exchange (its role and answer); None for a coordinator
    or anyone else who takes no part."""
    return next((p for p in exchange.participants if p.organisation_id == user.hub_id), None)


def sees_private_feedback(
    user: User, given: ExchangeFeedback, mine: ExchangeFeedback | None
) -> bool:
    """Whether the user may read a feedback's private part (rating, whether it took place,
    what was learned, a collaboration): their own hub's, or any for a coordinator; the
    other hubs read only the review, so a rating is never held against anyone."""
    return user.is_coordinator or given is mine


def calendar_of(session: Session, user: User | None, exchange_id: int, base_url: str) -> str:
    """The exchange as a calendar file, for someone who may see it, once it is agreed and
    dated: before that there are no dates anyone should plan around."""
    exchange = get_exchange(session, user, exchange_id)
    if exchange.starts_on is None or exchange.state not in AGREED:
        raise NotFound(
            _("exchange number %(number)d has no dates in a calendar yet", number=exchange_id)
        )
    return exchange_calendar(exchange, base_url)
