"""Use cases of the exchange optimisers: plan a swap clearing, a residency round's
allocation or a call's consortia from the network as stored, with the engine's scores.

Each returns a proposal and changes nothing: a coordinator looks at it (the CLI prints it).
A swap plan's ring becomes a group proposal in `swap_rings.py`. The engine index comes
from the suggestions' cache, so planning right after suggesting costs no rebuild.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.engine import current_index
from matchmaker.errors import NotFound
from matchmaker.field_input import FieldReader
from matchmaker.hubs.records import Taxonomy
from matchmaker.matching.consortia import Call, ConsortiumProposals, propose_consortia
from matchmaker.matching.exchange_inputs import (
    SwapInputs,
    consortium_inputs,
    residency_inputs,
    swap_inputs,
)
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.message import said
from matchmaker.matching.network import Organisation
from matchmaker.matching.residency import ResidencyRound as RoundRules
from matchmaker.matching.residency import RoundAllocation, allocate_round
from matchmaker.matching.swaps import (
    DeskStay,
    SwapClearing,
    SwapRules,
    clear_swaps,
    desk_day_ledger,
)
from matchmaker.models import (
    Discipline,
    Exchange,
    ExchangeState,
    ParticipantRole,
    ResidencyRound,
    ServiceCategory,
)
from matchmaker.suggestions.matches import hub_id


@dataclass(frozen=True)
class Plan:
    """What every plan carries besides its result: the organisations it names (by id), and
    the engine's reason for each hub it found nobody for."""

    organisations: Mapping[int, Organisation]
    notes: Mapping[int, str]


@dataclass(frozen=True)
class SwapPlan(Plan):
    clearing: SwapClearing
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class ResidencyPlan(Plan):
    allocation: RoundAllocation
    rules: RoundRules
    choices: Mapping[int, tuple[int, ...]]  # applicant id -> hosts ranked, best first


@dataclass(frozen=True)
class ConsortiumPlan(Plan):
    proposals: ConsortiumProposals
    requester_id: int
    call: Call
    candidates: int


def desk_day_balances(session: Session) -> dict[int, int]:
    """Each hub's desk-days given minus taken in completed swaps: the clearing's ledger.
    Exchanges record hubs and dates, not head counts, so a guest hub counts one desk a day;
    in a ring each member hosts the next one (their positions' order)."""
    completed = session.scalars(
        select(Exchange)
        .where(Exchange.kind == ExchangeKind.HOT_DESKING, Exchange.state == ExchangeState.COMPLETED)
        .options(selectinload(Exchange.participants))
    ).all()
    stays = []
    for exchange in completed:
        if exchange.starts_on is None or exchange.ends_on is None:
            continue
        days = (exchange.ends_on - exchange.starts_on).days + 1
        members = sorted(exchange.participants, key=lambda p: p.position)
        ring = [p.organisation_id for p in members if p.role is ParticipantRole.RING_MEMBER]
        if len(ring) >= 2:
            stays += [
                DeskStay(host, guest, days)
                for host, guest in zip(ring, ring[1:] + ring[:1], strict=True)
            ]
        hosts = [p.organisation_id for p in members if p.role is ParticipantRole.HOST]
        guests = [p.organisation_id for p in members if p.role is ParticipantRole.GUEST]
        stays += [DeskStay(host, guest, days) for host in hosts for guest in guests]
    return desk_day_ledger(stays)


def _organisations(session: Session) -> Any:
    index = current_index(session)
    return index, {o.id: o for o in index.organisations}


def plan_swaps(
    session: Session,
    starts_on: date,
    ends_on: date,
    *,
    rules: SwapRules | None = None,
    members: int = 1,
) -> SwapPlan:
    """Rings of hubs hosting each other's `members` people in the period, from every hub
    with free desks in it, weighed by the engine's swap scores and the desk-day ledger."""
    index, organisations = _organisations(session)
    if ends_on < starts_on:
        inputs = SwapInputs((), {}, {})  # the clearing says why
    else:
        inputs = swap_inputs(index, starts_on, ends_on, members, desk_day_balances(session))
    clearing = clear_swaps(
        inputs.participants, starts_on, ends_on, inputs.scores, rules or SwapRules()
    )
    return SwapPlan(organisations, inputs.notes, clearing, starts_on, ends_on)


def round_rules(session: Session, round_id: int) -> RoundRules:
    """The stored round's dates, budget and costs, as the engine reads them."""
    stored = session.get(ResidencyRound, round_id)
    if stored is None:
        raise NotFound(_("no residency round #%(number)s", number=round_id))
    return RoundRules(
        stored.starts_on,
        stored.ends_on,
        float(stored.budget),
        float(stored.cost_per_residency),
        float(stored.cost_per_week),
    )


def plan_residencies(
    session: Session,
    rules: RoundRules,
    *,
    applicants: Sequence[str] | None = None,
    choices: int = 5,
) -> ResidencyPlan:
    """The round's allocation if the hubs in `applicants` (slugs; default every hub with
    needs) applied with their `choices` best hosts as the engine ranks them."""
    index, organisations = _organisations(session)
    ids = None if applicants is None else [hub_id(session, slug) for slug in applicants]
    inputs = residency_inputs(index, rules.starts_on, rules.ends_on, ids, choices)
    allocation = allocate_round(rules, inputs.applicants, inputs.hosts)
    chosen = {a.id: a.hosts for a in inputs.applicants}
    return ResidencyPlan(organisations, inputs.notes, allocation, rules, chosen)


def plan_consortium(
    session: Session,
    slug: str,
    call: Call,
    *,
    top: int = 3,
    programme_part: str | None = None,
) -> ConsortiumPlan:
    """The `top` consortia around the hub `slug` for the call, from the partners the
    engine finds for it."""
    requester_id = hub_id(session, slug)
    index, organisations = _organisations(session)
    if requester_id not in index.position:
        raise NotFound(_("%(slug)s is not in the network", slug=repr(slug)))
    inputs = consortium_inputs(index, requester_id, programme_part)
    proposals = propose_consortia(inputs.requester, inputs.candidates, call, k=top)
    if inputs.note and not inputs.candidates:
        reason = said("%(reason)s The engine: %(note)s.", reason=proposals.reason, note=inputs.note)
        proposals = replace(proposals, reason=reason)
    notes = {requester_id: inputs.note} if inputs.note else {}
    return ConsortiumPlan(
        organisations, notes, proposals, requester_id, call, len(inputs.candidates)
    )


MAX_MEMBERS = 50


def read_call(session: Session, data: Mapping[str, Any]) -> tuple[Call, int, str | None]:
    """A call for partners from a form or a JSON body: (call, how many proposals, the
    programme part); `InputError` names each bad field. Competences are service-category
    or discipline slugs."""
    fields = FieldReader(data)
    min_partners = fields.integer("min_partners", minimum=2, maximum=MAX_MEMBERS, required=True)
    min_countries = fields.integer("min_countries", minimum=1, maximum=MAX_MEMBERS, required=True)
    max_size = fields.integer("max_size", minimum=2, maximum=MAX_MEMBERS) or 10
    top = fields.integer("top", minimum=1, maximum=5) or 3
    part = fields.text("part", limit=60, one_line=True) or None
    competences = [c.lower() for c in fields.strings("competences") or []]
    taxonomy = Taxonomy.load(session)
    known = set(taxonomy.categories) | set(taxonomy.disciplines)
    for competence in competences:
        if competence not in known:
            fields.problem(
                "competences",
                _(
                    "unknown competence %(competence)s (a service category or a discipline)",
                    competence=repr(competence),
                ),
            )
    if min_partners is not None and fields.fine("max_size") and max_size < min_partners:
        fields.problem("max_size", _("must be at least the minimum number of partners"))
    if min_countries is not None and fields.fine("max_size") and min_countries > max_size:
        fields.problem("min_countries", _("cannot be more than the largest consortium"))
    fields.done()
    assert min_partners is not None and min_countries is not None
    names = session.execute(
        select(Discipline.slug, Discipline.name)
        .where(Discipline.slug.in_(competences))
        .union(
            select(ServiceCategory.slug, ServiceCategory.name).where(
                ServiceCategory.slug.in_(competences)
            )
        )
    )
    named = tuple(sorted((slug, name) for slug, name in names))
    return Call(min_partners, min_countries, max_size, frozenset(competences), named), top, part
