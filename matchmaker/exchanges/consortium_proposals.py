"""A consortium the engine found (`suggestions.plans.plan_consortium`) turned into
project-partner proposals to its member hubs in one step: one proposal per member hub,
from the manager's own hub, all made or none.

Members that are not hubs of the platform (universities, public bodies: CORDIS partners)
have no manager to answer; they are named back so the manager contacts them directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.errors import Forbidden
from matchmaker.exchanges.builder import check_open_proposals
from matchmaker.exchanges.proposals import ProposalRules, _own_hub, read_message, write_proposal
from matchmaker.field_input import FieldReader
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import Exchange, Organisation, OrganisationKind, User

MAX_MEMBERS = 50  # as many as a call may ask for (suggestions.plans.MAX_MEMBERS)


@dataclass(frozen=True)
class ConsortiumProposals:
    exchanges: list[Exchange]
    not_on_platform: list[Organisation]  # members to contact directly


def propose_consortium(
    session: Session,
    user: User | None,
    hub: Organisation,
    data: Mapping[str, Any],
    rules: ProposalRules,
    now: datetime | None = None,
) -> ConsortiumProposals:
    """`data`: `members` (the consortium's slugs, the user's hub among them) and
    `message` (to every member). Refused whole, with every problem, or made whole."""
    now = now or datetime.now(UTC)
    mine = _own_hub(user)
    if mine.id != hub.id:
        raise Forbidden(_("only the hub's own manager proposes its consortium"))
    fields = FieldReader(data)
    slugs = list(dict.fromkeys(fields.strings("members") or []))
    message = read_message(fields, rules)
    if len(slugs) > MAX_MEMBERS:
        fields.problem("members", _("a consortium has at most %(most)d members", most=MAX_MEMBERS))
    found = {
        o.slug: o for o in session.scalars(select(Organisation).where(Organisation.slug.in_(slugs)))
    }
    for slug in slugs:
        if slug not in found:
            fields.problem("members", _("there is no organisation '%(slug)s'", slug=slug))
    members = [found[slug] for slug in slugs if slug in found and found[slug].id != mine.id]
    invited = [o for o in members if o.kind is OrganisationKind.HUB]
    if not invited:
        fields.problem("members", _("the consortium has no other hub of the network to ask"))
    if fields.fine("members") and invited:
        with fields.gather():
            check_open_proposals(session, mine, rules.max_open, "members", adding=len(invited))
    fields.done()
    names = ", ".join(o.name for o in [mine, *members])
    explanation = f"Proposed as a partner of a consortium for a funding call: {names}."
    made = [
        write_proposal(
            session,
            user,
            mine,
            other,
            ExchangeKind.PROJECT_PARTNERS,
            (None, None),
            message,
            rules,
            now,
            explanation,
        )
        for other in invited
    ]
    session.commit()
    return ConsortiumProposals(made, [o for o in members if o.kind is not OrganisationKind.HUB])
