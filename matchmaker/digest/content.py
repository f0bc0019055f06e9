"""What each person's monthly digest says, gathered for a chunk of people at once (a
handful of queries about their hubs and one engine pass for all kinds, not one per
person), so a chunk of 250 takes about a second and a run's chunks share the workers.

A hub manager reads: the best new matches for their hub (never shown before, never
proposed), what waits for them, what is coming up, and how the network moved. A
coordinator reads: residencies waiting for approval, and the rounds with their budget.
Each digest has one call to action; a person with nothing new gets none.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext, ngettext
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.engine import current_index
from matchmaker.hubs.freshness import profile_confirmed_at, profile_is_stale
from matchmaker.i18n.words import KIND_NAMES, Capitalised, Later, LaterDate, LaterDay
from matchmaker.matching.headline import headlines
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.ranking import top_for_all_kinds
from matchmaker.models import (
    Exchange,
    ExchangeFeedback,
    ExchangeParticipant,
    ExchangeState,
    Organisation,
    OrganisationKind,
    ParticipantResponse,
    ResidencyRound,
    Role,
    RoundState,
    SuggestionImpression,
    User,
)
from matchmaker.rounds.funding import spent

S = ExchangeState
MATCHES_PER_DIGEST = 3
CANDIDATES_PER_KIND = 10
UPCOMING_DAYS = 45
EXPIRING_DAYS = 7


@dataclass(frozen=True)
class MatchLine:
    hub_id: int
    name: str
    slug: str
    place: str
    kind: ExchangeKind
    score: float
    reason: str


@dataclass(frozen=True)
class ExchangeLine:
    exchange_id: int
    text: Later  # written in each reader's language when the digest is rendered


@dataclass(frozen=True)
class NetworkMoves:
    new_hubs: int
    completed: int


@dataclass
class DigestContent:
    user: User
    period: str
    network: NetworkMoves
    matches: list[MatchLine] = field(default_factory=list)
    to_answer: list[ExchangeLine] = field(default_factory=list)
    feedback_due: list[ExchangeLine] = field(default_factory=list)
    expiring: list[ExchangeLine] = field(default_factory=list)
    upcoming: list[ExchangeLine] = field(default_factory=list)
    approvals: list[ExchangeLine] = field(default_factory=list)
    rounds: list[tuple[str, Decimal, Decimal, str]] = field(default_factory=list)  # + currency
    # For a manager whose hub's profile was last confirmed over six months ago: the ask.
    stale_profile: Later | None = None

    @property
    def is_empty(self) -> bool:
        """Nothing new for this person: no digest is sent."""
        return not (
            self.matches
            or self.to_answer
            or self.feedback_due
            or self.expiring
            or self.upcoming
            or self.approvals
            or self.stale_profile
        )

    def call_to_action(self) -> tuple[str, str]:
        """The one thing to do first, as (text, path)."""
        if self.approvals:
            count = len(self.approvals)
            return (
                ngettext("Review %(num)d residency", "Review %(num)d residencies", count),
                "/coordination/",
            )
        if self.to_answer:
            count = len(self.to_answer)
            return (
                ngettext("Answer %(num)d proposal", "Answer %(num)d proposals", count),
                "/exchanges",
            )
        if self.expiring:
            return gettext("See your proposals before they expire"), "/exchanges"
        if self.feedback_due:
            return gettext("Give your feedback"), f"/exchanges/{self.feedback_due[0].exchange_id}"
        if self.stale_profile and self.user.hub is not None:
            return gettext("Check your hub's profile"), f"/hubs/{self.user.hub.slug}"
        if self.matches and self.user.hub is not None:
            return (
                gettext("See your new matches"),
                f"/hubs/{self.user.hub.slug}/matches?kind={self.matches[0].kind.value}",
            )
        return gettext("Open matchmaker"), "/"


def period_bounds(period: str) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one, in UTC."""
    start = datetime.strptime(period, "%Y-%m").replace(tzinfo=UTC)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def network_moves(session: Session, period: str) -> NetworkMoves:
    start, end = period_bounds(period)
    new_hubs = (
        session.scalar(
            select(func.count()).where(
                Organisation.kind == OrganisationKind.HUB,
                Organisation.created_at >= start,
                Organisation.created_at < end,
            )
        )
        or 0
    )
    completed = (
        session.scalar(
            select(func.count()).where(
                Exchange.state == S.COMPLETED,
                Exchange.completed_at >= start,
                Exchange.completed_at < end,
            )
        )
        or 0
    )
    return NetworkMoves(new_hubs, completed)


def _new_matches(session: Session, hub_ids: set[int]) -> dict[int, list[MatchLine]]:
    """Per hub, the best matches across kinds that were never shown to it nor proposed."""
    if not hub_ids:
        return {}
    index = current_index(session)
    shown: set[tuple[int, int, str]] = {
        (hub, candidate, kind.value)
        for hub, candidate, kind in session.execute(
            select(
                SuggestionImpression.organisation_id,
                SuggestionImpression.candidate_id,
                SuggestionImpression.kind,
            ).where(SuggestionImpression.organisation_id.in_(hub_ids))
        ).all()
    }
    proposed: set[tuple[int, int]] = set()
    pairs = session.execute(
        select(ExchangeParticipant.exchange_id, ExchangeParticipant.organisation_id).where(
            ExchangeParticipant.exchange_id.in_(_exchanges_of(hub_ids))
        )
    ).all()
    members: dict[int, list[int]] = defaultdict(list)
    for exchange_id, organisation_id in pairs:
        members[exchange_id].append(organisation_id)
    for hubs in members.values():
        proposed |= {(a, b) for a in hubs for b in hubs if a != b}
    found: dict[int, list[tuple[float, int, ExchangeKind]]] = defaultdict(list)
    kinds = list(ExchangeKind)
    queries = [MatchQuery(kind, limit=CANDIDATES_PER_KIND) for kind in kinds]
    # One process: a run shares its people out in chunks, each chunk is one worker's.
    every_top = top_for_all_kinds(index, queries, workers=1, requesters=hub_ids)
    for kind, tops in zip(kinds, every_top, strict=True):
        for hub, candidates in tops.items():
            for candidate, score in candidates:
                if (hub, candidate, kind.value) not in shown and (hub, candidate) not in proposed:
                    found[hub].append((score, candidate, kind))
    return {hub: _lines_for(index, hub, found[hub]) for hub in sorted(found)}


def _lines_for(
    index: MatchIndex, hub: int, found: list[tuple[float, int, ExchangeKind]]
) -> list[MatchLine]:
    """The best `MATCHES_PER_DIGEST` of a hub's new matches, one per candidate."""
    chosen: list[tuple[float, int, ExchangeKind]] = []
    for score, candidate, kind in sorted(found, key=lambda o: (-o[0], o[1], o[2].value)):
        if candidate not in {c for _, c, _ in chosen}:
            chosen.append((score, candidate, kind))
        if len(chosen) == MATCHES_PER_DIGEST:
            break
    positions = [index.position[candidate] for _, candidate, _ in chosen]
    reasons = headlines(index, index.position[hub], positions)
    return [
        MatchLine(
            candidate,
            them.name,
            them.slug,
            f"{them.city + ', ' if them.city else ''}{them.country}",
            kind,
            score,
            reason,
        )
        for (score, candidate, kind), position, reason in zip(
            chosen, positions, reasons, strict=True
        )
        for them in [index.organisations[position]]
    ]


def _exchanges_of(hub_ids: set[int]) -> Select[Any]:
    """The ids of the exchanges any of `hub_ids` takes part in (a subquery)."""
    return select(ExchangeParticipant.exchange_id).where(
        ExchangeParticipant.organisation_id.in_(hub_ids)
    )


def _exchange_lines(
    session: Session, hub_ids: set[int], today: date
) -> dict[str, dict[int, list[ExchangeLine]]]:
    """Per hub: proposals to answer, proposals either side must act on before they expire
    (to answer, or its own still unanswered), feedback due, and exchanges coming up."""
    out: dict[str, dict[int, list[ExchangeLine]]] = {
        "to_answer": defaultdict(list),
        "expiring": defaultdict(list),
        "feedback_due": defaultdict(list),
        "upcoming": defaultdict(list),
    }
    exchanges = session.scalars(
        select(Exchange)
        .where(
            Exchange.state.in_([S.PROPOSED, S.SCHEDULED, S.COMPLETED]),
            Exchange.id.in_(_exchanges_of(hub_ids)),
        )
        .options(selectinload(Exchange.participants).selectinload(ExchangeParticipant.organisation))
    ).all()
    given = set(
        session.execute(
            select(ExchangeFeedback.exchange_id, ExchangeFeedback.organisation_id).where(
                ExchangeFeedback.organisation_id.in_(hub_ids)
            )
        ).all()
    )
    soon = today + timedelta(days=UPCOMING_DAYS)
    expiring_by = today + timedelta(days=EXPIRING_DAYS)
    for exchange in exchanges:
        names = {p.organisation_id: p.organisation.name for p in exchange.participants}
        expires = exchange.expires_at
        expires_soon = expires is not None and today <= expires.date() <= expiring_by
        for part in exchange.participants:
            hub = part.organisation_id
            if hub not in hub_ids:
                continue
            others = ", ".join(n for h, n in names.items() if h != hub)
            kind = KIND_NAMES[exchange.kind]
            if exchange.state is S.PROPOSED and part.response is ParticipantResponse.PENDING:
                out["to_answer"][hub].append(
                    ExchangeLine(
                        exchange.id,
                        Later(
                            "%(hubs)s proposes a %(kind)s, answer by %(day)s",
                            hubs=others,
                            kind=kind,
                            day=LaterDay(expires),
                        )
                        if expires
                        else Later("%(hubs)s proposes a %(kind)s", hubs=others, kind=kind),
                    )
                )
                if expires_soon:
                    out["expiring"][hub].append(
                        ExchangeLine(
                            exchange.id,
                            Later(
                                "The %(kind)s %(hubs)s proposes expires on %(day)s: answer "
                                "it before then",
                                kind=kind,
                                hubs=others,
                                day=LaterDay(expires),  # type: ignore[arg-type]
                            ),
                        )
                    )
            elif exchange.state is S.PROPOSED and part.position == 0 and expires_soon:
                out["expiring"][hub].append(
                    ExchangeLine(
                        exchange.id,
                        Later(
                            "Your %(kind)s proposal to %(hubs)s expires on %(day)s without an "
                            "answer yet",
                            kind=kind,
                            hubs=others,
                            day=LaterDay(expires),  # type: ignore[arg-type]
                        ),
                    )
                )
            elif (
                exchange.state is S.SCHEDULED
                and exchange.starts_on
                and today <= exchange.starts_on <= soon
            ):
                out["upcoming"][hub].append(
                    ExchangeLine(
                        exchange.id,
                        Later(
                            "%(kind)s with %(hubs)s, %(start)s to %(end)s",
                            kind=Capitalised(kind),
                            hubs=others,
                            start=LaterDay(exchange.starts_on),
                            end=LaterDay(exchange.ends_on),  # type: ignore[arg-type]
                        ),
                    )
                )
            elif exchange.state is S.COMPLETED and (exchange.id, hub) not in given:
                out["feedback_due"][hub].append(
                    ExchangeLine(
                        exchange.id, Later("Your %(kind)s with %(hubs)s", kind=kind, hubs=others)
                    )
                )
    return out


def gather(
    session: Session, users: list[User], period: str, today: date | None = None
) -> list[DigestContent]:
    """The digest content of each of `users` for `period` (YYYY-MM): a chunk of a run,
    or one person's preview."""
    today = today or date.today()
    moves = network_moves(session, period)
    managers = [u for u in users if u.role is Role.MANAGER and u.hub_id is not None]
    hub_ids = {u.hub_id for u in managers if u.hub_id is not None}
    matches = _new_matches(session, hub_ids)
    lines = _exchange_lines(session, hub_ids, today)
    approvals: list[ExchangeLine] = []
    rounds: list[tuple[str, Decimal, Decimal, str]] = []
    if any(u.is_coordinator for u in users):
        waiting = session.scalars(
            select(Exchange)
            .where(Exchange.state == S.PENDING_APPROVAL)
            .options(
                selectinload(Exchange.participants).selectinload(ExchangeParticipant.organisation)
            )
        ).all()
        approvals = [
            ExchangeLine(
                e.id,
                Later(
                    "Residency of %(guest)s at %(host)s, %(start)s to %(end)s",
                    guest=e.participants[0].organisation.name,
                    host=e.participants[-1].organisation.name,
                    start=LaterDay(e.starts_on),  # type: ignore[arg-type]
                    end=LaterDay(e.ends_on),  # type: ignore[arg-type]
                ),
            )
            for e in waiting
        ]
        rounds = [
            (r.name, r.budget, spent(session, r), r.currency)
            for r in session.scalars(
                select(ResidencyRound).where(ResidencyRound.state != RoundState.CLOSED)
            )
        ]
    stale = _stale_profiles(session, hub_ids, today)
    contents = []
    for user in users:
        content = DigestContent(user=user, period=period, network=moves)
        if user.role is Role.MANAGER and user.hub_id is not None:
            content.matches = matches.get(user.hub_id, [])
            content.to_answer = lines["to_answer"].get(user.hub_id, [])
            content.feedback_due = lines["feedback_due"].get(user.hub_id, [])
            content.expiring = lines["expiring"].get(user.hub_id, [])
            content.upcoming = lines["upcoming"].get(user.hub_id, [])
            content.stale_profile = stale.get(user.hub_id)
        elif user.is_coordinator:
            content.approvals, content.rounds = approvals, rounds
        contents.append(content)
    return contents


def _stale_profiles(session: Session, hub_ids: set[int], today: date) -> dict[int, Later]:
    """Per hub whose profile is stale (`hubs.freshness`), the digest's ask to confirm it."""
    now = datetime.combine(today, time(), UTC)
    hubs = session.scalars(select(Organisation).where(Organisation.id.in_(hub_ids))).all()
    return {
        hub.id: Later(
            "The profile of %(hub)s was last confirmed on %(day)s. Is it still right? "
            "Confirm it as it is, or correct it",
            hub=hub.name,
            day=LaterDate(profile_confirmed_at(hub)),
        )
        for hub in hubs
        if profile_is_stale(hub, now)
    }
