"""What an applicant reads about a residency round: where they go, or why they were left out.

Each is a message (`matching/message.py`): its English is what the engine and its tests
read, and the app stores it so each reader reads it in their own language."""

from __future__ import annotations

from collections.abc import Container, Mapping

from matchmaker.matching.message import Listed, Message, Number, Ordinal, Value, said, said_n
from matchmaker.matching.residency.types import Applicant, Host

BUDGET_RULE = said(
    "residencies are funded in turns, each host's most preferred applicant first, "
    "earlier applications first within a turn"
)


def placement_text(
    applicant: Applicant, host: Host, applicant_choice: int, host_choice: int, cost: float
) -> Message:
    text = said_n(
        "%(applicant)s goes to %(host)s: your %(choice)s choice, and %(host)s ranked you "
        "%(rank)s for its %(num)d place; cost %(cost)s.",
        "%(applicant)s goes to %(host)s: your %(choice)s choice, and %(host)s ranked you "
        "%(rank)s for its %(num)d places; cost %(cost)s.",
        host.places,
        applicant=applicant.name,
        host=host.name,
        choice=Ordinal(applicant_choice),
        rank=Ordinal(host_choice),
        cost=Number(cost, 2),
    )
    if applicant_choice > 1:
        return said(
            "%(placed)s The hosts you ranked higher were full with applicants they ranked higher.",
            placed=text,
        )
    return text


def unplaced_reason(
    applicant: Applicant,
    hosts: Mapping[int, Host],
    ranked_by: Mapping[int, Container[int]],
    cost: float,
    budget_left: float | None,
    place: Host | None = None,
) -> tuple[str, Message]:
    """(cause, reason) for an applicant without a place.

    `ranked_by` holds, per host with places, the applicants it ranked; `budget_left` is
    what remained of the budget at their turn when the budget rule cut them from their
    `place`, None when they had no place to fund. An applicant without a place was turned
    down by every host they ranked that ranked them (deferred acceptance), and such a host
    ends the round full with applicants it ranked higher.
    """
    if budget_left is not None:
        money: dict[str, Value] = {
            "left": Number(budget_left, 2),
            "cost": Number(cost, 2),
            "rule": BUDGET_RULE,
        }
        if place:
            return "budget", said(
                "Left out: the budget ran out (%(left)s was left at your turn and your "
                "residency at %(host)s costs %(cost)s; rule: %(rule)s).",
                host=place.name,
                **money,
            )
        return "budget", said(
            "Left out: the budget ran out (%(left)s was left at your turn and your "
            "residency costs %(cost)s; rule: %(rule)s).",
            **money,
        )
    ranked = list(dict.fromkeys(applicant.hosts))
    if not ranked:
        return "no hosts", said("Left out: you ranked no host.")
    reasons: list[Message] = []
    full = 0
    for host_id in ranked:
        host = hosts.get(host_id)
        if host is None:
            reasons.append(said("host #%(id)s is not hosting in this round", id=str(host_id)))
        elif host.places < 1:
            reasons.append(said("%(host)s has no places", host=host.name))
        elif applicant.id not in ranked_by.get(host_id, ()):
            reasons.append(said("%(host)s did not rank you", host=host.name))
        else:
            full += 1
            reasons.append(
                said("%(host)s was full with applicants it ranked higher", host=host.name)
            )
    if full == len(reasons):
        return "full", said(
            "Left out: every host you ranked was full with applicants they ranked higher."
        )
    cause = "full" if full else "not ranked"
    return cause, said("Left out: %(reasons)s.", reasons=Listed(tuple(reasons)))
