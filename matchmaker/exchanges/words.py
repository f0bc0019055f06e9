"""The exchanges' states, roles and answers as a reader names them: stored in English
(machine values the API returns as they are), shown through these translated names, and
an exchange's title ("Shadowing visit #12", "Hospitation Nr. 12")."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matchmaker.i18n.words import Capitalised, kind_name
from matchmaker.models import Exchange, ExchangeState, ParticipantResponse, ParticipantRole

STATE_NAMES = {
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
    ExchangeState.NO_SHOW: _l("no show"),
}

ROLE_NAMES = {
    ParticipantRole.PROPOSER: _l("Proposer"),
    ParticipantRole.HOST: _l("Host"),
    ParticipantRole.GUEST: _l("Guest"),
    ParticipantRole.RING_MEMBER: _l("Ring member"),
    ParticipantRole.PARTNER: _l("Partner"),
}

RESPONSE_NAMES = {
    ParticipantResponse.PENDING: _l("pending"),
    ParticipantResponse.ACCEPTED: _l("accepted"),
    ParticipantResponse.DECLINED: _l("declined"),
}


def state_name(state: ExchangeState | str) -> str:
    return str(STATE_NAMES[ExchangeState(state)])


def participant_role_name(role: ParticipantRole | str) -> str:
    return str(ROLE_NAMES[ParticipantRole(role)])


def response_name(response: ParticipantResponse | str) -> str:
    return str(RESPONSE_NAMES[ParticipantResponse(response)])


def capital(text: object) -> str:
    """The first letter capital, the others as written (unlike Jinja's `capitalize`,
    which would write "Manager-residenz")."""
    return str(Capitalised(text))


def exchange_title(exchange: Exchange) -> str:
    return _("%(kind)s #%(number)d", kind=capital(kind_name(exchange.kind)), number=exchange.id)
