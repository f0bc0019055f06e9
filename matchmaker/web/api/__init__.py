"""The JSON API under /api/v1, one module per feature over the same use cases as the pages;
`blueprint` authenticates and `openapi` documents every endpoint."""

from matchmaker.web.api import (  # noqa: F401 (their routes join the blueprint)
    coordination,
    exchanges,
    hubs,
    rounds,
    swap_rings,
)
from matchmaker.web.api.blueprint import api

__all__ = ["api"]
