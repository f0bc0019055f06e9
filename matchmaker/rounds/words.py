"""The words of a round that are stored in English (its state, why an applicant is left
out, the host's answer), in the reader's language: pages show these, never the stored
value."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from matchmaker.models import RoundState

STATE_NAMES = {
    RoundState.OPEN: _l("open"),
    RoundState.ALLOCATED: _l("allocated"),
    RoundState.PUBLISHED: _l("published"),
    RoundState.CLOSED: _l("closed"),
}

# Why an application got no place: the engine's causes and the app's own.
CAUSE_NAMES = {
    "budget": _l("over the budget"),
    "full": _l("hosts full"),
    "not ranked": _l("no ranked host could take it"),
    "no hosts": _l("no hosts ranked"),
    "away": _l("booked elsewhere"),
    "dates": _l("no place on these dates"),
    "removed": _l("left out by the coordinator"),
    "host": _l("declined by the host"),
}

ANSWER_NAMES = {"confirmed": _l("confirmed"), "declined": _l("declined")}


def state_name(state: RoundState | str) -> str:
    return str(STATE_NAMES[RoundState(state)])


def cause_name(cause: str) -> str:
    return str(CAUSE_NAMES.get(cause, cause))


def answer_name(answer: str) -> str:
    return str(ANSWER_NAMES.get(answer, answer))
