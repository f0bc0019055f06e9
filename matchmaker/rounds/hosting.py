"""Hosts take part in a round by their own consent: once the allocation places a resident
at a hub, that hub's manager confirms or declines the placement before the round is
published (a coordinator may record the host's answer given by other means: a call, an
email). Publishing waits until every placement is confirmed, so the residency's page tells
the truth when it says the host accepted, and when.

A declined placement leaves the applicant out, saying so; the coordinator may then place
them at another host (`allocation.adjust`), which asks that host in turn.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.accounts.users import managers_of_hubs
from matchmaker.errors import Forbidden, InputError, NotFound
from matchmaker.field_input import FieldReader
from matchmaker.matching.message import said, stored
from matchmaker.models import ResidencyRound, Role, RoundApplication, RoundState, User
from matchmaker.notifications import notify
from matchmaker.permissions import signed_in

CONFIRMED, DECLINED = "confirmed", "declined"
MAX_REASON = 1000


def placements_to_answer(session: Session, user: User | None) -> list[RoundApplication]:
    """The placements at the user's hub in rounds not published yet, answered or not."""
    user = signed_in(user)
    if user.role is not Role.MANAGER or user.hub_id is None:
        return []
    return list(
        session.scalars(
            select(RoundApplication)
            .join(ResidencyRound, ResidencyRound.id == RoundApplication.round_id)
            .where(
                RoundApplication.placed_host_id == user.hub_id,
                ResidencyRound.state == RoundState.ALLOCATED,
            )
            .options(selectinload(RoundApplication.hub), selectinload(RoundApplication.round))
            .order_by(RoundApplication.starts_on, RoundApplication.id)
        )
    )


def answer_placement(
    session: Session,
    user: User | None,
    application_id: int,
    confirm: bool,
    reason: str = "",
    now: datetime | None = None,
) -> RoundApplication:
    """The placed host's manager (or a coordinator for them) confirms or declines."""
    user = signed_in(user)
    application = session.get(RoundApplication, application_id, with_for_update=True)
    is_host = user.role is Role.MANAGER and application is not None
    if application is None or (
        not user.is_coordinator and (not is_host or user.hub_id != application.placed_host_id)
    ):
        if not user.is_coordinator and user.role is not Role.MANAGER:
            raise Forbidden(_("only the host's manager or a coordinator answers a placement"))
        raise NotFound(_("there is no placement number %(id)s at your hub", id=application_id))
    session.refresh(application)  # as it is now, under the lock
    if application.round.state is not RoundState.ALLOCATED or application.placed_host is None:
        raise InputError({"placement": _("this placement is not waiting for its host any more")})
    fields = FieldReader({"reason": reason})
    reason = fields.text("reason", required=not confirm, limit=MAX_REASON) or ""
    fields.done()
    now = now or datetime.now(UTC)
    host = application.placed_host
    application.host_answer = CONFIRMED if confirm else DECLINED
    application.host_answered_at = now
    if not confirm:
        application.placed_host_id, application.cost = None, None
        application.left_out_cause = "host"
        application.outcome = stored(
            said(
                "Left out: %(host)s cannot host this residency (%(reason)s).",
                host=host.name,
                reason=reason,
            )
        )
    coordinators = session.scalars(
        select(User).where(User.role.in_([Role.COORDINATOR, Role.ADMIN]))
    ).all()
    notify(
        session,
        coordinators,
        "placement_answered",
        link=f"/coordination/rounds/{application.round_id}",
        application=application,
        host=host,
        confirmed=confirm,
        reason=reason,
    )
    session.commit()
    return application


def ask_hosts(
    session: Session, round_: ResidencyRound, applications: list[RoundApplication]
) -> None:
    """Tell each placed host's managers that a placement waits for their answer."""
    waiting = [a for a in applications if a.placed_host_id and a.host_answer is None]
    for application in waiting:
        assert application.placed_host_id is not None
        notify(
            session,
            managers_of_hubs(session, [application.placed_host_id]),
            "placement_to_confirm",
            link="/rounds",
            round=round_,
            application=application,
        )


def unconfirmed(applications: list[RoundApplication]) -> list[RoundApplication]:
    """Placements still waiting for their host's yes (published ones are past it)."""
    return [
        a
        for a in applications
        if a.placed_host_id is not None and a.exchange_id is None and a.host_answer != CONFIRMED
    ]
