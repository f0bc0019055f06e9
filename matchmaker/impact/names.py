"""The states of an exchange, as the impact dashboard names them in the reader's language
(stored and exported in English)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from matchmaker.models import ExchangeState

STATE_NAMES = {
    ExchangeState.PROPOSED: _l("proposed"),
    ExchangeState.ACCEPTED: _l("accepted"),
    ExchangeState.DECLINED: _l("declined"),
    ExchangeState.EXPIRED: _l("expired"),
    ExchangeState.WITHDRAWN: _l("withdrawn"),
    ExchangeState.PENDING_APPROVAL: _l("awaiting approval"),
    ExchangeState.APPROVED: _l("approved"),
    ExchangeState.REJECTED: _l("rejected"),
    ExchangeState.SCHEDULED: _l("scheduled"),
    ExchangeState.COMPLETED: _l("completed"),
    ExchangeState.CANCELLED: _l("cancelled"),
    ExchangeState.NO_SHOW: _l("no-show"),
}


def state_name(state: ExchangeState | str) -> str:
    return str(STATE_NAMES[ExchangeState(state)])
