"""Plans as a coordinator reads them: text for the terminal and the same as JSON data.

Each function returns (text, data); hubs are named in the text and given by slug in the
data, so a script can act on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matchmaker.matching.network import Organisation
from matchmaker.matching.swaps import SwapRing, format_dates
from matchmaker.suggestions.plans import ConsortiumPlan, Plan, ResidencyPlan, SwapPlan


def _name(plan: Plan, organisation_id: int) -> str:
    found: Organisation | None = plan.organisations.get(organisation_id)
    return found.name if found else f"#{organisation_id}"


def _slug(plan: Plan, organisation_id: int) -> str | None:
    found = plan.organisations.get(organisation_id)
    return found.slug if found else None


def _left_out(plan: Plan, left: Mapping[int, str]) -> list[str]:
    """Lines for those left out: the optimiser's reason, then the engine's when it has one."""
    lines = [f"  Left out ({len(left)}):"] if left else []
    for organisation_id, reason in left.items():
        note = plan.notes.get(organisation_id)
        lines.append(f"    - {_name(plan, organisation_id)}: {reason}")
        if note:
            lines.append(f"      (The engine: {note}.)")
    return lines


def ring_output(plan: SwapPlan, ring: SwapRing) -> dict[str, Any]:
    """One ring as data: its hubs' legs in ring order, dates, weight and explanation."""
    return {
        "weight": round(ring.weight, 6),
        "starts_on": ring.starts_on.isoformat(),
        "ends_on": ring.ends_on.isoformat(),
        "explanation": ring.explanation,
        "legs": [
            {
                "guest": _slug(plan, leg.guest_id),
                "host": _slug(plan, leg.host_id),
                "members": leg.members,
                "score": round(leg.score, 4),
                "desk_days": leg.desk_days,
            }
            for leg in ring.legs
        ],
    }


def swap_output(plan: SwapPlan) -> tuple[str, dict[str, Any]]:
    clearing = plan.clearing
    period = format_dates(plan.starts_on, plan.ends_on)
    lines = [f"Hot-desking swaps, {period}:", f"  {clearing.reason}"]
    for number, ring in enumerate(clearing.rings, start=1):
        lines.append(f"  {number}. (weight {ring.weight:.2f}) {ring.explanation}")
    lines += _left_out(plan, {hub.organisation_id: hub.reason for hub in clearing.left_out})
    data = {
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "objective": round(clearing.objective, 6),
        "optimal": clearing.optimal,
        "bound": round(clearing.bound, 6),
        "method": clearing.method,
        "reason": clearing.reason,
        "rings": [ring_output(plan, ring) for ring in clearing.rings],
        "left_out": [
            {
                "hub": _slug(plan, h.organisation_id),
                "reason": h.reason,
                "engine": plan.notes.get(h.organisation_id),
            }
            for h in clearing.left_out
        ],
    }
    return "\n".join(lines), data


def residency_output(plan: ResidencyPlan) -> tuple[str, dict[str, Any]]:
    allocation, rules = plan.allocation, plan.rules
    period = format_dates(rules.starts_on, rules.ends_on)
    lines = [f"Residency round, {period}, budget {rules.budget:,.2f}:", f"  {allocation.reason}"]
    for placement in allocation.placements:
        lines.append(f"  - {placement.explanation}")
    lines += _left_out(plan, {left.applicant_id: left.reason for left in allocation.left_out})
    data = {
        "starts_on": rules.starts_on.isoformat(),
        "ends_on": rules.ends_on.isoformat(),
        "budget": rules.budget,
        "total_cost": allocation.total_cost,
        "budget_binding": allocation.budget_binding,
        "reason": allocation.reason,
        "placements": [
            {
                "applicant": _slug(plan, p.applicant_id),
                "host": _slug(plan, p.host_id),
                "cost": p.cost,
                "applicant_choice": p.applicant_choice,
                "host_choice": p.host_choice,
                "explanation": p.explanation,
            }
            for p in allocation.placements
        ],
        "left_out": [
            {
                "applicant": _slug(plan, left.applicant_id),
                "cause": left.cause,
                "reason": left.reason,
                "engine": plan.notes.get(left.applicant_id),
            }
            for left in allocation.left_out
        ],
        "choices": {
            _slug(plan, applicant): [_slug(plan, host) for host in hosts]
            for applicant, hosts in plan.choices.items()
        },
    }
    return "\n".join(lines), data


def consortium_output(plan: ConsortiumPlan) -> tuple[str, dict[str, Any]]:
    proposals, call = plan.proposals, plan.call
    asks = (
        f"at least {call.min_partners} members from {call.min_countries} countries, "
        f"at most {call.max_size}"
    )
    if call.required_competences:
        asks += "; needs " + ", ".join(sorted(call.required_competences))
    lines = [f"Consortia for {_name(plan, plan.requester_id)} ({asks}):", f"  {proposals.reason}"]
    for number, consortium in enumerate(proposals.consortia, start=1):
        status = "eligible" if consortium.eligible else "NOT eligible"
        lines.append(f"  {number}. [{status}] {consortium.explanation}")
    data = {
        "hub": _slug(plan, plan.requester_id),
        "call": {
            "min_partners": call.min_partners,
            "min_countries": call.min_countries,
            "max_size": call.max_size,
            "competences": sorted(call.required_competences),
        },
        "method": proposals.method,
        "reason": proposals.reason,
        "candidates": plan.candidates,
        "consortia": [
            {
                "members": [_slug(plan, m.id) for m in c.members],
                "score": round(c.score, 6),
                "eligible": c.eligible,
                "missing": list(c.missing),
                "explanation": c.explanation,
            }
            for c in proposals.consortia
        ],
    }
    return "\n".join(lines), data
