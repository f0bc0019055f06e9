"""The OpenAPI 3 document of /api/v1. A test checks that it lists exactly the API's
routes and methods, and that responses match the schemas it declares."""

from __future__ import annotations

from typing import Any

from matchmaker.exchanges.listing import Waiting, When
from matchmaker.hubs.records import ENTRY_TITLE_LIMIT, MAX_PLACES
from matchmaker.hubs.search import HubSort
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind, NeedPriority
from matchmaker.matching.query import MAX_LIMIT
from matchmaker.models import ExchangeState
from matchmaker.web.api.openapi.common import (
    ERRORS,
    NULLABLE_STRING,
    SLUG,
    STRING,
    json_body,
    query_parameter,
    ref,
)
from matchmaker.web.api.openapi.coordination import COORDINATION_PATHS, COORDINATION_SCHEMAS
from matchmaker.web.api.openapi.hub_data import HUB_DATA_PATHS, HUB_DATA_PROPERTIES
from matchmaker.web.api.openapi.rounds import ROUND_PATHS, ROUND_SCHEMAS

# The actions of POST /exchanges/{id}/{action}, in the order the API lists them.
ACTIONS = ("accept", "decline", "withdraw", "complete", "cancel", "no-show", "approve", "reject")


FILTERS = [
    query_parameter(
        "q",
        STRING,
        "words, each found somewhere in the hub's name, city, country name, description,"
        " disciplines, services or needs (case and accents ignored; a word matches the"
        " start of a word, plurals as singulars)",
    ),
    query_parameter("country", STRING, "ISO 3166-1 alpha-2 code"),
    query_parameter("discipline", STRING, "discipline slug"),
    query_parameter("category", STRING, "service category slug"),
    query_parameter(
        "hosts",
        {"type": "string", "enum": ["shadowing", "hot_desking", "residency"]},
        "only hubs that host this kind of exchange",
    ),
]

# Nullable where it is inlined: OpenAPI 3.0 ignores `nullable` beside a $ref.
GIVEN_FEEDBACK = {
    "type": "object",
    "required": ["hub", "review"],
    "properties": {
        "hub": STRING,
        "review": STRING,
        "rating": {
            "type": "integer",
            "minimum": 1,
            "maximum": 5,
            "description": "your own, or a coordinator",
        },
        "took_place": {"type": "boolean"},
        "learned": STRING,
        "collaboration": {"type": "boolean"},
    },
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": STRING, "message": STRING},
    },
    "InputError": {
        "type": "object",
        "required": ["error", "fields", "errors"],
        "description": "Every problem of the input at once: `fields` has one text per field "
        "(several reasons joined by '; '), `errors` each reason apart.",
        "properties": {
            "error": STRING,
            "fields": {"type": "object", "additionalProperties": STRING},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "reason"],
                    "properties": {"field": STRING, "reason": STRING},
                },
            },
        },
    },
    "Service": {
        "type": "object",
        "required": ["id", "category", "title", "description"],
        "properties": {
            "id": {"type": "integer"},
            "category": STRING,
            "title": {"type": "string", "maxLength": ENTRY_TITLE_LIMIT},
            "description": STRING,
            "language": {
                **NULLABLE_STRING,
                "description": "ISO 639-1 code of the text's language, given or detected",
            },
        },
    },
    "Need": {
        "type": "object",
        "required": ["id", "category", "title", "description", "priority"],
        "properties": {
            "id": {"type": "integer"},
            "category": STRING,
            "title": {"type": "string", "maxLength": ENTRY_TITLE_LIMIT},
            "description": STRING,
            "language": {
                **NULLABLE_STRING,
                "description": "ISO 639-1 code of the text's language, given or detected",
            },
            "priority": {"type": "string", "enum": list(NeedPriority)},
        },
    },
    "Window": {
        "type": "object",
        "required": ["id", "kind", "starts_on", "ends_on", "places", "note"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": list(AvailabilityKind)},
            "starts_on": {"type": "string", "format": "date"},
            "ends_on": {"type": "string", "format": "date"},
            "places": {"type": "integer", "minimum": 1, "maximum": MAX_PLACES},
            "note": STRING,
        },
    },
    "Hub": {
        "type": "object",
        "required": ["slug", "name", "country"],
        "properties": {
            "slug": STRING,
            "name": STRING,
            "city": NULLABLE_STRING,
            "country": STRING,
            "latitude": {"type": "number", "nullable": True},
            "longitude": {"type": "number", "nullable": True},
            "website": NULLABLE_STRING,
            "founded_year": {"type": "integer", "nullable": True},
            "description": STRING,
            "disciplines": {"type": "array", "items": STRING},
            "languages": {"type": "array", "items": STRING},
            "desks": {"type": "integer"},
            "residency_places": {"type": "integer"},
            "accepts_visits": {"type": "boolean"},
            "membership": {
                "type": "string",
                "nullable": True,
                "enum": ["regular", "associate", None],
            },
            "services": {"type": "array", "items": ref("Service")},
            "needs": {"type": "array", "items": ref("Need")},
            "availability": {"type": "array", "items": ref("Window")},
            **HUB_DATA_PROPERTIES,
        },
    },
    "HubChanges": {
        "type": "object",
        "description": "Only the fields to change.",
        "properties": {
            name: {}
            for name in (
                "name",
                "city",
                "country",
                "latitude",
                "longitude",
                "website",
                "founded_year",
                "description",
                "disciplines",
                "languages",
                "desks",
                "residency_places",
                "accepts_visits",
            )
        },
    },
    "EntryInput": {
        "type": "object",
        "properties": {
            "category": STRING,
            "title": STRING,
            "description": STRING,
            "priority": {"type": "string", "enum": list(NeedPriority)},
            "language": {
                "type": "string",
                "description": "ISO 639-1 code; detected from the text when not given",
            },
        },
    },
    "WindowInput": {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": list(AvailabilityKind)},
            "starts_on": {"type": "string", "format": "date"},
            "ends_on": {"type": "string", "format": "date"},
            "places": {"type": "integer"},
            "note": STRING,
        },
    },
    "Exchange": {
        "type": "object",
        "required": ["id", "kind", "state", "participants", "contacts"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": list(ExchangeKind)},
            "state": {"type": "string", "enum": list(ExchangeState)},
            "starts_on": {"type": "string", "format": "date", "nullable": True},
            "ends_on": {"type": "string", "format": "date", "nullable": True},
            "message": STRING,
            "reason": STRING,
            "expires_at": {"type": "string", "format": "date-time", "nullable": True},
            "waits_for": {
                "type": "string",
                "enum": [*Waiting, None],  # OpenAPI 3.0: a nullable enum lists null
                "nullable": True,
                "description": "what the exchange waits for from you: your hub's answer, "
                "its feedback, or (a coordinator) your approval",
            },
            "participants": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"hub": STRING, "role": STRING, "response": STRING},
                },
            },
            "contacts": {
                "type": "array",
                "description": "once agreed",
                "items": {
                    "type": "object",
                    "properties": {"hub": STRING, "name": STRING, "email": STRING},
                },
            },
            "feedback": {
                "type": "object",
                "description": "once completed",
                "properties": {
                    "mine": {**GIVEN_FEEDBACK, "nullable": True},
                    "others": {
                        "type": "array",
                        "items": ref("GivenFeedback"),
                        "description": "their reviews, once revealed",
                    },
                    "revealed": {"type": "boolean"},
                },
            },
        },
    },
    "GivenFeedback": GIVEN_FEEDBACK,
    "Proposal": {
        "type": "object",
        "required": ["kind", "message"],
        "properties": {
            "kind": {"type": "string", "enum": list(ExchangeKind)},
            "starts_on": {"type": "string", "format": "date"},
            "ends_on": {"type": "string", "format": "date"},
            "message": STRING,
        },
    },
    "Feedback": {
        "type": "object",
        "required": ["rating", "review"],
        "properties": {
            "rating": {"type": "integer", "minimum": 1, "maximum": 5},
            "took_place": {"type": "boolean"},
            "learned": STRING,
            "collaboration": {"type": "boolean"},
            "review": STRING,
        },
    },
    "Consortia": {
        "type": "object",
        "required": ["hub", "call", "method", "reason", "consortia"],
        "properties": {
            "hub": STRING,
            "method": STRING,
            "reason": STRING,
            "candidates": {"type": "integer"},
            "call": {"type": "object"},
            "consortia": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["members", "score", "eligible", "missing", "explanation"],
                    "properties": {
                        "members": {"type": "array", "items": STRING},
                        "score": {"type": "number"},
                        "eligible": {"type": "boolean"},
                        "missing": {"type": "array", "items": STRING},
                        "explanation": STRING,
                    },
                },
            },
        },
    },
    "SwapRings": {
        "type": "object",
        "required": ["starts_on", "ends_on", "reason", "rings"],
        "properties": {
            "starts_on": {"type": "string", "format": "date"},
            "ends_on": {"type": "string", "format": "date"},
            "reason": STRING,
            "rings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["hubs", "starts_on", "ends_on", "explanation", "legs"],
                    "properties": {
                        "hubs": {"type": "array", "items": STRING},
                        "starts_on": {"type": "string", "format": "date"},
                        "ends_on": {"type": "string", "format": "date"},
                        "weight": {"type": "number"},
                        "explanation": STRING,
                        "legs": {"type": "array", "items": {"type": "object"}},
                        "proposal": {
                            "type": "integer",
                            "nullable": True,
                            "description": "the open proposal of it",
                        },
                    },
                },
            },
        },
    },
    "Suggestions": {
        "type": "object",
        "required": ["kind", "hub", "suggestions"],
        "properties": {
            "kind": {"type": "string", "enum": list(ExchangeKind)},
            "hub": STRING,
            "reason": NULLABLE_STRING,
            "notes": {"type": "array", "items": STRING},
            "eligible": {"type": "integer"},
            "suggestions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["slug", "name", "score", "reasons"],
                    "properties": {
                        "slug": STRING,
                        "name": STRING,
                        "country": STRING,
                        "city": NULLABLE_STRING,
                        "score": {"type": "number", "minimum": 0, "maximum": 1},
                        "signals": {"type": "object", "additionalProperties": {"type": "number"}},
                        "reasons": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["kind", "text"],
                                "properties": {"kind": STRING, "text": STRING},
                            },
                        },
                    },
                },
            },
        },
    },
}


def _entry_paths(kind: str, schema: str) -> dict[str, Any]:
    item = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    return {
        f"/hubs/{{slug}}/{kind}": {
            "parameters": [SLUG],
            "get": {
                "summary": f"The hub's {kind}",
                "operationId": f"list_{kind}",
                "responses": {"200": json_body({"type": "array", "items": ref(schema)}), **ERRORS},
            },
            "post": {
                "summary": f"Add one of your hub's {kind}",
                "operationId": f"add_{kind}",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": ref("WindowInput" if schema == "Window" else "EntryInput")
                        }
                    },
                },
                "responses": {"201": json_body(ref(schema), "Created"), **ERRORS},
            },
        },
        f"/hubs/{{slug}}/{kind}/{{item_id}}": {
            "parameters": [SLUG, item],
            "get": {
                "summary": f"One of the hub's {kind}",
                "operationId": f"get_{kind}",
                "responses": {"200": json_body(ref(schema)), **ERRORS},
            },
            "patch": {
                "summary": "Change it (only the fields sent)",
                "operationId": f"change_{kind}",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": ref("WindowInput" if schema == "Window" else "EntryInput")
                        }
                    },
                },
                "responses": {"200": json_body(ref(schema)), **ERRORS},
            },
            "delete": {
                "summary": "Remove it",
                "operationId": f"remove_{kind}",
                "responses": {"204": {"description": "Removed"}, **ERRORS},
            },
        },
    }


EXCHANGE_ID = {"name": "exchange_id", "in": "path", "required": True, "schema": {"type": "integer"}}
ACTION_DOC = (
    "accept or decline (the invited hub), withdraw (the proposer), complete or cancel "
    "(either hub), no-show (the host), approve or reject (a coordinator). decline, "
    'cancel and reject take {"reason": ...}; cancel and reject require it.'
)
EXCHANGE_PATHS: dict[str, Any] = {
    "/exchanges": {
        "get": {
            "summary": "Your hub's exchanges (a coordinator's: all)",
            "operationId": "list_exchanges",
            "parameters": [
                query_parameter(
                    "waiting", {"type": "boolean"}, "only those waiting for you (1 or true)"
                ),
                query_parameter(
                    "when",
                    {"type": "string", "enum": list(When)},
                    "upcoming (agreed, not over, soonest first) or past (over or ended)",
                ),
                query_parameter("kind", {"type": "string", "enum": list(ExchangeKind)}, "one kind"),
            ],
            "responses": {"200": json_body({"type": "array", "items": ref("Exchange")}), **ERRORS},
        }
    },
    "/hubs/{slug}/proposals": {
        "post": {
            "summary": "Propose an exchange to this hub",
            "operationId": "propose",
            "parameters": [SLUG],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("Proposal")}},
            },
            "responses": {"201": json_body(ref("Exchange"), "Proposed"), **ERRORS},
        }
    },
    "/exchanges/{exchange_id}": {
        "get": {
            "summary": "One exchange",
            "operationId": "get_exchange",
            "parameters": [EXCHANGE_ID],
            "responses": {"200": json_body(ref("Exchange")), **ERRORS},
        }
    },
    "/exchanges/{exchange_id}/calendar.ics": {
        "get": {
            "summary": "The exchange's calendar file (iCalendar), once it is agreed and dated",
            "operationId": "exchange_calendar",
            "parameters": [EXCHANGE_ID],
            "responses": {
                "200": {
                    "description": "One event with a stable UID, its SEQUENCE and STATUS",
                    "content": {"text/calendar": {"schema": STRING}},
                },
                **ERRORS,
            },
        }
    },
    "/exchanges/{exchange_id}/{action}": {
        "post": {
            "summary": "Move the exchange on",
            "description": ACTION_DOC,
            "operationId": "exchange_action",
            "parameters": [
                EXCHANGE_ID,
                {
                    "name": "action",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "enum": list(ACTIONS)},
                },
            ],
            "requestBody": {
                "required": False,
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {"reason": STRING}}
                    }
                },
            },
            "responses": {"200": json_body(ref("Exchange")), **ERRORS},
        }
    },
    "/exchanges/{exchange_id}/feedback": {
        "post": {
            "summary": "Your hub's feedback on a completed exchange",
            "operationId": "feedback",
            "parameters": [EXCHANGE_ID],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("Feedback")}},
            },
            "responses": {"201": json_body({"type": "object"}, "Saved"), **ERRORS},
        }
    },
    "/hubs/{slug}/consortia": {
        "post": {
            "summary": "Consortium proposals around this hub for a call, with eligibility",
            "operationId": "consortia",
            "parameters": [SLUG],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["min_partners", "min_countries"],
                            "properties": {
                                "min_partners": {"type": "integer", "minimum": 2, "maximum": 50},
                                "min_countries": {"type": "integer", "minimum": 1, "maximum": 50},
                                "max_size": {"type": "integer", "minimum": 2, "maximum": 50},
                                "competences": {
                                    "type": "array",
                                    "items": STRING,
                                    "description": "service-category or discipline slugs",
                                },
                                "part": STRING,
                                "top": {"type": "integer", "minimum": 1, "maximum": 5},
                            },
                        }
                    }
                },
            },
            "responses": {"200": json_body(ref("Consortia")), **ERRORS},
        }
    },
    "/hubs/{slug}/consortia/proposals": {
        "post": {
            "summary": "Ask a consortium's partners: one project-partner proposal from your "
            "hub to each hub among the members, all made or none",
            "operationId": "propose_consortium",
            "parameters": [SLUG],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["members", "message"],
                            "properties": {
                                "members": {
                                    "type": "array",
                                    "items": STRING,
                                    "description": "the consortium's slugs (yours among them)",
                                },
                                "message": STRING,
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": json_body(
                    {
                        "type": "object",
                        "required": ["exchanges", "not_on_platform"],
                        "properties": {
                            "exchanges": {"type": "array", "items": ref("Exchange")},
                            "not_on_platform": {"type": "array", "items": STRING},
                        },
                    },
                    "Sent",
                ),
                **ERRORS,
            },
        }
    },
    "/swap-rings": {
        "get": {
            "summary": "The swap plan's rings for a period that you may propose (a "
            "coordinator: all; a manager: those with their hub)",
            "operationId": "swap_rings",
            "parameters": [
                {
                    "name": "starts_on",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "format": "date"},
                },
                {
                    "name": "ends_on",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "format": "date"},
                    "description": "at most 92 days after starts_on",
                },
            ],
            "responses": {"200": json_body(ref("SwapRings")), **ERRORS},
        },
        "post": {
            "summary": "Propose a ring of the period's plan: every hub in it must accept",
            "operationId": "propose_swap_ring",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["starts_on", "ends_on", "hubs", "message"],
                            "properties": {
                                "starts_on": {"type": "string", "format": "date"},
                                "ends_on": {"type": "string", "format": "date"},
                                "hubs": {
                                    "type": "array",
                                    "items": STRING,
                                    "minItems": 2,
                                    "maxItems": 4,
                                    "description": "the ring's hub slugs, in ring order",
                                },
                                "message": STRING,
                            },
                        }
                    }
                },
            },
            "responses": {"201": json_body(ref("Exchange"), "Proposed"), **ERRORS},
        },
    },
    "/notifications": {
        "get": {
            "summary": "Your inbox",
            "operationId": "notifications",
            "responses": {
                "200": json_body({"type": "array", "items": {"type": "object"}}),
                **ERRORS,
            },
        }
    },
}


def openapi_document() -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/me": {
            "get": {
                "summary": "Who the token belongs to",
                "operationId": "me",
                "responses": {"200": json_body({"type": "object"}), **ERRORS},
            }
        },
        "/hubs": {
            "get": {
                "summary": "The network's hubs, with search, filters and a sort",
                "description": (
                    "A page past the last answers an empty `hubs` list with `total` and"
                    " `pages`, so a client sees how many there are."
                ),
                "operationId": "list_hubs",
                "parameters": [
                    *FILTERS,
                    query_parameter(
                        "sort",
                        {"type": "string", "enum": list(HubSort)},
                        "relevance (the default with q: name hits first, then place,"
                        " disciplines, description, services, needs), name (the default"
                        " without q), newest, or distance (nearest to your own hub first:"
                        " only for a token whose user has a hub with a location, else 400)",
                    ),
                    query_parameter("page", {"type": "integer", "minimum": 1}, "page number"),
                    query_parameter(
                        "per_page",
                        {"type": "integer", "minimum": 1, "maximum": 100},
                        "hubs per page",
                    ),
                ],
                "responses": {
                    "200": json_body(
                        {
                            "type": "object",
                            "properties": {
                                "hubs": {"type": "array", "items": ref("Hub")},
                                "page": {"type": "integer"},
                                "per_page": {"type": "integer"},
                                "total": {"type": "integer"},
                                "pages": {"type": "integer"},
                            },
                        }
                    ),
                    **ERRORS,
                },
            }
        },
        "/hubs/{slug}": {
            "parameters": [SLUG],
            "get": {
                "summary": "A hub's profile with services, needs and availability",
                "operationId": "get_hub",
                "responses": {"200": json_body(ref("Hub")), **ERRORS},
            },
            "patch": {
                "summary": "Change your own hub's profile (only the fields sent)",
                "operationId": "change_hub",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("HubChanges")}},
                },
                "responses": {"200": json_body(ref("Hub")), **ERRORS},
            },
        },
        **_entry_paths("services", "Service"),
        **_entry_paths("needs", "Need"),
        **_entry_paths("availability", "Window"),
        "/hubs/{slug}/suggestions": {
            "get": {
                "summary": "Ranked, explained suggestions of one kind for a hub",
                "operationId": "suggestions",
                "parameters": [
                    SLUG,
                    {
                        "name": "kind",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "enum": list(ExchangeKind)},
                    },
                    query_parameter(
                        "country", STRING, "candidates in this country (repeat or comma list)"
                    ),
                    query_parameter("discipline", STRING, "candidates in this discipline"),
                    query_parameter("language", STRING, "candidates working in this language"),
                    query_parameter(
                        "max_km",
                        {"type": "number", "minimum": 0, "exclusiveMinimum": True},
                        "maximum distance",
                    ),
                    query_parameter(
                        "starts_on", {"type": "string", "format": "date"}, "period start"
                    ),
                    query_parameter("ends_on", {"type": "string", "format": "date"}, "period end"),
                    query_parameter(
                        "part", STRING, "programme part (call topic) for project partners"
                    ),
                    query_parameter(
                        "limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}, "how many"
                    ),
                ],
                "responses": {"200": json_body(ref("Suggestions")), **ERRORS},
            }
        },
        **EXCHANGE_PATHS,
        **ROUND_PATHS,
        **COORDINATION_PATHS,
        **HUB_DATA_PATHS,
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "matchmaker API",
            "version": "1",
            "description": "Hub profiles and explained matches. Authenticate with a personal "
            "API token from your account page: `Authorization: Bearer mm_...`.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"token": []}],
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {**SCHEMAS, **ROUND_SCHEMAS, **COORDINATION_SCHEMAS},
        },
        "paths": paths,
    }
