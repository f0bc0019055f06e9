"""What an applicant reads about a residency round: where they go, or why they were left out."""

from __future__ import annotations

from collections.abc import Container, Mapping

from matchmaker.matching.residency.types import Applicant, Host

BUDGET_RULE = (
    "residencies are funded in turns, each host's most preferred applicant first, "
    "earlier applications first within a turn"
)


def ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def placement_text(
    applicant: Applicant, host: Host, applicant_choice: int, host_choice: int, cost: float
) -> str:
    text = (
        f"{applicant.name} goes to {host.name}: your {ordinal(applicant_choice)} choice, "
        f"and {host.name} ranked you {ordinal(host_choice)} for its {host.places} "
        f"place{'s' if host.places > 1 else ''}; cost {cost:,.2f}."
    )
    if applicant_choice > 1:
        text += " The hosts you ranked higher were full with applicants they ranked higher."
    return text


def unplaced_reason(
    applicant: Applicant,
    hosts: Mapping[int, Host],
    ranked_by: Mapping[int, Container[int]],
    cost: float,
    budget_left: float | None,
    place: Host | None = None,
) -> tuple[str, str]:
    """(cause, reason) for an applicant without a place.

    `ranked_by` holds, per host with places, the applicants it ranked; `budget_left` is
    what remained of the budget at their turn when the budget rule cut them from their
    `place`, None when they had no place to fund. An applicant without a place was turned
    down by every host they ranked that ranked them (deferred acceptance), and such a host
    ends the round full with applicants it ranked higher.
    """
    if budget_left is not None:
        at = f" at {place.name}" if place else ""
        return "budget", (
            f"Left out: the budget ran out ({budget_left:,.2f} was left at your turn and "
            f"your residency{at} costs {cost:,.2f}; rule: {BUDGET_RULE})."
        )
    ranked = list(dict.fromkeys(applicant.hosts))
    if not ranked:
        return "no hosts", "Left out: you ranked no host."
    reasons = []
    for host_id in ranked:
        host = hosts.get(host_id)
        if host is None:
            reasons.append(f"host #{host_id} is not hosting in this round")
        elif host.places < 1:
            reasons.append(f"{host.name} has no places")
        elif applicant.id not in ranked_by.get(host_id, ()):
            reasons.append(f"{host.name} did not rank you")
        else:
            reasons.append(f"{host.name} was full with applicants it ranked higher")
    if all(reason.endswith("it ranked higher") for reason in reasons):
        return "full", (
            "Left out: every host you ranked was full with applicants they ranked higher."
        )
    cause = "full" if any(r.endswith("it ranked higher") for r in reasons) else "not ranked"
    return cause, "Left out: " + "; ".join(reasons) + "."
