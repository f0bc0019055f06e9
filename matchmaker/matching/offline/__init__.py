"""Offline checks of the engine, never used when serving: the slow pair-by-pair reference
implementation the fast engine is tested against (`reference`), and the evaluation of
partner suggestions on held-out EU projects (`evaluation`)."""
