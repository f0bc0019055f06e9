"""The coordinators' part of the OpenAPI document (`openapi.py` merges it in)."""

from __future__ import annotations

from typing import Any

from matchmaker.web.api.openapi.common import (
    ERRORS,
    NULLABLE_STRING,
    STRING,
    json_body,
    query_parameter,
    ref,
)

DAY = {"type": "string", "format": "date"}
NULLABLE_NUMBER = {"type": "number", "nullable": True}
COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
SERIES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["month", "counts"],
        "properties": {"month": STRING, "counts": COUNTS},
    },
}

COORDINATION_SCHEMAS: dict[str, Any] = {
    "Approval": {
        "type": "object",
        "required": [
            "exchange",
            "round",
            "cost",
            "budget_left",
            "host_places",
            "host_places_taken",
        ],
        "properties": {
            "exchange": ref("Exchange"),
            "round": {**NULLABLE_STRING, "description": "the round funding these dates"},
            "cost": NULLABLE_STRING,
            "budget_left": NULLABLE_STRING,
            "host_places": {"type": "integer"},
            "host_places_taken": {"type": "integer"},
        },
    },
    "Impact": {
        "type": "object",
        "required": [
            "by_kind_and_state",
            "by_month_and_kind",
            "completion_rate",
            "collaborations",
            "budget",
        ],
        "properties": {
            "from": {**DAY, "nullable": True},
            "to": {**DAY, "nullable": True},
            "by_kind_and_state": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"kind": STRING, "state": STRING, "count": {"type": "integer"}},
                },
            },
            "by_month_and_kind": SERIES,
            "by_month_and_state": SERIES,
            "completed_by_month": COUNTS,
            "country_pairs": COUNTS,
            "country_pairs_by_month": SERIES,
            "disciplines": COUNTS,
            "disciplines_by_month": SERIES,
            "completion_rate": NULLABLE_NUMBER,
            "mean_rating": NULLABLE_NUMBER,
            "satisfied_share": NULLABLE_NUMBER,
            "cross_border_share": NULLABLE_NUMBER,
            "collaborations": {"type": "integer"},
            "budget": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"round": STRING, "budget": STRING, "used": STRING},
                },
            },
        },
    },
}

COORDINATION_PATHS: dict[str, Any] = {
    "/approvals": {
        "get": {
            "summary": "Residencies waiting for approval, with the round's budget left and the "
            "host's places (coordinators)",
            "operationId": "approvals",
            "responses": {"200": json_body({"type": "array", "items": ref("Approval")}), **ERRORS},
        }
    },
    "/impact": {
        "get": {
            "summary": "The network's impact figures, for all time or a period (coordinators)",
            "operationId": "impact",
            "parameters": [
                query_parameter("from", DAY, "exchanges starting on or after this day"),
                query_parameter("to", DAY, "exchanges starting on or before this day"),
            ],
            "responses": {"200": json_body(ref("Impact")), **ERRORS},
        }
    },
}
