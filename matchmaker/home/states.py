"""The states an exchange or a round is in, as a reader says them (the stored values stay
English): the home pages show them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from matchmaker.models import ExchangeState, RoundState

EXCHANGE_STATE_NAMES = {
    ExchangeState.PROPOSED: _l("proposed"),
    ExchangeState.ACCEPTED: _l("accepted"),
    ExchangeState.DECLINED: _l("declined"),
    ExchangeState.EXPIRED: _l("expired"),
    ExchangeState.WITHDRAWN: _l("withdrawn"),
    ExchangeState.PENDING_APPROVAL: _l("pending approval"),
    ExchangeState.APPROVED: _l("approved"),
    ExchangeState.REJECTED: _l("rejected"),
    ExchangeState.SCHEDULED: _l("scheduled"),
    ExchangeState.COMPLETED: _l("completed"),
    ExchangeState.CANCELLED: _l("cancelled"),
    ExchangeState.NO_SHOW: _l("did not take place"),
}
ROUND_STATE_NAMES = {
    RoundState.OPEN: _l("open"),
    RoundState.ALLOCATED: _l("allocated"),
    RoundState.PUBLISHED: _l("published"),
    RoundState.CLOSED: _l("closed"),
}


def exchange_state_name(state: ExchangeState | str) -> str:
    return str(EXCHANGE_STATE_NAMES[ExchangeState(state)])


def round_state_name(state: RoundState | str) -> str:
    return str(ROUND_STATE_NAMES[RoundState(state)])
