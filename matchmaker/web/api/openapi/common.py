"""Pieces every part of the OpenAPI document uses: references, JSON bodies, query
parameters and the error answers."""

from __future__ import annotations

from typing import Any


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": json_body(ref("InputError"), "Invalid input: each field with its reason"),
    "401": json_body(ref("Error"), "No valid API token"),
    "403": json_body(ref("Error"), "Not allowed for this user"),
    "404": json_body(ref("Error"), "No such hub or item"),
}
STRING = {"type": "string"}
NULLABLE_STRING = {"type": "string", "nullable": True}
SLUG = {"name": "slug", "in": "path", "required": True, "schema": STRING}


def query_parameter(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }
