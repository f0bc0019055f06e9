"""Residency rounds, the managers' side: see the rounds, apply to an open one for one's own
hub with a ranked list of hosts (pre-filled from the engine's residency suggestions), edit
or withdraw the application until the deadline.

The round's eligible hosts are the engine's (`exchange_inputs.residency_hosts`): hubs with
residency windows open long enough in the round. The same list is checked when a manager
applies, used by the allocation, and by a coordinator's adjustments
(`round_allocation.py`), so the three never disagree about who can host.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.engine import current_index
from matchmaker.errors import Forbidden, InputError, NotFound
from matchmaker.exchanges.bookings import away_problem, booked_by_host, covering_windows
from matchmaker.exchanges.builder import LENGTHS
from matchmaker.exchanges.proposals import MAX_MESSAGE
from matchmaker.field_input import FieldReader
from matchmaker.i18n.formats import day
from matchmaker.i18n.messages import render
from matchmaker.matching.exchange_inputs import residency_hosts, residency_inputs
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.matching.residency import Host
from matchmaker.models import Organisation, ResidencyRound, Role, RoundApplication, RoundState, User
from matchmaker.permissions import signed_in
from matchmaker.rounds.words import state_name

MAX_HOSTS = 10  # hosts an application may rank
SUGGESTED = 5  # hosts pre-filled from the engine's suggestions
MAX_CANDIDATES = 40  # hosts an application form lists
SHORTEST, LONGEST = LENGTHS[ExchangeKind.RESIDENCY]


def applications_close_on(round_: ResidencyRound) -> date:
    """The last day to apply: the round's deadline, or the day before it starts."""
    return round_.applications_close_on or round_.starts_on - timedelta(days=1)


def accepting(round_: ResidencyRound, today: date | None = None) -> bool:
    today = today or datetime.now(UTC).date()
    return round_.state is RoundState.OPEN and today <= applications_close_on(round_)


def get_round(session: Session, round_id: int) -> ResidencyRound:
    round_ = session.get(ResidencyRound, round_id)
    if round_ is None:
        raise NotFound(_("there is no residency round number %(id)s", id=round_id))
    return round_


def visible_rounds(session: Session, user: User | None) -> list[ResidencyRound]:
    """Every round for a signed-in person, the newest first: a manager applies to the
    open ones and reads the outcome of the published ones."""
    signed_in(user)
    newest = select(ResidencyRound).order_by(
        ResidencyRound.starts_on.desc(), ResidencyRound.id.desc()
    )
    return list(session.scalars(newest))


def round_hosts(session: Session, round_: ResidencyRound) -> dict[int, Host]:
    """The round's eligible hosts by id, with the places not already held by residencies
    booked outside this round's allocation in its window."""
    index = current_index(session)
    published = dict(
        session.execute(
            select(RoundApplication.placed_host_id, func.count())
            .where(
                RoundApplication.round_id == round_.id, RoundApplication.exchange_id.is_not(None)
            )
            .group_by(RoundApplication.placed_host_id)
        ).all()
    )
    candidates = residency_hosts(index, round_.starts_on, round_.ends_on)
    booked = booked_by_host(
        session,
        [h.id for h in candidates],
        ExchangeKind.RESIDENCY,
        round_.starts_on,
        round_.ends_on,
        outside_round=round_.id,
    )
    hosts = {}
    for host in candidates:
        elsewhere = booked[host.id] - published.get(host.id, 0)
        hosts[host.id] = replace(host, places=max(0, host.places - max(0, elsewhere)))
    return hosts


def suggested_hosts(
    session: Session,
    round_: ResidencyRound,
    hub_id: int,
    choices: int = MAX_HOSTS,
) -> tuple[int, ...]:
    """The hosts the engine suggests to the hub for the round's window, best first."""
    index = current_index(session)
    inputs = residency_inputs(index, round_.starts_on, round_.ends_on, [hub_id], choices)
    return inputs.applicants[0].hosts if inputs.applicants else ()


def application_of(
    session: Session, round_: ResidencyRound, hub_id: int | None
) -> RoundApplication | None:
    if hub_id is None:
        return None
    return session.scalar(
        select(RoundApplication).where(
            RoundApplication.round_id == round_.id, RoundApplication.hub_id == hub_id
        )
    )


def applications_of(session: Session, round_: ResidencyRound) -> list[RoundApplication]:
    """The round's applications, the earliest first (the engine's tie-break order)."""
    return list(
        session.scalars(
            select(RoundApplication)
            .where(RoundApplication.round_id == round_.id)
            .options(selectinload(RoundApplication.hub), selectinload(RoundApplication.placed_host))
            .order_by(RoundApplication.created_at, RoundApplication.id)
        )
    )


def applying_hub(user: User | None) -> Organisation:
    user = signed_in(user)
    if user.role is not Role.MANAGER or user.hub is None:
        raise Forbidden(_("only a hub's manager can apply to a round, for their own hub"))
    return user.hub


@dataclass(frozen=True)
class ApplicationForm:
    """What a manager's application form offers: their hub and its application so far,
    the hosts the engine suggests, the hosts ranked (the application's, or the first
    suggestions), and every host to list (ids, in the form's order)."""

    hub: Organisation
    application: RoundApplication | None
    suggested: tuple[int, ...]
    chosen: list[int]
    candidates: list[int]


def application_form(
    session: Session, user: User | None, round_: ResidencyRound, limit: int = MAX_CANDIDATES
) -> ApplicationForm:
    """The form the user's hub applies with: only a manager, for their own hub; it lists
    the hosts already ranked, then the suggested ones, then the others by name, only
    eligible hosts in the round and never the hub itself (which `apply` would refuse)."""
    hub = applying_hub(user)
    application = application_of(session, round_, hub.id)
    suggested = suggested_hosts(session, round_, hub.id)
    chosen = list(application.hosts) if application else list(suggested[:SUGGESTED])
    eligible = round_hosts(session, round_)
    by_name = sorted(eligible, key=lambda i: eligible[i].name)
    order = [
        i for i in dict.fromkeys([*chosen, *suggested, *by_name]) if i in eligible and i != hub.id
    ][:limit]
    return ApplicationForm(hub, application, suggested, chosen, order)


def suggested_to(session: Session, user: User, round_: ResidencyRound) -> tuple[int, ...] | None:
    """The hosts the engine suggests to the user's hub while the round takes applications;
    None when there is nothing to suggest (no hub of their own, or the round is closed)."""
    if user.hub_id is None or not accepting(round_):
        return None
    return suggested_hosts(session, round_, user.hub_id)


def _open_for_applications(round_: ResidencyRound, today: date) -> None:
    if round_.state is not RoundState.OPEN:
        raise InputError(
            {
                "round": _(
                    "the round '%(round)s' is %(state)s: it takes no applications any more",
                    round=round_.name,
                    state=state_name(round_.state),
                )
            }
        )
    if today > applications_close_on(round_):
        raise InputError(
            {
                "round": _(
                    "applications to '%(round)s' closed on %(day)s",
                    round=round_.name,
                    day=day(applications_close_on(round_)),
                )
            }
        )


RANK_PREFIX = "rank-"


def ranked_slugs(fields: FieldReader) -> list[str]:
    """The hosts a form ranks (`rank-SLUG` = 1, 2...), best first; a blank rank leaves the
    host out, and two hosts given the same rank are refused (which one comes first?)."""
    by_rank: dict[int, list[str]] = {}
    for name in fields.data:
        if not name.startswith(RANK_PREFIX):
            continue
        rank = fields.integer(name, minimum=1, maximum=MAX_HOSTS)
        if rank is not None and fields.fine(name):
            by_rank.setdefault(rank, []).append(name.removeprefix(RANK_PREFIX))
    for rank, slugs in by_rank.items():
        if len(slugs) > 1:
            for slug in slugs:
                others = ", ".join(s for s in slugs if s != slug)
                fields.problem(
                    RANK_PREFIX + slug,
                    _(
                        "rank %(rank)s is also given to %(others)s: give each host its own rank",
                        rank=rank,
                        others=others,
                    ),
                )
    return [slug for rank in sorted(by_rank) for slug in by_rank[rank]]


def _read_hosts(
    session: Session, fields: FieldReader, hub: Organisation, eligible: Mapping[int, Host]
) -> list[int]:
    ranks_given = any(name.startswith(RANK_PREFIX) for name in fields.data)
    slugs = (ranked_slugs(fields) if ranks_given else None) or fields.strings("hosts") or []
    if not slugs:
        fields.problem("hosts", _("rank at least one host"))
    if len(slugs) > MAX_HOSTS:
        fields.problem(
            "hosts",
            ngettext(
                "rank at most %(num)d hosts (this has %(given)s)",
                "rank at most %(num)d hosts (this has %(given)s)",
                MAX_HOSTS,
                given=len(slugs),
            ),
        )
    ids = dict(
        session.execute(
            select(Organisation.slug, Organisation.id).where(Organisation.slug.in_(slugs))
        ).all()
    )
    chosen: list[int] = []
    for slug in slugs:
        host_id = ids.get(slug)
        if host_id is None:
            fields.problem("hosts", _("there is no hub '%(slug)s'", slug=slug))
        elif host_id == hub.id:
            fields.problem("hosts", _("your own hub cannot host your residency"))
        elif host_id not in eligible:
            fields.problem(
                "hosts", _("'%(slug)s' hosts no residencies in this round's window", slug=slug)
            )
        elif host_id in chosen:
            fields.problem("hosts", _("'%(slug)s' is ranked twice", slug=slug))
        else:
            chosen.append(host_id)
    return chosen


def _check_dates_at_hosts(
    session: Session,
    fields: FieldReader,
    round_: ResidencyRound,
    host_ids: Sequence[int],
    starts_on: date,
    ends_on: date,
) -> None:
    """Every ranked host must offer residency places for the whole of the applicant's
    dates, not just somewhere in the round. (Whether a place is still free on them is the
    allocation's question: bookings change until then.)"""
    for host_id in host_ids:
        if covering_windows(session, host_id, ExchangeKind.RESIDENCY, starts_on, ends_on):
            continue
        host = session.get(Organisation, host_id)
        assert host is not None
        spans = [
            _("%(first)s to %(last)s", first=day(w.starts_on), last=day(w.ends_on))
            for w in host.availability
            if w.kind is AvailabilityKind.RESIDENCY
            and w.ends_on >= round_.starts_on
            and w.starts_on <= round_.ends_on
        ]
        values = {"host": host.name, "first": day(starts_on), "last": day(ends_on)}
        if spans:
            problem = _(
                "%(host)s has residency places only %(spans)s, not %(first)s to %(last)s: "
                "rank hosts whose places cover your dates, or change them",
                spans=", ".join(spans),
                **values,
            )
        else:
            problem = _(
                "%(host)s has no residency places in the round, not %(first)s to %(last)s: "
                "rank hosts whose places cover your dates, or change them",
                **values,
            )
        fields.problem("hosts", problem)


def apply(
    session: Session,
    user: User | None,
    round_: ResidencyRound,
    data: Mapping[str, Any],
    now: datetime | None = None,
) -> tuple[RoundApplication, bool]:
    """The manager's application for their hub, new or edited: hosts (slugs, best first),
    dates within the round (required when new: the hosts must have places on them) and a
    message. Returns it and whether it is new. Nothing changes when anything is refused."""
    now = now or datetime.now(UTC)
    hub = applying_hub(user)
    _open_for_applications(round_, now.date())
    fields = FieldReader(data)
    hosts = _read_hosts(session, fields, hub, round_hosts(session, round_))
    earlier = application_of(session, round_, hub.id)
    starts_on = fields.day("starts_on", required=earlier is None) or (
        earlier.starts_on if earlier else round_.starts_on
    )
    ends_on = fields.day("ends_on", required=earlier is None) or (
        earlier.ends_on if earlier else round_.ends_on
    )
    message = fields.text("message", required=True, limit=MAX_MESSAGE) or ""
    within = _(
        "must be within the round, %(first)s to %(last)s",
        first=day(round_.starts_on),
        last=day(round_.ends_on),
    )
    if not round_.starts_on <= starts_on <= round_.ends_on:
        fields.problem("starts_on", within)
    if not round_.starts_on <= ends_on <= round_.ends_on:
        fields.problem("ends_on", within)
    days = (ends_on - starts_on).days + 1
    if "starts_on" not in fields.problems and not SHORTEST <= days <= LONGEST:
        fields.problem(
            "ends_on",
            ngettext(
                "a residency lasts %(shortest)s to %(longest)s days, this is %(num)d day",
                "a residency lasts %(shortest)s to %(longest)s days, this is %(num)d days",
                days,
                shortest=SHORTEST,
                longest=LONGEST,
            ),
        )
    if fields.fine("starts_on", "ends_on"):
        _check_dates_at_hosts(session, fields, round_, hosts, starts_on, ends_on)
        if away := away_problem(session, hub, starts_on, ends_on, outside_round=round_.id):
            fields.problem("starts_on", render(away))
    fields.done()
    application = earlier
    new = application is None
    if application is None:
        application = RoundApplication(round_id=round_.id, hub_id=hub.id)
        session.add(application)
    application.applied_by = user
    application.hosts, application.message = hosts, message
    application.starts_on, application.ends_on = starts_on, ends_on
    session.commit()
    return application, new


def withdraw(
    session: Session, user: User | None, round_: ResidencyRound, now: datetime | None = None
) -> None:
    """The manager takes their hub's application back, while the round takes applications."""
    hub = applying_hub(user)
    application = application_of(session, round_, hub.id)
    if application is None:
        raise NotFound(_("%(hub)s has not applied to '%(round)s'", hub=hub.name, round=round_.name))
    _open_for_applications(round_, (now or datetime.now(UTC)).date())
    session.delete(application)
    session.commit()


def slugs_by_id(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """The slugs of these organisations, in one query."""
    found = select(Organisation.id, Organisation.slug).where(Organisation.id.in_(list(ids)))
    return {int(i): slug for i, slug in session.execute(found).all()}


def host_slugs(session: Session, ids: Sequence[int]) -> list[str]:
    """The slugs of these organisations, in the same order (unknown ids left out)."""
    slugs = slugs_by_id(session, ids)
    return [slugs[i] for i in ids if i in slugs]
