"""The residency rounds' part of the OpenAPI document (`openapi.py` merges it in)."""

from __future__ import annotations

from typing import Any

from matchmaker.models import RoundState
from matchmaker.web.api.openapi.common import (
    ERRORS,
    NULLABLE_STRING,
    STRING,
    json_body,
    ref,
)

DAY = {"type": "string", "format": "date"}
MONEY = {"type": "string", "description": "a decimal amount, e.g. 1200.00"}
ROUND_ID = {"name": "round_id", "in": "path", "required": True, "schema": {"type": "integer"}}

# Inlined where nullable: OpenAPI 3.0 ignores `nullable` beside a $ref (or in allOf).
APPLICATION: dict[str, Any] = {
    "type": "object",
    "required": ["id", "hub", "hosts", "starts_on", "ends_on", "message", "outcome"],
    "properties": {
        "id": {"type": "integer"},
        "hub": STRING,
        "hosts": {"type": "array", "items": STRING, "description": "hub slugs, best first"},
        "starts_on": DAY,
        "ends_on": DAY,
        "message": STRING,
        "created_at": {"type": "string", "format": "date-time"},
        "outcome": {
            "type": "object",
            "nullable": True,
            "description": "after the allocation: for the applicant once published",
            "properties": {
                "placed_at": NULLABLE_STRING,
                "cost": NULLABLE_STRING,
                "left_out": NULLABLE_STRING,
                "text": STRING,
                "exchange": {"type": "integer", "nullable": True},
                "host_answer": {
                    "type": "string",
                    "nullable": True,
                    "enum": ["confirmed", "declined", None],
                    "description": "the placed host's consent, asked before publishing",
                },
            },
        },
    },
}

PLACEMENT_ID = {
    "name": "placement_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
    "description": "the placed application's id",
}
PLACEMENT: dict[str, Any] = {
    "type": "object",
    "required": ["id", "round", "hub", "starts_on", "ends_on", "host_answer"],
    "properties": {
        "id": {"type": "integer"},
        "round": {"type": "integer"},
        "round_name": STRING,
        "hub": {"type": "string", "description": "the resident's hub (slug)"},
        "starts_on": DAY,
        "ends_on": DAY,
        "message": STRING,
        "host_answer": {
            "type": "string",
            "nullable": True,
            "enum": ["confirmed", "declined", None],
        },
    },
}

PREVIEW: dict[str, Any] = {
    "type": "object",
    "description": "What running the allocation would give now; nothing is stored.",
    "required": ["round", "placed", "cost", "budget", "budget_left", "explanation", "rows"],
    "properties": {
        "round": {"type": "integer"},
        "placed": {"type": "integer"},
        "cost": MONEY,
        "budget": MONEY,
        "budget_left": MONEY,
        "currency": STRING,
        "explanation": STRING,
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["hub", "starts_on", "ends_on", "host", "cost", "outcome"],
                "properties": {
                    "hub": STRING,
                    "starts_on": DAY,
                    "ends_on": DAY,
                    "host": NULLABLE_STRING,
                    "choice": {"type": "integer", "nullable": True},
                    "cost": NULLABLE_STRING,
                    "outcome": STRING,
                },
            },
        },
    },
}

ROUND_SCHEMAS: dict[str, Any] = {
    "AllocationPreview": PREVIEW,
    "RoundApplication": APPLICATION,
    "Placement": PLACEMENT,
    "Round": {
        "type": "object",
        "required": [
            "id",
            "name",
            "starts_on",
            "ends_on",
            "state",
            "applications_close_on",
            "accepting_applications",
            "budget",
        ],
        "properties": {
            "id": {"type": "integer"},
            "name": STRING,
            "description": STRING,
            "starts_on": DAY,
            "ends_on": DAY,
            "applications_close_on": DAY,
            "accepting_applications": {"type": "boolean"},
            "state": {"type": "string", "enum": list(RoundState)},
            "budget": MONEY,
            "cost_per_residency": MONEY,
            "cost_per_week": MONEY,
            "currency": {**STRING, "description": "ISO 4217 code of the budget and costs"},
            "published_at": {"type": "string", "format": "date-time", "nullable": True},
            "application": {**APPLICATION, "nullable": True, "description": "your hub's"},
            "suggested_hosts": {
                "type": "array",
                "items": STRING,
                "description": "a manager, while the round is open: the "
                "engine's hosts for your hub, best first",
            },
            "budget_not_spent": MONEY,
            "placed_cost": MONEY,
            "budget_left": MONEY,
            "applications": {
                "type": "array",
                "items": ref("RoundApplication"),
                "description": "a coordinator: every application",
            },
            "hosts": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "name": STRING,
                        "places": {"type": "integer"},
                        "placed": {"type": "integer"},
                    },
                },
            },
            "exchanges": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "publish: the residencies it made",
            },
        },
    },
    "ApplicationInput": {
        "type": "object",
        "required": ["hosts", "message"],
        "properties": {
            "hosts": {
                "type": "array",
                "items": STRING,
                "maxItems": 10,
                "description": "hub slugs, best first",
            },
            "starts_on": DAY,
            "ends_on": DAY,
            "message": STRING,
        },
    },
    "Adjustment": {
        "type": "object",
        "required": ["application"],
        "properties": {
            "application": {"type": "integer"},
            "host": {
                "type": "string",
                "description": "a host's slug; empty: leave the applicant out",
            },
            "reason": {"type": "string", "description": "required when leaving out"},
        },
    },
}


def _action(summary: str, operation: str, request: str | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "summary": summary,
        "operationId": operation,
        "parameters": [ROUND_ID],
        "responses": {"200": json_body(ref("Round")), **ERRORS},
    }
    if request:
        doc["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(request)}},
        }
    return {"post": doc}


ROUND_PATHS: dict[str, Any] = {
    "/rounds": {
        "get": {
            "summary": "The residency rounds, with your hub's application",
            "operationId": "list_rounds",
            "responses": {"200": json_body({"type": "array", "items": ref("Round")}), **ERRORS},
        }
    },
    "/rounds/{round_id}": {
        "get": {
            "summary": "One round (a coordinator: with every application and its outcome)",
            "operationId": "get_round",
            "parameters": [ROUND_ID],
            "responses": {"200": json_body(ref("Round")), **ERRORS},
        }
    },
    "/rounds/{round_id}/application": {
        "parameters": [ROUND_ID],
        "post": {
            "summary": "Apply for your hub, or change your application (until the deadline)",
            "operationId": "apply",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("ApplicationInput")}},
            },
            "responses": {
                "201": json_body(ref("RoundApplication"), "Applied"),
                "200": json_body(ref("RoundApplication"), "Changed"),
                **ERRORS,
            },
        },
        "delete": {
            "summary": "Withdraw your hub's application (until the deadline)",
            "operationId": "withdraw_application",
            "responses": {"204": {"description": "Withdrawn"}, **ERRORS},
        },
    },
    "/rounds/{round_id}/allocate": _action(
        "Run the allocation over the applications (a coordinator)", "allocate_round"
    ),
    "/rounds/{round_id}/allocation-preview": {
        "get": {
            "summary": "What running the allocation would give now, with applications left "
            "open and nothing stored (a coordinator)",
            "operationId": "preview_allocation",
            "parameters": [ROUND_ID],
            "responses": {"200": json_body(ref("AllocationPreview")), **ERRORS},
        }
    },
    "/rounds/{round_id}/adjust": _action(
        "Move, add or remove a placement within budget and places (a coordinator)",
        "adjust_round",
        "Adjustment",
    ),
    "/rounds/{round_id}/publish": _action(
        "Schedule the placements and tell every applicant; again: nothing more (every placed "
        "host must have confirmed)",
        "publish_round",
    ),
    "/rounds/placements": {
        "get": {
            "summary": "Residents placed at your hub by rounds not yet published",
            "operationId": "list_placements",
            "responses": {
                "200": json_body({"type": "array", "items": ref("Placement")}),
                **ERRORS,
            },
        }
    },
    "/rounds/placements/{placement_id}/confirm": {
        "post": {
            "summary": "Your hub hosts this resident (its manager, or a coordinator for it)",
            "operationId": "confirm_placement",
            "parameters": [PLACEMENT_ID],
            "responses": {"200": json_body(ref("Placement")), **ERRORS},
        }
    },
    "/rounds/placements/{placement_id}/decline": {
        "post": {
            "summary": "Your hub cannot host this resident, with the reason",
            "operationId": "decline_placement",
            "parameters": [PLACEMENT_ID],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["reason"],
                            "properties": {"reason": STRING},
                        }
                    }
                },
            },
            "responses": {"200": json_body(ref("Placement")), **ERRORS},
        }
    },
}
