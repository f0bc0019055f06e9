"""The exchange lifecycle as a state machine (issue 14, "Proof").

Hypothesis plays random sequences of the use cases (propose, accept, decline, withdraw,
expire, approve, reject, apply to a round, withdraw the application, allocate, adjust,
publish, complete, cancel, no-show, feedback) by random people (the managers of four hubs,
a second manager of one of them, an admin, a coordinator, nobody signed
in), usually the right person and often the wrong one, on dates from a small set so that
bookings collide, with a clock that only moves forward. After every step the invariants
below are checked with this module's own queries, never the app's counting helpers:

- a hub never has more proposals waiting than the rules allow;
- every exchange moves only along the lifecycle (design.md section 3), a final state never
  changes, and a step changes only the exchanges it is about;
- no host's desks or residency places are promised twice on any day (agreed exchanges,
  and the places an allocated round's unpublished placements hold);
- a round never spends, nor holds, more than its budget, and each funded residency costs
  the round's price;
- feedback only on completed exchanges, at most one per hub and exchange;
- a hub's people are never the guests of two agreed visits or residencies at once;
- a refused step (InputError, Forbidden, NotFound, SignInRequired) changes nothing.

Any other exception (an IntegrityError, an InvalidTransition, an assertion inside the
code) fails the test. Each example builds its small network inside a SAVEPOINT of the
test's transaction and rolls it back in `teardown`, so every example starts clean.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from matchmaker.engine import INDEXES
from matchmaker.errors import Forbidden, InputError, NotFound, SignInRequired
from matchmaker.exchanges import outcomes, proposals
from matchmaker.exchanges.proposals import ProposalRules
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.models import (
    AvailabilityWindow,
    Exchange,
    ExchangeFeedback,
    ExchangeParticipant,
    ExchangeState,
    Notification,
    Organisation,
    ParticipantRole,
    ResidencyRound,
    Role,
    RoundApplication,
    RoundState,
    User,
)
from matchmaker.rounds import allocation, applications, approvals, publishing
from matchmaker.rounds.opening import open_round
from tests.support.builders import hub, person, window

S = ExchangeState
K = ExchangeKind
T = TypeVar("T")
REFUSALS = (InputError, Forbidden, NotFound, SignInRequired)
RULES = ProposalRules(expiry_days=14, reminder_days=3, max_open=2, min_message=30)
MESSAGE = "We run a FabLab and would love to learn how your hub runs its programme."
REVIEW = {
    "rating": "4",
    "took_place": "true",
    "learned": "How to run open studio days.",
    "collaboration": "false",
    "review": "Kind hosts and a well-run space.",
}

# The lifecycle as design.md tells it, written out here rather than read from the model.
ACCEPTED_TO = {K.RESIDENCY: {S.PENDING_APPROVAL, S.CANCELLED}}
LIFECYCLE: dict[ExchangeState, set[ExchangeState]] = {
    S.PROPOSED: {S.ACCEPTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN},
    S.ACCEPTED: {S.SCHEDULED, S.CANCELLED},
    S.PENDING_APPROVAL: {S.APPROVED, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.SCHEDULED, S.CANCELLED},
    S.SCHEDULED: {S.COMPLETED, S.CANCELLED, S.NO_SHOW},
}
TERMINAL = {S.COMPLETED, S.CANCELLED, S.NO_SHOW, S.DECLINED, S.EXPIRED, S.WITHDRAWN, S.REJECTED}
AGREED = (S.ACCEPTED, S.PENDING_APPROVAL, S.APPROVED, S.SCHEDULED)
SPENT = (S.APPROVED, S.SCHEDULED, S.COMPLETED, S.NO_SHOW)


def moves(kind: ExchangeKind, state: ExchangeState) -> set[ExchangeState]:
    if state is S.ACCEPTED and kind in ACCEPTED_TO:
        return ACCEPTED_TO[kind]
    if kind is not K.RESIDENCY and state in (S.PENDING_APPROVAL, S.APPROVED):
        return set()
    return LIFECYCLE.get(state, set())


def reachable(kind: ExchangeKind, start: ExchangeState, end: ExchangeState) -> bool:
    """Whether one step may take an exchange of `kind` from `start` to `end` (a use case
    may make several moves at once: accepted and waiting for approval, approved and
    scheduled)."""
    seen, todo = {start}, [start]
    while todo:
        for following in moves(kind, todo.pop()):
            if following not in seen:
                seen.add(following)
                todo.append(following)
    return end in seen


# Dates from a small set, so that bookings collide: the start (days after BASE) and the
# length (days, both ends included) of each kind, some of them too long or too short.
TODAY = date.today()
BASE = TODAY + timedelta(days=60)
STARTS = (0, 5, 14, 45)
LENGTHS = {K.SHADOWING: (2, 3, 15), K.HOT_DESKING: (5, 10), K.RESIDENCY: (7, 14, 21, 3)}
KINDS = (K.SHADOWING, K.RESIDENCY, K.RESIDENCY, K.HOT_DESKING)
# The clock: before everything (the round takes applications), a few days into the first
# exchanges (applications closed), a month in, and after everything ended.
CLOCK = tuple(
    datetime.combine(BASE + timedelta(days=days), time(9, tzinfo=UTC)) for days in (-30, 6, 30, 100)
)
ROUND = {
    "name": "Tight residencies",
    "starts_on": BASE.isoformat(),
    "ends_on": (BASE + timedelta(days=89)).isoformat(),
    "applications_close_on": (CLOCK[0].date() + timedelta(days=10)).isoformat(),
    "budget": "450",  # two short residencies, or one long one
    "cost_per_residency": "100",
    "cost_per_week": "50",
}

HUBS = ("atelier", "bottega", "cowork", "depot")
HOSTS = HUBS[:3]  # depot hosts nobody
MANAGERS = {"atelier": ("ada", "abel"), "bottega": ("bea",), "cowork": ("cy",), "depot": ("dee",)}
PEOPLE = ("ada", "abel", "bea", "cy", "dee", "admin", "coordinator", "nobody")
HUB_OF = {name: slug for slug, names in MANAGERS.items() for name in names}


def days_of(start: int, length: int) -> tuple[date, date]:
    first = BASE + timedelta(days=start)
    return first, first + timedelta(days=length - 1)


def price(budget_round: Any, starts_on: date, ends_on: date) -> Decimal:
    """A residency's price: per residency, plus per week begun."""
    weeks = -(-((ends_on - starts_on).days + 1) // 7)
    return Decimal(budget_round.cost_per_residency) + weeks * Decimal(budget_round.cost_per_week)


def usually(fitting: Sequence[T], anything: Sequence[T]) -> st.SearchStrategy[T]:
    """Three times in four one of `fitting` (when there is one), else any of `anything`."""
    if not fitting:
        return st.sampled_from(anything)
    return st.integers(0, 3).flatmap(
        lambda n: st.sampled_from(anything) if n == 3 else st.sampled_from(fitting)
    )


def build_network(session: Session) -> tuple[dict[str, int], dict[str, int], int]:
    """Four hubs: atelier (1 residency place, 1 desk), bottega (2 and 2), cowork (1
    residency place for a month, then 2 in a second window; 1 desk for 45 days) and depot
    (hosts nobody, only travels); their managers (two at atelier), an admin, a coordinator, and an open round with a tight budget."""
    res, desks = AvailabilityKind.RESIDENCY, AvailabilityKind.DESKS
    atelier = hub(session, "atelier", residency_places=1, desks=1)
    atelier.availability.extend([window(res, BASE, 89, 1), window(desks, BASE, 89, 1)])
    bottega = hub(session, "bottega", residency_places=2, desks=2)
    bottega.availability.extend([window(res, BASE, 89, 2), window(desks, BASE, 89, 2)])
    cowork = hub(session, "cowork", residency_places=2, desks=1)
    cowork.availability.extend(
        [
            window(res, BASE, 29, 1),
            window(res, BASE + timedelta(days=30), 59, 2),
            window(desks, BASE, 44, 1),
        ]
    )
    depot = hub(session, "depot", accepts_visits=False)
    hubs = {"atelier": atelier, "bottega": bottega, "cowork": cowork, "depot": depot}
    users = {
        name: person(session, f"{name}@x.org", hub=hubs[slug], name=name.title())
        for slug, names in MANAGERS.items()
        for name in names
    }
    users["admin"] = person(session, "admin@x.org", Role.ADMIN)
    users["coordinator"] = person(session, "coordinator@x.org", Role.COORDINATOR)
    session.commit()
    round_ = open_round(session, users["coordinator"], ROUND)
    return (
        {slug: organisation.id for slug, organisation in hubs.items()},
        {name: user.id for name, user in users.items()},
        round_.id,
    )


class LifecycleMachine(RuleBasedStateMachine):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        session.close()
        connection = session.get_bind()
        assert isinstance(connection, Connection)
        self.savepoint = connection.begin_nested()  # rolled back in teardown
        INDEXES.clear()
        self.hub_ids, self.user_ids, self.round_id = build_network(session)
        self.tick = 0
        self.seen: dict[int, ExchangeState] = {}  # each exchange's state after the last step
        self.expect_new: set[ExchangeState] = set()  # states new exchanges may have
        self.expect_changes: dict[int, set[ExchangeState]] = {}  # exchanges the step moves

    def teardown(self) -> None:
        self.session.close()
        self.savepoint.rollback()
        INDEXES.clear()

    # Helpers

    @property
    def now(self) -> datetime:
        return CLOCK[self.tick]

    def user(self, name: str) -> User | None:
        return None if name == "nobody" else self.session.get(User, self.user_ids[name])

    def hub(self, slug: str) -> Organisation:
        organisation = self.session.get(Organisation, self.hub_ids[slug])
        assert organisation is not None
        return organisation

    def round(self) -> ResidencyRound:
        round_ = self.session.get(ResidencyRound, self.round_id)
        assert round_ is not None
        return round_

    def exchange(self, exchange_id: int) -> Exchange:
        exchange = self.session.get(Exchange, exchange_id)
        assert exchange is not None
        return exchange

    def slug_of(self, hub_id: int) -> str:
        return next(slug for slug, i in self.hub_ids.items() if i == hub_id)

    def managers(self, hub_ids: Iterable[int]) -> list[str]:
        return [name for i in hub_ids for name in MANAGERS[self.slug_of(i)]]

    def parties(self, exchange_id: int) -> list[tuple[int, ParticipantRole]]:
        return [
            (organisation_id, role)
            for organisation_id, role in self.session.execute(
                select(ExchangeParticipant.organisation_id, ExchangeParticipant.role).where(
                    ExchangeParticipant.exchange_id == exchange_id
                )
            )
        ]

    def starter(self, exchange_id: int) -> int | None:
        return self.session.scalar(
            select(User.hub_id)
            .join(Exchange, Exchange.proposed_by_id == User.id)
            .where(Exchange.id == exchange_id)
        )

    def pick_exchange(self, data: st.DataObject, states: Iterable[ExchangeState]) -> int:
        """Usually an exchange in one of `states`, sometimes any."""
        wanted = set(states)
        fitting = sorted(i for i, state in self.seen.items() if state in wanted)
        return data.draw(usually(fitting, sorted(self.seen)), label="exchange")

    def pick_person(self, data: st.DataObject, right: list[str]) -> str:
        """Usually one of the `right` people for the step, sometimes anyone."""
        return data.draw(usually(right, PEOPLE), label="who")

    def some(self, *states: ExchangeState) -> bool:
        """Whether an exchange is in one of `states` (rules about them wait for one)."""
        return any(state in states for state in self.seen.values())

    def applied(self) -> bool:
        """Whether the round has applications (allocating and publishing wait for some,
        or for time to pass, so that examples seldom close the round at once)."""
        return bool(self.session.scalar(select(func.count()).select_from(RoundApplication)))

    def snapshot(self) -> tuple[object, ...]:
        def rows(query: Any) -> tuple[tuple[Any, ...], ...]:
            return tuple(tuple(row) for row in self.session.execute(query))

        def count(model: Any) -> int:
            return self.session.scalar(select(func.count()).select_from(model)) or 0

        return (
            rows(
                select(
                    Exchange.id, Exchange.state, Exchange.round_id, Exchange.cost, Exchange.reason
                ).order_by(Exchange.id)
            ),
            rows(
                select(
                    ExchangeParticipant.exchange_id,
                    ExchangeParticipant.organisation_id,
                    ExchangeParticipant.response,
                ).order_by(ExchangeParticipant.exchange_id, ExchangeParticipant.organisation_id)
            ),
            rows(
                select(
                    RoundApplication.id,
                    RoundApplication.hub_id,
                    RoundApplication.hosts,
                    RoundApplication.starts_on,
                    RoundApplication.ends_on,
                    RoundApplication.placed_host_id,
                    RoundApplication.cost,
                    RoundApplication.outcome,
                    RoundApplication.exchange_id,
                ).order_by(RoundApplication.id)
            ),
            rows(select(ResidencyRound.id, ResidencyRound.state).order_by(ResidencyRound.id)),
            count(ExchangeFeedback),
            count(Notification),
        )

    def attempt(self, step: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a use case: it succeeds, or refuses with one of the app's errors and (once
        the caller rolls back, as the web views do) nothing has changed. Anything else
        escapes and fails the test."""
        before = self.snapshot()
        try:
            return step(self.session, *args, **kwargs)
        except REFUSALS as refusal:
            self.session.rollback()
            self.expect_new, self.expect_changes = set(), {}
            after = self.snapshot()
            assert after == before, f"{step.__name__} refused ({refusal}) but changed {after}"
            return None

    # The one rule: a step chosen with weights among those that can apply now (one rule
    # rather than many, so that hypothesis's swarm testing never switches off answers or
    # approvals for a whole example).

    @rule(data=st.data())
    def step(self, data: st.DataObject) -> None:
        weights: dict[str, int] = {"propose": 4, "expire_and_remind": 1, "apply": 2}
        if self.tick < len(CLOCK) - 1 and len(self.seen) > 2 * self.tick:
            weights["time_passes"] = 1
        if self.some(S.PROPOSED):
            weights |= {"accept": 3, "decline": 1, "withdraw": 1}
        if self.some(S.PENDING_APPROVAL):
            weights |= {"approve": 3, "reject": 1}
        if self.some(*AGREED, S.COMPLETED):
            weights |= {"complete": 2, "cancel": 1, "no_show": 1, "feedback": 2}
        if self.applied():
            weights["withdraw_application"] = 1
        if self.applied() or self.tick > 0:  # else allocating would close the round at once
            weights |= {"allocate": 1, "publish": 1}
        if self.round().state is not RoundState.OPEN:
            weights["adjust"] = 1
        choices = [name for name, weight in weights.items() for _ in range(weight)]
        action = data.draw(st.sampled_from(choices), label="step")
        if action in ("accept", "decline"):
            self.answer(data, accept=action == "accept")
        elif action in ("approve", "reject"):
            self.decide(data, approved=action == "approve")
        elif action in ("time_passes", "expire_and_remind"):
            getattr(self, action)()
        else:
            getattr(self, action)(data)

    def time_passes(self) -> None:
        self.tick += 1

    # The steps

    # Proposals

    def propose(self, data: st.DataObject) -> None:
        kind = data.draw(st.sampled_from(KINDS), label="kind")
        who = self.pick_person(data, list(HUB_OF))
        others = [slug for slug in HOSTS if slug != HUB_OF.get(who)]
        to = data.draw(usually(others, HUBS), label="to")
        start = data.draw(st.sampled_from(STARTS), label="start")
        length = data.draw(st.sampled_from(LENGTHS[kind]), label="length")
        message = data.draw(usually([MESSAGE], ["Hello, can we come?"]), label="message")
        starts_on, ends_on = days_of(start, length)
        fields = {
            "kind": kind.value,
            "message": message,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        }
        self.expect_new = {S.PROPOSED}
        self.attempt(proposals.propose, self.user(who), self.hub(to), fields, RULES, self.now)

    def answer(self, data: st.DataObject, accept: bool) -> None:
        exchange_id = self.pick_exchange(data, [S.PROPOSED])
        starter = self.starter(exchange_id)
        invited = [i for i, _ in self.parties(exchange_id) if i != starter]
        who = self.pick_person(data, self.managers(invited))
        exchange = self.exchange(exchange_id)
        if not accept:
            agreed = S.DECLINED
        elif exchange.kind is K.RESIDENCY:
            agreed = S.PENDING_APPROVAL
        else:
            agreed = S.SCHEDULED
        self.expect_changes = {exchange_id: {agreed}}
        self.attempt(
            proposals.answer,
            self.user(who),
            exchange,
            accept=accept,
            reason="Not in these weeks, sorry.",
            now=self.now,
        )

    def withdraw(self, data: st.DataObject) -> None:
        exchange_id = self.pick_exchange(data, [S.PROPOSED])
        starter = self.starter(exchange_id)
        who = self.pick_person(data, self.managers([starter] if starter else []))
        self.expect_changes = {exchange_id: {S.WITHDRAWN}}
        self.attempt(proposals.withdraw, self.user(who), self.exchange(exchange_id), self.now)

    def expire_and_remind(self) -> None:
        due = self.session.scalars(
            select(Exchange.id).where(Exchange.state == S.PROPOSED, Exchange.expires_at <= self.now)
        ).all()
        self.expect_changes = {i: {S.EXPIRED} for i in due}
        proposals.expire_and_remind(self.session, RULES, self.now)  # never refuses
        late = self.session.scalar(
            select(func.count())
            .select_from(Exchange)
            .where(Exchange.state == S.PROPOSED, Exchange.expires_at <= self.now)
        )
        assert late == 0, "a proposal past its expiry is still waiting"

    # Approvals

    def decide(self, data: st.DataObject, approved: bool) -> None:
        exchange_id = self.pick_exchange(data, [S.PENDING_APPROVAL])
        who = self.pick_person(data, ["coordinator"])
        exchange = self.exchange(exchange_id)
        if approved:
            self.expect_changes = {exchange_id: {S.SCHEDULED}}
            self.attempt(approvals.approve, self.user(who), exchange, self.now)
        else:
            self.expect_changes = {exchange_id: {S.REJECTED}}
            reason = data.draw(
                usually(["The budget is for first-time hubs."], [""]), label="reason"
            )
            self.attempt(approvals.reject, self.user(who), exchange, reason, self.now)

    # The residency round

    def apply(self, data: st.DataObject) -> None:
        who = self.pick_person(data, list(HUB_OF))
        others = [slug for slug in HOSTS if slug != HUB_OF.get(who)]
        ranked = st.lists(usually(others, HUBS), min_size=1, max_size=3)
        hosts = list(dict.fromkeys(data.draw(ranked, label="hosts")))
        start = data.draw(st.sampled_from(STARTS), label="start")
        length = data.draw(st.sampled_from(LENGTHS[K.RESIDENCY]), label="length")
        starts_on, ends_on = days_of(start, length)
        fields = {
            "hosts": hosts,
            "message": MESSAGE,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        }
        self.attempt(applications.apply, self.user(who), self.round(), fields, self.now)

    def withdraw_application(self, data: st.DataObject) -> None:
        who = self.pick_person(data, list(HUB_OF))
        self.attempt(applications.withdraw, self.user(who), self.round(), self.now)

    def allocate(self, data: st.DataObject) -> None:
        who = self.pick_person(data, ["coordinator"])
        self.attempt(allocation.allocate, self.user(who), self.round_id)

    def adjust(self, data: st.DataObject) -> None:
        who = self.pick_person(data, ["coordinator"])
        ids = list(self.session.scalars(select(RoundApplication.id).order_by(RoundApplication.id)))
        application = data.draw(st.sampled_from([*ids, 10**6]), label="application")
        host = data.draw(st.sampled_from([*HUBS, ""]), label="host")
        reason = "" if host else data.draw(usually(["Away then."], [""]), label="reason")
        fields = {"application": str(application), "host": host, "reason": reason}
        self.attempt(allocation.adjust, self.user(who), self.round_id, fields)

    def publish(self, data: st.DataObject) -> None:
        who = self.pick_person(data, ["coordinator"])
        self.expect_new = {S.SCHEDULED}
        self.attempt(publishing.publish, self.user(who), self.round_id, self.now)

    # Afterwards

    def complete(self, data: st.DataObject) -> None:
        exchange_id = self.pick_exchange(data, [S.SCHEDULED])
        who = self.pick_person(data, self.managers(i for i, _ in self.parties(exchange_id)))
        self.expect_changes = {exchange_id: {S.COMPLETED}}
        self.attempt(outcomes.complete, self.user(who), self.exchange(exchange_id), self.now)

    def cancel(self, data: st.DataObject) -> None:
        exchange_id = self.pick_exchange(data, AGREED)
        who = self.pick_person(data, self.managers(i for i, _ in self.parties(exchange_id)))
        reason = data.draw(usually(["Our manager is ill."], [""]), label="reason")
        self.expect_changes = {exchange_id: {S.CANCELLED}}
        self.attempt(outcomes.cancel, self.user(who), self.exchange(exchange_id), reason, self.now)

    def no_show(self, data: st.DataObject) -> None:
        exchange_id = self.pick_exchange(data, [S.SCHEDULED])
        hosting = (ParticipantRole.HOST, ParticipantRole.RING_MEMBER)
        hosts = [i for i, role in self.parties(exchange_id) if role in hosting]
        who = self.pick_person(data, self.managers(hosts))
        self.expect_changes = {exchange_id: {S.NO_SHOW}}
        self.attempt(outcomes.no_show, self.user(who), self.exchange(exchange_id), self.now)

    def feedback(self, data: st.DataObject) -> None:
        exchange_id = self.pick_exchange(data, [S.COMPLETED])
        who = self.pick_person(data, self.managers(i for i, _ in self.parties(exchange_id)))
        fields = data.draw(usually([REVIEW], [{**REVIEW, "rating": "9"}]), label="feedback")
        self.attempt(outcomes.give_feedback, self.user(who), self.exchange(exchange_id), fields)

    # Invariants, each by its own queries

    @invariant()
    def open_proposals_within_the_cap(self) -> None:
        waiting = self.session.execute(
            select(User.hub_id, func.count(Exchange.id))
            .join(Exchange, Exchange.proposed_by_id == User.id)
            .where(Exchange.state == S.PROPOSED, User.hub_id.is_not(None))
            .group_by(User.hub_id)
        ).all()
        for hub_id, count in waiting:
            assert count <= RULES.max_open, f"{self.slug_of(hub_id)} has {count} proposals open"

    @invariant()
    def states_follow_the_lifecycle(self) -> None:
        now = {
            i: (kind, state)
            for i, kind, state in self.session.execute(
                select(Exchange.id, Exchange.kind, Exchange.state)
            )
        }
        assert set(self.seen) <= set(now), "an exchange disappeared"
        for i, (kind, state) in now.items():
            before = self.seen.get(i)
            if before is None:
                assert state in self.expect_new, f"#{i}: a new {kind} exchange is {state}"
                assert reachable(kind, S.PROPOSED, state), f"#{i}: a {kind} cannot be {state}"
            elif before is not state:
                assert before not in TERMINAL, f"#{i}: {before} is final, but now {state}"
                assert reachable(kind, before, state), f"#{i}: {kind} {before} -> {state}"
                assert state in self.expect_changes.get(i, set()), (
                    f"#{i} moved {before} -> {state} in a step not about it"
                )
        self.seen = {i: state for i, (_, state) in now.items()}
        self.expect_new, self.expect_changes = set(), {}

    @invariant()
    def places_never_overbooked(self) -> None:
        """On every day of every window, the agreed exchanges hosted there and the
        unpublished placements of an allocated round take at most its places; and every
        booking lies within a window of its host."""
        windows = self.session.execute(
            select(
                AvailabilityWindow.organisation_id,
                AvailabilityWindow.kind,
                AvailabilityWindow.starts_on,
                AvailabilityWindow.ends_on,
                AvailabilityWindow.places,
            )
        ).all()
        bookings: list[tuple[int, AvailabilityKind, date, date, str]] = []
        for host_id, kind, starts_on, ends_on, exchange_id in self.session.execute(
            select(
                ExchangeParticipant.organisation_id,
                Exchange.kind,
                Exchange.starts_on,
                Exchange.ends_on,
                Exchange.id,
            )
            .join(Exchange, Exchange.id == ExchangeParticipant.exchange_id)
            .where(
                Exchange.state.in_(AGREED),
                Exchange.kind.in_([K.HOT_DESKING, K.RESIDENCY]),
                ExchangeParticipant.role.in_([ParticipantRole.HOST, ParticipantRole.RING_MEMBER]),
            )
        ):
            window_kind = AvailabilityKind.DESKS if kind is K.HOT_DESKING else kind
            bookings.append(
                (host_id, AvailabilityKind(window_kind), starts_on, ends_on, f"#{exchange_id}")
            )
        for host_id, starts_on, ends_on, application_id in self.session.execute(
            select(
                RoundApplication.placed_host_id,
                RoundApplication.starts_on,
                RoundApplication.ends_on,
                RoundApplication.id,
            )
            .join(ResidencyRound, ResidencyRound.id == RoundApplication.round_id)
            .where(
                ResidencyRound.state == RoundState.ALLOCATED,
                RoundApplication.placed_host_id.is_not(None),
                RoundApplication.exchange_id.is_(None),
            )
        ):
            bookings.append(
                (
                    host_id,
                    AvailabilityKind.RESIDENCY,
                    starts_on,
                    ends_on,
                    f"placement {application_id}",
                )
            )
        for host_id, kind, starts_on, ends_on, what in bookings:
            assert any(
                w[0] == host_id and w[1] is kind and w[2] <= starts_on and ends_on <= w[3]
                for w in windows
            ), f"{what} at {self.slug_of(host_id)} is outside its {kind} windows"
        for host_id, kind, first, last, places in windows:
            day = first
            while day <= last:
                there = [
                    what
                    for h, k, starts_on, ends_on, what in bookings
                    if h == host_id and k is kind and starts_on <= day <= ends_on
                ]
                assert len(there) <= places, (
                    f"{self.slug_of(host_id)} has {places} {kind} places on {day}: {there}"
                )
                day += timedelta(days=1)

    @invariant()
    def rounds_within_budget(self) -> None:
        for round_ in self.session.execute(
            select(
                ResidencyRound.id,
                ResidencyRound.state,
                ResidencyRound.budget,
                ResidencyRound.cost_per_residency,
                ResidencyRound.cost_per_week,
            )
        ):
            funded = self.session.execute(
                select(Exchange.id, Exchange.starts_on, Exchange.ends_on, Exchange.cost).where(
                    Exchange.round_id == round_.id, Exchange.state.in_(SPENT)
                )
            ).all()
            for exchange_id, starts_on, ends_on, cost in funded:
                assert cost == price(round_, starts_on, ends_on), f"#{exchange_id} costs {cost}"
            spent = sum((cost for *_, cost in funded), Decimal(0))
            assert spent <= round_.budget, f"round {round_.id} spent {spent} of {round_.budget}"
            held = Decimal(0)
            if round_.state is RoundState.ALLOCATED:
                held = self.session.scalar(
                    select(func.coalesce(func.sum(RoundApplication.cost), 0)).where(
                        RoundApplication.round_id == round_.id,
                        RoundApplication.placed_host_id.is_not(None),
                        RoundApplication.exchange_id.is_(None),
                    )
                ) or Decimal(0)
            assert spent + held <= round_.budget, (
                f"round {round_.id} spent {spent} and holds {held} of {round_.budget}"
            )
        unfunded = self.session.scalar(
            select(func.count())
            .select_from(Exchange)
            .where(
                Exchange.kind == K.RESIDENCY,
                Exchange.state.in_(SPENT),
                (Exchange.round_id.is_(None)) | (Exchange.cost.is_(None)),
            )
        )
        assert unfunded == 0, "an approved residency that no round pays for"

    @invariant()
    def feedback_only_once_and_after_completion(self) -> None:
        given = self.session.execute(
            select(
                ExchangeFeedback.exchange_id, ExchangeFeedback.organisation_id, Exchange.state
            ).join(Exchange, Exchange.id == ExchangeFeedback.exchange_id)
        ).all()
        twice = [key for key, n in Counter((e, o) for e, o, _ in given).items() if n > 1]
        assert not twice, f"feedback given twice: {twice}"
        for exchange_id, organisation_id, state in given:
            assert state is S.COMPLETED, f"feedback on #{exchange_id}, which is {state}"
            assert organisation_id in {i for i, _ in self.parties(exchange_id)}

    @invariant()
    def guests_never_in_two_places(self) -> None:
        away: dict[int, list[tuple[date, date, int]]] = defaultdict(list)
        for guest_id, starts_on, ends_on, exchange_id in self.session.execute(
            select(
                ExchangeParticipant.organisation_id,
                Exchange.starts_on,
                Exchange.ends_on,
                Exchange.id,
            )
            .join(Exchange, Exchange.id == ExchangeParticipant.exchange_id)
            .where(
                ExchangeParticipant.role == ParticipantRole.GUEST,
                Exchange.kind.in_([K.SHADOWING, K.RESIDENCY]),
                Exchange.state.in_(AGREED),
            )
        ):
            away[guest_id].append((starts_on, ends_on, exchange_id))
        for guest_id, trips in away.items():
            trips.sort()
            for (_, first_ends, first), (second_starts, _, second) in pairwise(trips):
                assert first_ends < second_starts, (
                    f"{self.slug_of(guest_id)} is a guest of #{first} and #{second} at once"
                )


MACHINE_SETTINGS = settings(
    max_examples=40,
    stateful_step_count=35,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_the_lifecycle_holds_its_invariants(session: Session) -> None:
    run_state_machine_as_test(lambda: LifecycleMachine(session), settings=MACHINE_SETTINGS)
