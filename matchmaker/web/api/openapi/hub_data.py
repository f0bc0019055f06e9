"""A hub's logo and profile confirmation in the OpenAPI document (`document.py` merges
it in)."""

from __future__ import annotations

from typing import Any

from matchmaker.web.api.openapi.common import ERRORS, SLUG, json_body, ref

HUB_DATA_PROPERTIES: dict[str, Any] = {
    "profile_confirmed_at": {
        "type": "string",
        "format": "date-time",
        "description": "when its manager last saved the profile or confirmed it unchanged",
    },
    "logo": {
        "type": "object",
        "nullable": True,
        "required": ["url", "thumbnail_url"],
        "properties": {
            "url": {"type": "string", "description": "at most 512 px, WebP"},
            "thumbnail_url": {"type": "string", "description": "at most 96 px, WebP"},
        },
    },
}

PICTURE = {"type": "string", "format": "binary"}

HUB_DATA_PATHS: dict[str, Any] = {
    "/hubs/{slug}/confirm": {
        "parameters": [SLUG],
        "post": {
            "summary": "Confirm your own hub's profile as it is",
            "operationId": "confirm_profile",
            "responses": {"200": json_body(ref("Hub")), **ERRORS},
        },
    },
    "/hubs/{slug}/logo": {
        "parameters": [SLUG],
        "put": {
            "summary": "Upload your own hub's logo or photo (PNG, JPEG or WebP; the body is "
            "the file; at most LOGO_MAX_BYTES and LOGO_MAX_PIXELS); stored resized, without "
            "its metadata",
            "operationId": "upload_logo",
            "requestBody": {
                "required": True,
                "content": {
                    "image/png": {"schema": PICTURE},
                    "image/jpeg": {"schema": PICTURE},
                    "image/webp": {"schema": PICTURE},
                },
            },
            "responses": {
                "200": json_body(ref("Hub")),
                "413": json_body(ref("Error"), "The file is over the limit"),
                **ERRORS,
            },
        },
        "delete": {
            "summary": "Remove your own hub's logo or photo",
            "operationId": "remove_logo",
            "responses": {"204": {"description": "Removed"}, **ERRORS},
        },
    },
}
