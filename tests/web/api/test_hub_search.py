"""The API's hub list: search words, sorts (nearest only for a located hub's manager) and
a page past the end, as documented in the OpenAPI document."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.accounts.tokens import create_token
from matchmaker.hubs.records import ServiceRecord
from matchmaker.models import Role
from matchmaker.web.api.openapi import openapi_document
from tests.support.builders import make_hub, person


def bearer(session: Session, email: str, **fields: object) -> dict[str, str]:
    user = person(session, email, **fields)  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {create_token(session, user, 'tests')[1]}"}


def slugs(client: FlaskClient, query: str, auth: dict[str, str]) -> list[str]:
    response = client.get(f"/api/v1/hubs?{query}", headers=auth)
    assert response.status_code == 200, response.get_json()
    return [hub["slug"] for hub in response.get_json()["hubs"]]


def test_the_hub_list_searches_sorts_and_pages(client: FlaskClient, session: Session) -> None:
    lasers = (ServiceRecord("fablab", "Lasers", "Two CO2 lasers, booked by the hour."),)
    home = make_hub(session, "home", name="Zeta Home", services=(), latitude=38.7, longitude=-9.1)
    make_hub(session, "far", name="Alpha Far", services=lasers, latitude=52.5, longitude=13.4)
    make_hub(session, "near", name="Beta Near", services=lasers, city="København", country="DK")
    manager = bearer(session, "m@example.org", role=Role.MANAGER, hub=home)
    coordinator = bearer(session, "c@example.org", role=Role.COORDINATOR)

    assert slugs(client, "q=laser", coordinator) == ["far", "near"]
    assert slugs(client, "q=kobenhavn+LASER", coordinator) == ["near"]
    assert slugs(client, "q=denmark", coordinator) == ["near"]
    assert slugs(client, "q=laser&sort=distance", manager) == ["near", "far"]  # Porto's coordinates
    assert slugs(client, "sort=name", manager) == ["far", "near", "home"]

    refused = client.get("/api/v1/hubs?sort=distance", headers=coordinator)
    assert refused.status_code == 400 and "sort" in refused.get_json()["fields"]
    unknown = client.get("/api/v1/hubs?sort=size", headers=coordinator)
    assert unknown.status_code == 400 and "sort" in unknown.get_json()["fields"]

    past = client.get("/api/v1/hubs?q=laser&per_page=1&page=5", headers=coordinator).get_json()
    assert past == {"hubs": [], "page": 5, "per_page": 1, "total": 2, "pages": 2}


def test_the_sort_is_documented() -> None:
    parameters = openapi_document()["paths"]["/hubs"]["get"]["parameters"]
    sort = next(p for p in parameters if p["name"] == "sort")
    assert sort["schema"]["enum"] == ["relevance", "name", "newest", "distance"]
