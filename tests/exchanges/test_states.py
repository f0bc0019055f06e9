"""The exchange state machine, move by move: for every kind, every (from, to) pair of
states is either an allowed move (it happens) or refused with InvalidTransition (nothing
changes)."""

from __future__ import annotations

import pytest

from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import Exchange, ExchangeState
from matchmaker.models.exchange import FINAL_STATES, TRANSITIONS, InvalidTransition

MOVES = [
    (kind, start, end) for kind in ExchangeKind for start in ExchangeState for end in ExchangeState
]


@pytest.mark.parametrize(
    ("kind", "start", "end"), MOVES, ids=[f"{k.value}:{s.value}->{e.value}" for k, s, e in MOVES]
)
def test_each_move_is_allowed_or_refused(kind, start, end):
    exchange = Exchange(kind=kind, state=start)
    if end in TRANSITIONS[kind].get(start, frozenset()):
        exchange.move_to(end, "a reason")
        assert exchange.state is end and exchange.reason == "a reason"
    else:
        with pytest.raises(InvalidTransition, match=f"from {start.value} to {end.value}"):
            exchange.move_to(end, "a reason")
        assert exchange.state is start and not exchange.reason


def test_only_residencies_wait_for_approval_and_final_states_lead_nowhere():
    for kind, moves in TRANSITIONS.items():
        waits = ExchangeState.PENDING_APPROVAL in moves[ExchangeState.ACCEPTED]
        assert waits is (kind is ExchangeKind.RESIDENCY)
        assert not FINAL_STATES & set(moves)
