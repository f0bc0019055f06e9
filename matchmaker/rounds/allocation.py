"""Residency rounds, the coordinators' side: run the optimiser's allocation over the stored
applications, review and adjust it within the budget and the hosts' places, and publish it.

- **Allocate.** Applicants rank hosts as they applied; hosts rank applicants by the
  engine's residency scores (`exchange_inputs.residency_inputs`, as `plan_residencies`
  does); places are the hosts' residency windows in the round, less residencies already
  booked there; the budget is the round's, less what approved residencies already spent.
  `matching/residency_rounds.allocate_round` decides; its placements and reasons are
  stored on the applications and the round becomes `allocated` (applications close).
- **Adjust.** A coordinator places an applicant at another host, adds a placement, or
  removes one with a reason; never beyond the budget left or a host's places.
- **Publish** (`round_publishing.py`). One approved, scheduled residency per placement,
  and every applicant told the outcome.

Every action locks the round's row first, like approvals, so two coordinators acting at
once see each other's changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.engine import current_index
from matchmaker.errors import InputError, NotFound
from matchmaker.exchanges.bookings import away_problem, room_problem
from matchmaker.field_input import FieldReader
from matchmaker.i18n.formats import money
from matchmaker.i18n.messages import render
from matchmaker.matching.exchange_inputs import residency_inputs
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.message import Number, said, stored
from matchmaker.matching.residency import (
    Applicant,
    Host,
    RoundAllocation,
    allocate_round,
)
from matchmaker.matching.residency import ResidencyRound as RoundRules
from matchmaker.models import (
    ExchangeState,
    Organisation,
    ResidencyRound,
    RoundApplication,
    RoundState,
    User,
)
from matchmaker.permissions import require_coordinator
from matchmaker.rounds.applications import applications_of, round_hosts
from matchmaker.rounds.funding import residency_cost, spent
from matchmaker.rounds.hosting import ask_hosts
from matchmaker.rounds.words import state_name

S = ExchangeState


@dataclass(frozen=True)
class HostPlaces:
    id: int
    name: str
    places: int  # for this round's allocation
    taken: int  # by its placements


@dataclass(frozen=True)
class RoundReview:
    """What a coordinator sees on the round's page: who goes where, what it costs, what
    is left of the budget and of each host's places, who is left out and why."""

    round: ResidencyRound
    applications: list[RoundApplication]
    hosts: list[HostPlaces]
    budget: Decimal  # the round's budget less what approved residencies spent
    placed_cost: Decimal  # of this allocation's placements not yet published
    budget_left: Decimal


@dataclass(frozen=True)
class AllocationInputs:
    rules: RoundRules
    applicants: tuple[Applicant, ...]
    hosts: tuple[Host, ...]


def locked_round(session: Session, user: User | None, round_id: int) -> ResidencyRound:
    require_coordinator(user)
    round_ = session.scalar(
        select(ResidencyRound).where(ResidencyRound.id == round_id).with_for_update()
    )
    if round_ is None:
        raise NotFound(_("there is no residency round number %(id)s", id=round_id))
    session.refresh(round_)  # its state as it is now, under the lock
    return round_


def weeks_of(application: RoundApplication) -> int:
    return -(-((application.ends_on - application.starts_on).days + 1) // 7)


def _money_left(session: Session, round_: ResidencyRound) -> Decimal:
    """The round's budget less what residencies approved from it already spent (after
    publishing, its own placements among them)."""
    return round_.budget - spent(session, round_)


def allocation_inputs(session: Session, round_: ResidencyRound) -> AllocationInputs:
    """The engine's inputs from the stored applications (see the module docstring)."""
    applicants = [
        Applicant(
            a.hub_id, a.hub.name, _hosts_with_room(session, round_, a), a.created_at, weeks_of(a)
        )
        for a in applications_of(session, round_)
    ]
    index = current_index(session)
    inputs = residency_inputs(index, round_.starts_on, round_.ends_on, applications=applicants)
    places = round_hosts(session, round_)
    hosts = tuple(
        Host(h.id, h.name, places[h.id].places if h.id in places else 0, h.applicants)
        for h in inputs.hosts
    )
    rules = RoundRules(
        round_.starts_on,
        round_.ends_on,
        float(_money_left(session, round_)),
        float(round_.cost_per_residency),
        float(round_.cost_per_week),
    )
    return AllocationInputs(rules, inputs.applicants, hosts)


def _hosts_with_room(
    session: Session, round_: ResidencyRound, application: RoundApplication
) -> tuple[int, ...]:
    """The applicant's ranked hosts that still have a place on its own dates (bookings and
    other rounds' placements taken into account), in its order."""
    return tuple(
        host_id
        for host_id in application.hosts
        if (host := session.get(Organisation, host_id)) is not None
        and room_problem(
            session,
            host,
            ExchangeKind.RESIDENCY,
            application.starts_on,
            application.ends_on,
            outside_round=round_.id,
        )
        is None
    )


def room_on_dates(
    session: Session,
    round_: ResidencyRound,
    application: RoundApplication,
    host: Organisation,
    placed: list[RoundApplication],
) -> str | None:
    """Why the host has no place on the application's dates once `placed` (this round's
    placements kept so far) are counted, or None."""
    overlapping = sum(
        1
        for other in placed
        if other.id != application.id
        and other.placed_host_id == host.id
        and other.starts_on <= application.ends_on
        and other.ends_on >= application.starts_on
    )
    return room_problem(
        session,
        host,
        ExchangeKind.RESIDENCY,
        application.starts_on,
        application.ends_on,
        also_held=overlapping,
        outside_round=round_.id,
    )


def applicant_away(session: Session, application: RoundApplication) -> str | None:
    """Why the applicant's hub is booked elsewhere on its dates (its own round aside)."""
    return away_problem(
        session,
        application.hub,
        application.starts_on,
        application.ends_on,
        outside_round=application.round_id,
    )


def _keep_places_on_dates(
    session: Session, round_: ResidencyRound, applications: list[RoundApplication]
) -> None:
    """The allocation counts each host's places over the whole round; a host's places on
    the placed applicants' own dates may be fewer (two residencies at once in a window of
    one place). Placements are kept in application order, earliest first (the engine's
    tie-break), and one that no longer fits on its dates is left out, saying so; so is one
    whose hub is booked elsewhere on its dates by then (a visit or residency agreed since
    it applied)."""
    kept: list[RoundApplication] = []
    for application in applications:
        if application.placed_host_id is None:
            continue
        if away := applicant_away(session, application):
            _leave_out(application, "away", said("Left out: %(why)s.", why=away))
            continue
        # By id: the relationship still holds what was loaded before this allocation.
        host = session.get(Organisation, application.placed_host_id)
        assert host is not None
        if problem := room_on_dates(session, round_, application, host, kept):
            why = said(
                "Left out: %(problem)s once the residencies placed there before yours are "
                "counted (earlier applications first).",
                problem=problem,
            )
            _leave_out(application, "dates", why)
        else:
            kept.append(application)


def allocate(session: Session, user: User | None, round_id: int) -> RoundAllocation:
    """Run (or re-run) the allocation over the applications and store it on them."""
    round_ = locked_round(session, user, round_id)
    check_allocatable(round_)
    allocation, applications = run_allocation(session, round_)
    round_.state = RoundState.ALLOCATED
    ask_hosts(session, round_, applications)
    session.commit()
    return allocation


def check_allocatable(round_: ResidencyRound) -> None:
    if round_.state not in (RoundState.OPEN, RoundState.ALLOCATED):
        raise InputError(
            {
                "round": _(
                    "the round is %(state)s: its allocation cannot change any more",
                    state=state_name(round_.state),
                )
            }
        )


def run_allocation(
    session: Session, round_: ResidencyRound
) -> tuple[RoundAllocation, list[RoundApplication]]:
    """The optimiser's allocation written on the applications (flushed, not committed):
    `allocate` commits it, `preview.preview_allocation` reads it and rolls it back."""
    inputs = allocation_inputs(session, round_)
    allocation = allocate_round(inputs.rules, inputs.applicants, inputs.hosts)
    placed = {p.applicant_id: p for p in allocation.placements}
    left_out = {left.applicant_id: left for left in allocation.left_out}
    applications = applications_of(session, round_)
    for application in applications:
        if placement := placed.get(application.hub_id):
            _place(round_, application, placement.host_id, placement.explanation)
        else:
            left = left_out[application.hub_id]
            _leave_out(application, left.cause, left.reason)
    session.flush()
    _keep_places_on_dates(session, round_, applications)
    session.flush()
    return allocation, applications


def _place(round_: ResidencyRound, application: RoundApplication, host_id: int, text: str) -> None:
    """Place the application; `text` (a message, see `matching/message.py`) is stored so
    each reader reads it in their language."""
    if application.placed_host_id != host_id:  # a new host has not been asked yet
        application.host_answer, application.host_answered_at = None, None
    application.placed_host_id = host_id
    application.cost = residency_cost(round_, application.starts_on, application.ends_on)
    application.left_out_cause, application.outcome = None, stored(text)


def _leave_out(application: RoundApplication, cause: str, text: str) -> None:
    if cause != "host":
        application.host_answer, application.host_answered_at = None, None
    application.placed_host_id, application.cost = None, None
    application.left_out_cause, application.outcome = cause, stored(text)


def review(session: Session, user: User | None, round_id: int) -> RoundReview:
    require_coordinator(user)
    round_ = session.get(ResidencyRound, round_id)
    if round_ is None:
        raise NotFound(_("there is no residency round number %(id)s", id=round_id))
    return review_of(session, round_)


def review_for(session: Session, user: User, round_id: int) -> RoundReview | None:
    """The round's review (every application with its outcome) when the user coordinates;
    None for a manager, who reads the round with only their own hub's application."""
    return review(session, user, round_id) if user.is_coordinator else None


def review_of(session: Session, round_: ResidencyRound) -> RoundReview:
    applications = applications_of(session, round_)
    hosts = round_hosts(session, round_)
    taken: dict[int, int] = {}
    for application in applications:
        if application.placed_host_id is not None:
            taken[application.placed_host_id] = taken.get(application.placed_host_id, 0) + 1
    known = select(Organisation.id, Organisation.name).where(
        Organisation.id.in_(list(hosts.keys() | taken.keys()))
    )
    names = dict(session.execute(known).all())
    rows = [
        HostPlaces(i, names.get(i, f"#{i}"), hosts[i].places if i in hosts else 0, taken.get(i, 0))
        for i in sorted(hosts.keys() | taken.keys(), key=lambda i: names.get(i, ""))
    ]
    budget = _money_left(session, round_)
    placed_cost = sum(
        (a.cost or Decimal(0) for a in applications if a.placed_host_id and not a.exchange_id),
        Decimal(0),
    )
    return RoundReview(round_, applications, rows, budget, placed_cost, budget - placed_cost)


def adjust(
    session: Session,
    user: User | None,
    round_id: int,
    data: Mapping[str, Any],
) -> RoundReview:
    """Place an application at a host (`host`: a slug), or remove its placement (`host`
    empty, with a `reason` the applicant will read); within the budget and places."""
    round_ = locked_round(session, user, round_id)
    if round_.state is not RoundState.ALLOCATED:
        raise InputError(
            {
                "round": _("run the allocation first")
                if round_.state is RoundState.OPEN
                else _("the round is %(state)s: it cannot change", state=state_name(round_.state))
            }
        )
    fields = FieldReader(data)
    application_id = fields.integer("application", required=True, minimum=1)
    slug = fields.text("host", limit=200, one_line=True) or ""
    reason = fields.text("reason", limit=2000) or ""
    if not slug and not reason:
        fields.problem("reason", _("say why the applicant is left out: they will read it"))
    fields.done()
    application = session.get(RoundApplication, application_id)
    if application is None or application.round_id != round_.id:
        raise InputError(
            {"application": _("there is no application #%(id)s in this round", id=application_id)}
        )
    if not slug:
        _leave_out(
            application,
            "removed",
            said("Left out by the programme coordinator: %(reason)s", reason=reason),
        )
        session.commit()
        return review_of(session, round_)
    host = session.scalar(select(Organisation).where(Organisation.slug == slug))
    hosts = round_hosts(session, round_)
    if host is None or host.id not in hosts:
        raise InputError({"host": _("'%(slug)s' hosts no residencies in this round", slug=slug)})
    if host.id == application.hub_id:
        raise InputError({"host": _("a hub cannot host its own residency")})
    before = review_of(session, round_)
    others_at_host = sum(
        1 for a in before.applications if a.placed_host_id == host.id and a.id != application.id
    )
    if others_at_host >= hosts[host.id].places:
        raise InputError(
            {
                "host": ngettext(
                    "%(host)s has no residency place left in this round (%(num)d place, taken)",
                    "%(host)s has no residency place left in this round (%(num)d places, "
                    "all taken)",
                    hosts[host.id].places,
                    host=host.name,
                )
            }
        )
    placed = [a for a in before.applications if a.placed_host_id is not None and not a.exchange_id]
    if problem := room_on_dates(session, round_, application, host, placed):
        raise InputError(
            {"host": _("%(problem)s (this round's placements counted)", problem=render(problem))}
        )
    if away := applicant_away(session, application):
        raise InputError({"host": render(away)})
    cost = residency_cost(round_, application.starts_on, application.ends_on)
    mine = application.cost if application.placed_host_id and application.cost else Decimal(0)
    left = before.budget_left + mine
    if cost > left:
        raise InputError(
            {
                "host": _(
                    "it costs %(cost)s and the round has %(left)s left",
                    cost=money(cost, round_.currency),
                    left=money(left, round_.currency),
                )
            }
        )
    ranked = list(application.hosts)
    choice = (
        said("your choice %(rank)s of %(count)s", rank=ranked.index(host.id) + 1, count=len(ranked))
        if host.id in ranked
        else said("not among the hosts you ranked")
    )
    text = said(
        "Placed at %(host)s by the programme coordinator (%(choice)s), costing %(cost)s.",
        host=host.name,
        choice=choice,
        cost=Number(float(cost), 2),
    )
    _place(round_, application, host.id, text)
    ask_hosts(session, round_, [application])
    session.commit()
    return review_of(session, round_)
