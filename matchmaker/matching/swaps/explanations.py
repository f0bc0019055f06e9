"""What a hub manager reads about a clearing: the ring's story and why a hub was left out."""

from __future__ import annotations

from collections.abc import Sequence, Set
from datetime import date

from matchmaker.matching.swaps.types import Leg, SwapParticipant, SwapRules


def why_left_out(
    hub: SwapParticipant,
    guests: Set[int],
    hosts: Set[int],
    in_cycles: Set[int],
    rules: SwapRules,
) -> str:
    """The first condition the hub failed, from sending members to losing the packing.

    `guests` and `hosts` hold the hubs with a leg out and a leg in; `in_cycles` those in at
    least one possible ring.
    """
    hub_id = hub.organisation_id
    if hub.members < 1:
        return "You asked desks for no members, and a ring needs every hub to send some."
    if hub_id not in guests:
        return (
            f"No hub has desks for your {hub.members} member{'' if hub.members == 1 else 's'} "
            f"for {rules.min_days} days "
            "in a row in the period (or none scored above zero for you)."
        )
    if hub_id not in hosts:
        return (
            f"No hub's members fit your free desks for {rules.min_days} days in a row "
            "in the period (or your desks scored zero for them)."
        )
    if hub_id not in in_cycles:
        return (
            f"No ring of up to {rules.cycle_cap} hubs closes through you: the hubs you could "
            "visit and those that could visit you do not connect on common dates."
        )
    return "Every ring you could join shared a hub with rings of higher total score."


def explain_ring(members: Sequence[SwapParticipant], legs: Sequence[Leg]) -> str:
    """Who goes where, when, and why this ring: scores and what the ledger owes."""
    names = {member.organisation_id: member.name for member in members}
    dates = format_dates(legs[0].starts_on, legs[0].ends_on)
    moves = "; ".join(
        f"{names[leg.guest_id]}'s {leg.members} member{'s' if leg.members > 1 else ''} "
        f"use{'' if leg.members > 1 else 's'} {names[leg.host_id]}'s desks "
        f"(swap score {leg.score:.2f})"
        for leg in legs
    )
    # Two hubs hosting each other are a swap, not a ring.
    shape = "Two-way swap" if len(legs) == 2 else f"Ring of {len(legs)}"
    text = f"{shape}, {dates}: {moves}."
    owed = [m for m in members if m.balance > 0]
    if owed:
        text += (
            " Favoured because "
            + ", ".join(
                f"{m.name} has given {m.balance:.0f} desk-days more than it took" for m in owed
            )
            + "."
        )
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
