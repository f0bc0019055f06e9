"""A hub manager's home: what waits for them (answers with their deadlines, ring proposals
among them, feedback due, placements to confirm, round applications closing soon, a
stale profile), what is coming up (with the calendar file), and a few fresh suggestions
of each kind. Read only: opening the page changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from matchmaker.exchanges.listing import ExchangeFilters, Waiting, When, listed_exchanges
from matchmaker.exchanges.proposals import is_ring
from matchmaker.hubs.freshness import profile_confirmed_at, profile_is_stale
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.ranking import Suggestion
from matchmaker.models import Exchange, Organisation, ResidencyRound, RoundApplication, User
from matchmaker.rounds.applications import (
    accepting,
    application_of,
    applications_close_on,
    visible_rounds,
)
from matchmaker.rounds.hosting import placements_to_answer
from matchmaker.suggestions.matches import suggestions_for

ROUND_CLOSING_DAYS = 30  # a round's deadline this close shows among what waits
UPCOMING_LISTED = 10
SUGGESTIONS_PER_KIND = 3


@dataclass(frozen=True)
class ToAnswer:
    exchange: Exchange
    ring: bool  # a group proposal: every hub answers

    @property
    def deadline(self) -> datetime | None:
        return self.exchange.expires_at


@dataclass(frozen=True)
class RoundClosing:
    round: ResidencyRound
    closes_on: date
    application: RoundApplication | None  # the hub's, if it applied


@dataclass
class ManagerHome:
    hub: Organisation
    to_answer: list[ToAnswer] = field(default_factory=list)
    feedback_due: list[Exchange] = field(default_factory=list)
    placements: list[RoundApplication] = field(default_factory=list)
    rounds_closing: list[RoundClosing] = field(default_factory=list)
    stale_since: datetime | None = None  # the profile's last confirmation, when stale
    upcoming: list[Exchange] = field(default_factory=list)
    suggestions: dict[ExchangeKind, list[Suggestion]] = field(default_factory=dict)

    @property
    def waiting(self) -> int:
        """How many things wait for the manager."""
        return (
            len(self.to_answer)
            + len(self.feedback_due)
            + len(self.placements)
            + len(self.rounds_closing)
            + (self.stale_since is not None)
        )


def manager_home(session: Session, user: User, now: datetime | None = None) -> ManagerHome:
    """The home of a manager (`user.hub` set; the view sends others elsewhere)."""
    assert user.hub is not None, "a manager's home needs their hub"
    now = now or datetime.now(UTC)
    today = now.date()
    home = ManagerHome(user.hub)
    for exchange, waits in listed_exchanges(session, user, ExchangeFilters(waiting=True), today):
        if waits is Waiting.ANSWER:
            home.to_answer.append(ToAnswer(exchange, is_ring(exchange)))
        elif waits is Waiting.FEEDBACK:
            home.feedback_due.append(exchange)
    far = datetime.max.replace(tzinfo=UTC)
    home.to_answer.sort(key=lambda item: (item.deadline or far, item.exchange.id))
    home.placements = [p for p in placements_to_answer(session, user) if p.host_answer is None]
    soon = today + timedelta(days=ROUND_CLOSING_DAYS)
    for round_ in visible_rounds(session, user):
        closes_on = applications_close_on(round_)
        if accepting(round_, today) and closes_on <= soon:
            home.rounds_closing.append(
                RoundClosing(round_, closes_on, application_of(session, round_, user.hub_id))
            )
    home.rounds_closing.sort(key=lambda item: item.closes_on)
    if profile_is_stale(user.hub, now):
        home.stale_since = profile_confirmed_at(user.hub)
    upcoming = listed_exchanges(session, user, ExchangeFilters(when=When.UPCOMING), today)
    home.upcoming = [exchange for exchange, _ in upcoming[:UPCOMING_LISTED]]
    home.suggestions = fresh_suggestions(session, user.hub)
    return home


def fresh_suggestions(session: Session, hub: Organisation) -> dict[ExchangeKind, list[Suggestion]]:
    """The best few suggestions of each kind, through the suggestions use case; not
    counted as shown (a glance at the home page is not a match request)."""
    found = {}
    for kind in ExchangeKind:
        query = MatchQuery(kind, limit=SUGGESTIONS_PER_KIND)
        found[kind] = list(suggestions_for(session, hub.id, query, record=False).items)
    return found
