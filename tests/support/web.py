"""Helpers for tests of the pages and the API: CSRF tokens read from forms, signing in
through the form, and checking a JSON answer against the OpenAPI document's schema."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from openapi_schema_validator import OAS30Validator
from werkzeug.test import TestResponse

from matchmaker.demo.generator import DEMO_PASSWORD
from matchmaker.web.api.openapi import openapi_document

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str = "/sign-in") -> str:
    page = client.get(url)
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, f"no form with a CSRF token at {url} ({page.status_code})"
    return found.group(1)


def sign_in(client: FlaskClient, email: str, password: str = DEMO_PASSWORD) -> TestResponse:
    """Sign in through the form; the answer is the redirect to where signing in lands."""
    response = client.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def post_form(client: FlaskClient, url: str, data: dict[str, object], form_page: str = "/"):
    """POST a form with a valid CSRF token (read from `form_page`, which must hold a form)."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, form_page)})


def valid(schema_name: str, data: object) -> None:
    """Raise unless `data` matches the OpenAPI document's schema of that name."""
    document = openapi_document()
    OAS30Validator(
        {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    ).validate(data)
