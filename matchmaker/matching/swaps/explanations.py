"""What a hub manager reads about a clearing: the ring's story and why a hub was left out."""

from __future__ import annotations

from collections.abc import Sequence, Set
from datetime import date

from matchmaker.matching.message import Listed, Message, Number, Period, said, said_n
from matchmaker.matching.swaps.types import Leg, SwapParticipant, SwapRules


def why_left_out(
    hub: SwapParticipant,
    guests: Set[int],
    hosts: Set[int],
    in_cycles: Set[int],
    rules: SwapRules,
) -> Message:
    """The first condition the hub failed, from sending members to losing the packing.

    `guests` and `hosts` hold the hubs with a leg out and a leg in; `in_cycles` those in at
    least one possible ring.
    """
    hub_id = hub.organisation_id
    if hub.members < 1:
        return said("You asked desks for no members, and a ring needs every hub to send some.")
    if hub_id not in guests:
        return said_n(
            "No hub has desks for your %(num)d member for %(days)s days in a row in the period "
            "(or none scored above zero for you).",
            "No hub has desks for your %(num)d members for %(days)s days in a row in the period "
            "(or none scored above zero for you).",
            hub.members,
            days=rules.min_days,
        )
    if hub_id not in hosts:
        return said(
            "No hub's members fit your free desks for %(days)s days in a row in the period "
            "(or your desks scored zero for them).",
            days=rules.min_days,
        )
    if hub_id not in in_cycles:
        return said(
            "No ring of up to %(size)s hubs closes through you: the hubs you could visit and "
            "those that could visit you do not connect on common dates.",
            size=rules.cycle_cap,
        )
    return said("Every ring you could join shared a hub with rings of higher total score.")


def explain_ring(members: Sequence[SwapParticipant], legs: Sequence[Leg]) -> Message:
    """Who goes where, when, and why this ring: scores and what the ledger owes."""
    names = {member.organisation_id: member.name for member in members}
    dates = Period(legs[0].starts_on, legs[0].ends_on)
    moves = Listed(
        tuple(
            said_n(
                "%(guest)s's %(num)d member uses %(host)s's desks (swap score %(score)s)",
                "%(guest)s's %(num)d members use %(host)s's desks (swap score %(score)s)",
                leg.members,
                guest=names[leg.guest_id],
                host=names[leg.host_id],
                score=Number(leg.score, 2),
            )
            for leg in legs
        )
    )
    # Two hubs hosting each other are a swap, not a ring.
    if len(legs) == 2:
        text = said("Two-way swap, %(dates)s: %(moves)s.", dates=dates, moves=moves)
    else:
        text = said(
            "Ring of %(size)s, %(dates)s: %(moves)s.", size=len(legs), dates=dates, moves=moves
        )
    owed = [m for m in members if m.balance > 0]
    if owed:
        reasons = Listed(
            tuple(
                said(
                    "%(name)s has given %(days)s desk-days more than it took",
                    name=m.name,
                    days=Number(m.balance),
                )
                for m in owed
            ),
            ", ",
        )
        text = said("%(text)s Favoured because %(owed)s.", text=text, owed=reasons)
    return text


def format_dates(starts_on: date, ends_on: date) -> str:
    """'3–16 March 2025', '28 February – 13 March 2025', or both dates in full across years."""
    end = f"{ends_on.day} {ends_on:%B %Y}"
    if starts_on.year != ends_on.year:
        return f"{starts_on.day} {starts_on:%B %Y} – {end}"
    if starts_on.month != ends_on.month:
        return f"{starts_on.day} {starts_on:%B} – {end}"
    if starts_on == ends_on:
        return end
    return f"{starts_on.day}–{end}"
