"""Multi-way swaps: a ring of the swap plan becomes one group proposal (issue 6).

A ring A → B → C (each hub's member uses the next hub's desks, so each hub hosts the one
before it) is one hot-desking exchange with a RING_MEMBER participant per hub, in ring
order. Every hub answers; it is agreed (and scheduled) only once all have accepted, and one
decline dissolves it (`exchanges.answer`). A coordinator may start any ring of the
network's plan; a hub's manager only rings their hub is in (which then accepts by
proposing, as in a two-hub proposal). The ring's explanation from the plan is kept on the
exchange as its first message, written by nobody.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.accounts.users import managers_of_hubs
from matchmaker.errors import Forbidden, InputError
from matchmaker.exchanges.builder import (
    LENGTHS,
    Party,
    check_dates,
    check_open_proposals,
    check_room,
    new_exchange,
)
from matchmaker.exchanges.proposals import ProposalRules, read_message, ring_names
from matchmaker.field_input import FieldReader
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.swaps import SwapRing
from matchmaker.models import (
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    Organisation,
    OrganisationKind,
    ParticipantRole,
    Role,
    User,
)
from matchmaker.notifications import notify
from matchmaker.permissions import signed_in
from matchmaker.suggestions.plans import SwapPlan, plan_swaps

MAX_RING = 4  # the most hubs a plan puts in a ring (`flask plan swaps --cap`)
LONGEST_STAY = LENGTHS[ExchangeKind.HOT_DESKING][1]


@dataclass(frozen=True)
class PlannedRing:
    """A ring of the plan as a page shows it: its hubs in ring order, and the open
    proposal of it if someone already proposed it."""

    ring: SwapRing
    hubs: tuple[Organisation, ...]
    proposal: Exchange | None

    @property
    def slugs(self) -> str:
        return ",".join(hub.slug for hub in self.hubs)


def may_start_rings(user: User | None) -> User:
    """Coordinators (any ring) and hub managers (rings with their hub) start rings."""
    user = signed_in(user)
    if not user.is_coordinator and (user.role is not Role.MANAGER or user.hub_id is None):
        raise Forbidden(_("only a coordinator or a hub's manager can propose a swap ring"))
    return user


def read_period(data: Mapping[str, Any]) -> tuple[date, date]:
    """The plan's period from a form, a query string or a JSON body."""
    fields = FieldReader(data)
    starts_on = fields.day("starts_on", required=True)
    ends_on = fields.day("ends_on", required=True)
    fields.done()
    assert starts_on is not None and ends_on is not None
    if ends_on < starts_on:
        raise InputError({"ends_on": _("must be on or after the start date")})
    if (ends_on - starts_on).days + 1 > LONGEST_STAY:
        raise InputError(
            {
                "ends_on": _(
                    "a hot-desking swap lasts at most %(num)d days: plan a shorter period",
                    num=LONGEST_STAY,
                )
            }
        )
    return starts_on, ends_on


def _ring_hub_ids(ring: SwapRing) -> list[int]:
    """The ring's hubs in order: leg i takes hub i's member to hub i + 1."""
    return [leg.guest_id for leg in ring.legs]


def _same_cycle(first: Sequence[int], second: Sequence[int]) -> bool:
    if len(first) != len(second) or not first or first[0] not in second:
        return False
    turn = list(second).index(first[0])
    return list(first) == [*second[turn:], *second[:turn]]


def _waiting_swaps(session: Session, starts_on: date, ends_on: date) -> list[Exchange]:
    """Hot-desking proposals still waiting for answers, in dates overlapping these."""
    return list(
        session.scalars(
            select(Exchange)
            .where(
                Exchange.kind == ExchangeKind.HOT_DESKING,
                Exchange.state == ExchangeState.PROPOSED,
                Exchange.starts_on <= ends_on,
                Exchange.ends_on >= starts_on,
            )
            .options(selectinload(Exchange.participants))
        )
    )


def _with_hubs(
    waiting: Sequence[Exchange], hub_ids: Sequence[int], starts_on: date, ends_on: date
) -> Exchange | None:
    wanted = set(hub_ids)
    return next(
        (
            e
            for e in waiting
            if {p.organisation_id for p in e.participants} == wanted
            and e.starts_on is not None
            and e.ends_on is not None
            and e.starts_on <= ends_on
            and e.ends_on >= starts_on
        ),
        None,
    )


def open_proposal_of(
    session: Session, hub_ids: Sequence[int], starts_on: date, ends_on: date
) -> Exchange | None:
    """A proposal waiting for answers with exactly these hubs, in overlapping dates."""
    return _with_hubs(_waiting_swaps(session, starts_on, ends_on), hub_ids, starts_on, ends_on)


def planned_rings(
    session: Session,
    user: User | None,
    starts_on: date,
    ends_on: date,
) -> tuple[SwapPlan, list[PlannedRing]]:
    """The plan's rings for the period that the user may propose: all of them for a
    coordinator, those with their hub for a manager."""
    user = may_start_rings(user)
    plan = plan_swaps(session, starts_on, ends_on)
    rings = [(ring, _ring_hub_ids(ring)) for ring in plan.clearing.rings]
    rings = [(ring, ids) for ring, ids in rings if user.is_coordinator or user.hub_id in ids]
    # Two queries for the page, not two per ring.
    wanted = {hub_id for _, ids in rings for hub_id in ids}
    hubs = {
        o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(wanted)))
    }
    waiting = _waiting_swaps(session, starts_on, ends_on)
    found = [
        PlannedRing(
            ring,
            tuple(hubs[i] for i in ids),
            _with_hubs(waiting, ids, ring.starts_on, ring.ends_on),
        )
        for ring, ids in rings
    ]
    return plan, found


def propose_planned_ring(
    session: Session,
    user: User | None,
    data: Mapping[str, Any],
    rules: ProposalRules,
    now: datetime | None = None,
) -> Exchange:
    """Propose the ring of the period's plan with these hubs (slugs, in ring order or any
    turn of it) and a personal message; the ring is planned again, so what is proposed is
    what the optimiser proposes now, with its dates and explanation."""
    user = may_start_rings(user)
    fields = FieldReader(data)
    slugs = fields.strings("hubs") or []
    ids: list[int] = []
    if not 2 <= len(slugs) <= MAX_RING:
        fields.problem("hubs", _("give the ring's 2 to %(most)d hubs in order", most=MAX_RING))
    else:
        hubs = {
            o.slug: o
            for o in session.scalars(
                select(Organisation).where(
                    Organisation.slug.in_(slugs), Organisation.kind == OrganisationKind.HUB
                )
            )
        }
        if unknown := [slug for slug in slugs if slug not in hubs]:
            fields.problem("hubs", _("no hub '%(slug)s' in the network", slug=unknown[0]))
        else:
            ids = [hubs[slug].id for slug in slugs]
            if not user.is_coordinator and user.hub_id not in ids:
                raise Forbidden(_("a manager can only propose a ring their hub is in"))
    read_message(fields, rules)
    fields.done()
    starts_on, ends_on = read_period(data)
    plan = plan_swaps(session, starts_on, ends_on)
    ring = next((r for r in plan.clearing.rings if _same_cycle(_ring_hub_ids(r), ids)), None)
    if ring is None:
        raise InputError(
            {
                "hubs": _(
                    "the plan for this period has no such ring (any more): look at its rings again"
                )
            }
        )
    return propose_ring(session, user, ring, str(data.get("message", "")), rules, now)


def propose_ring(
    session: Session,
    user: User | None,
    ring: SwapRing,
    message: str,
    rules: ProposalRules,
    now: datetime | None = None,
) -> Exchange:
    """One group proposal from a ring of a swap plan, with the ring's explanation and a
    personal message; every hub's desks are checked for its dates."""
    now = now or datetime.now(UTC)
    user = may_start_rings(user)
    fields = FieldReader({"message": message})
    message = read_message(fields, rules)
    fields.done()
    ids = _ring_hub_ids(ring)
    if not user.is_coordinator and user.hub_id not in ids:
        raise Forbidden(_("a manager can only propose a ring their hub is in"))
    following = [leg.host_id for leg in ring.legs]
    if not 2 <= len(ids) <= MAX_RING or len(set(ids)) != len(ids) or following != ids[1:] + ids[:1]:
        raise InputError(
            {
                "hubs": _(
                    "a ring is 2 to %(most)d different hubs, each hosting the one before it",
                    most=MAX_RING,
                )
            }
        )
    if any(leg.members != 1 for leg in ring.legs):
        raise InputError(
            {
                "members": _(
                    "a ring proposal books one desk at each hub (exchanges record hubs and "
                    "dates, not head counts): plan it with one member per hub"
                )
            }
        )
    starts_on, ends_on = ring.starts_on, ring.ends_on
    check_dates(
        ExchangeKind.HOT_DESKING,
        starts_on,
        ends_on,
        now,
        begun=_("the ring's dates have begun: plan a later period"),
        too_long=_("a hot-desking swap lasts at most %(num)d days", num=LONGEST_STAY),
    )
    if not user.is_coordinator and user.hub_id is not None:  # their hub first, accepted
        turn = ids.index(user.hub_id)
        ids = ids[turn:] + ids[:turn]
    hubs = [session.get(Organisation, hub_id) for hub_id in ids]
    members = [hub for hub in hubs if hub is not None and hub.kind is OrganisationKind.HUB]
    if len(members) != len(ids):
        raise InputError({"hubs": _("every hub of the ring must be a hub of the network")})
    check_room(session, ExchangeKind.HOT_DESKING, members, starts_on, ends_on, "hubs")
    if waiting := open_proposal_of(session, ids, starts_on, ends_on):
        raise InputError(
            {"hubs": _("this ring is already proposed (exchange #%(number)d)", number=waiting.id)}
        )
    starter = user.hub if not user.is_coordinator else None
    if starter is not None:
        check_open_proposals(session, starter, rules.max_open, "hubs")
    exchange = new_exchange(
        session,
        ExchangeKind.HOT_DESKING,
        user,
        [Party(hub, ParticipantRole.RING_MEMBER, accepted=hub is starter) for hub in members],
        starts_on=starts_on,
        ends_on=ends_on,
        message=message,
        now=now,
        expires_at=now + timedelta(days=rules.expiry_days),
        explanation=ring.explanation,
    )
    invited = managers_of_hubs(session, [hub.id for hub in members if hub is not starter])
    for number, hub in enumerate(members):
        if hub is starter:
            continue
        notify(
            session,
            [manager for manager in invited if manager.hub_id == hub.id],
            "proposal_received",
            exchange=exchange,
            ring=ring_names(exchange),
            starter=starter,
            proposer_user=user,
            hub_count=len(members),
            hub=hub,
            guest=members[number - 1],
            host=members[(number + 1) % len(members)],
            explanation=ring.explanation,
        )
    session.commit()
    return exchange


def ring_explanation(exchange: Exchange) -> str | None:
    """The plan's explanation kept with a proposed ring, if it came from a plan."""
    return next((m.body for m in exchange.messages if m.author_id is None), None)


def ring_hosting(
    exchange: Exchange,
) -> list[tuple[ExchangeParticipant, ExchangeParticipant, ExchangeParticipant]]:
    """For each hub of a ring in order: (the hub, whose member it hosts, whose desks its
    member uses)."""
    members = list(exchange.participants)
    return [
        (member, members[number - 1], members[(number + 1) % len(members)])
        for number, member in enumerate(members)
    ]
