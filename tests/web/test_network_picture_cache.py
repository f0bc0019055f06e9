"""The network pictures' JSON over HTTP: a strong ETag from the data's version and the
filters, 304 without computing, a new ETag and new content after an edit, public caching
headers without cookies, the cache switched off. (Concurrent requests:
test_network_picture_concurrency.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.hubs import pictures
from matchmaker.hubs.picture_cache import PictureCache
from matchmaker.models import Organisation
from tests.support.english_demo import seed_demo_in_english
from tests.support.web import sign_in

PICTURES = ["/network/graph.json", "/network/map.json"]


@pytest.fixture
def cache(app: Flask) -> PictureCache:
    """The app's picture cache, emptied: tests share the app and its instance folder."""
    with app.app_context():
        found = pictures.picture_cache()
    assert found is not None
    found.clear()
    return found


@pytest.fixture
def network(session: Session) -> None:
    seed_demo_in_english(session, hubs=16, seed=7)


@pytest.mark.parametrize("path", PICTURES)
def test_a_picture_has_a_strong_etag_and_is_answered_304_without_computing(
    client: Any, cache: PictureCache, network: None, path: str
) -> None:
    first = client.get(path)
    assert first.status_code == 200 and first.mimetype == "application/json"
    etag, weak = first.get_etag()
    assert etag and not weak
    assert first.headers["Cache-Control"] == "public, no-cache"
    assert "Set-Cookie" not in first.headers
    assert cache.computations == 1

    cache.clear()  # not even the stored picture is needed to say it has not changed
    for header in (f'"{etag}"', f'W/"{etag}"', f'"other", "{etag}"'):
        again = client.get(path, headers={"If-None-Match": header})
        assert again.status_code == 304 and again.get_data() == b""
        assert again.get_etag() == (etag, False)
        assert again.headers["Cache-Control"] == "public, no-cache"
    assert cache.computations == 0

    stale = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.get_data() == first.get_data()
    assert cache.computations == 1


def test_everyone_gets_the_same_picture(client: Any, cache: PictureCache, network: None) -> None:
    anonymous = client.get("/network/graph.json")
    sign_in(client, "manager1@example.org")
    signed_in = client.get("/network/graph.json")
    assert signed_in.get_data() == anonymous.get_data()
    assert signed_in.get_etag() == anonymous.get_etag()
    assert cache.computations == 1
    # A response to a request with cookies might carry one: no shared cache may keep it.
    assert signed_in.headers["Cache-Control"] == "private, no-cache"
    assert anonymous.headers["Cache-Control"] == "public, no-cache"


def test_an_edit_gives_a_new_etag_and_new_content(
    client: Any, session: Session, cache: PictureCache, network: None
) -> None:
    before = {path: client.get(path) for path in PICTURES}
    hub = session.scalars(select(Organisation).where(Organisation.kind == "hub")).first()
    assert hub is not None
    hub.name = "Renamed Studio Collective"
    session.commit()
    for path, old in before.items():
        assert "Renamed Studio Collective" not in old.get_data(as_text=True)
        after = client.get(path, headers={"If-None-Match": f'"{old.get_etag()[0]}"'})
        assert after.status_code == 200
        assert after.get_etag()[0] != old.get_etag()[0]
        assert "Renamed Studio Collective" in after.get_data(as_text=True)
    assert "Renamed Studio Collective" in client.get("/network/map").get_data(as_text=True)


def test_each_filter_is_a_picture_of_its_own(
    client: Any, cache: PictureCache, network: None
) -> None:
    whole = client.get("/network/map.json")
    portugal = client.get("/network/map.json?country=PT")
    assert whole.get_etag() != portugal.get_etag()
    assert {h["country"] for h in portugal.get_json()["hubs"]} <= {"PT"}
    assert client.get("/network/map.json?country=PT").get_data() == portugal.get_data()
    assert cache.computations == 2


def test_bad_filters_are_refused_before_anything_is_computed(
    client: Any, cache: PictureCache, network: None
) -> None:
    response = client.get("/network/graph.json?hosts=teleport")
    assert response.status_code == 400 and cache.computations == 0


def test_without_the_cache_every_request_computes_and_nothing_is_kept(
    app: Flask, client: Any, cache: PictureCache, network: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PICTURE_CACHE", False)
    first, second = client.get("/network/graph.json"), client.get("/network/graph.json")
    assert first.get_data() == second.get_data()
    assert first.get_etag() == (None, None) and first.headers["Cache-Control"] == "no-store"
    assert cache.computations == 0
