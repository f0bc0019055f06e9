"""How much each signal counts, per kind of exchange: the one place to tune the engine.

A suggestion's score is the weighted mean of its signals (each in [0, 1]), times a
repetition factor: 1 / (1 + repeat_penalty × times already shown). Deployments adjust any
weight with the `MATCHING_WEIGHTS` setting (JSON), e.g.
`{"shadowing": {"languages": 0.2}, "hot_desking": {"repeat_penalty": 0.3}}`.

Signals:
- complementarity: their services answer my needs (text similarity of the network's own
  TF-IDF model, plus shared categories); for mutual kinds (hot-desking, project partners)
  the harmonic mean of both directions;
- disciplines: shared creative disciplines (Jaccard);
- languages: a working language in common;
- network: closeness in the collaboration graph (Adamic–Adar over shared projects);
- availability: how much of the wanted period their free desks or places cover
  (hot-desking and residencies);
- collaboration: the partner recommender's score (`partners.py`): past projects together,
  partners of partners, activity in the call's programme part, kind and country fit
  (project partners);
- cross_border: the partner is in another country (project partners);
- feedback: ratings the candidate received in completed exchanges (neutral 0.5 without).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from matchmaker.matching.kinds import ExchangeKind

K = ExchangeKind
SIGNALS = (
    "complementarity",
    "disciplines",
    "languages",
    "network",
    "availability",
    "collaboration",
    "cross_border",
    "feedback",
)
REPEAT_PENALTY = "repeat_penalty"

DEFAULT_WEIGHTS: Mapping[ExchangeKind, Mapping[str, float]] = MappingProxyType(
    {
        # A visit to learn: what they are good at matters most, then being able to talk.
        K.SHADOWING: {
            "complementarity": 0.60,
            "disciplines": 0.10,
            "languages": 0.12,
            "network": 0.08,
            "feedback": 0.10,
            REPEAT_PENALTY: 0.15,
        },
        # A swap is mutual and needs dates that fit on both sides.
        K.HOT_DESKING: {
            "complementarity": 0.40,
            "availability": 0.25,
            "disciplines": 0.12,
            "languages": 0.13,
            "feedback": 0.10,
            REPEAT_PENALTY: 0.15,
        },
        # A funded stay: a host strong in my needs, with places in my window.
        K.RESIDENCY: {
            "complementarity": 0.50,
            "availability": 0.20,
            "disciplines": 0.08,
            "languages": 0.12,
            "feedback": 0.10,
            REPEAT_PENALTY: 0.10,
        },
        # A consortium partner: the recommender's score (proven collaborators, partners of
        # partners, activity in the call's part), complementary competences, and a border
        # to cross. Real consortia lean to partners at home (the recommender, fitted on
        # them, says so); this kind is about cross-border work, so abroad adds a little.
        K.PROJECT_PARTNERS: {
            "collaboration": 0.55,
            "complementarity": 0.22,
            "cross_border": 0.10,
            "disciplines": 0.08,
            "feedback": 0.05,
            REPEAT_PENALTY: 0.05,
        },
    }
)


class WeightsError(ValueError):
    """A weights override names an unknown kind or signal, or a value out of range."""


def merge_weights(
    overrides: Mapping[str, Any] | None,
    base: Mapping[ExchangeKind, Mapping[str, float]] = DEFAULT_WEIGHTS,
) -> dict[ExchangeKind, dict[str, float]]:
    """The default weights with `overrides` ({kind: {signal: weight}}) applied, checked."""
    merged = {kind: dict(weights) for kind, weights in base.items()}
    for kind_name, signals in (overrides or {}).items():
        try:
            kind = ExchangeKind(kind_name)
        except ValueError:
            known = ", ".join(k.value for k in ExchangeKind)
            raise WeightsError(f"unknown exchange kind {kind_name!r} (known: {known})") from None
        if not isinstance(signals, Mapping):
            raise WeightsError(f"{kind_name}: expected an object of signal weights")
        for signal, value in signals.items():
            if signal not in (*SIGNALS, REPEAT_PENALTY):
                known = ", ".join((*SIGNALS, REPEAT_PENALTY))
                raise WeightsError(f"{kind_name}: unknown signal {signal!r} (known: {known})")
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                raise WeightsError(f"{kind_name}.{signal}: must be a number ≥ 0, got {value!r}")
            merged[kind][signal] = float(value)
        if not any(merged[kind].get(s, 0) > 0 for s in SIGNALS):
            raise WeightsError(f"{kind_name}: at least one signal needs a weight above 0")
    return merged
