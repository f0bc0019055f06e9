"""The costliest signals of single requesters, kept for their next queries.

A requester's text answers (both ways) and closeness in the collaboration graph are row
products against the whole network: most of the scoring of a query. They depend on
the index's arrays only, not on the kind, the filters or what was shown, so a manager
who looks at one kind of exchange and then another, or comes back, finds them computed.
An index starts with an empty store; the engine's door hands the store of the index it
replaces on to a newer one whose arrays are the very same (a rename, a proposal:
`engine.store.load_after`), and never otherwise.

Bounded in bytes: the requesters asked least recently go first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

# Which signals are kept (see `signals.base_signals`): the others cost less to compute
# than to hold.
KEPT = frozenset({"answers_my_needs", "answers_their_needs", "network"})
# Per process: at 10,000 hubs a requester's rows take up to 176 KB (the text answers are
# float32, closeness float64), so this holds the last 90 or so requesters (64 MB at most
# for four web workers).
BUDGET_BYTES = 16 * 1024 * 1024


class KeptSignals:
    """Signal rows by (requester row, signal name), least recently used first out. Rows
    are read-only: a caller that wrote into one would change later answers."""

    def __init__(self, budget_bytes: int = BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self._lock = threading.Lock()  # a threaded web worker's requests share it
        self._rows: OrderedDict[tuple[int, str], np.ndarray] = OrderedDict()
        self._bytes = 0

    def get(self, row: int, name: str, compute: Callable[[], np.ndarray]) -> np.ndarray:
        key = (row, name)
        with self._lock:
            found = self._rows.get(key)
            if found is not None:
                self._rows.move_to_end(key)
                return found
        value = compute()
        value.flags.writeable = False
        with self._lock:
            if key not in self._rows:
                self._rows[key] = value
                self._bytes += value.nbytes
                while self._bytes > self.budget_bytes and self._rows:
                    _, dropped = self._rows.popitem(last=False)
                    self._bytes -= dropped.nbytes
        return value

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def held_bytes(self) -> int:
        return self._bytes
