"""The directory page's search: what a visitor reads for a search, the sorts offered to
whom, and a page past the end."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.demo.generator import DEMO_PASSWORD
from matchmaker.hubs.records import ServiceRecord
from matchmaker.models import Role
from tests.support.builders import make_hub, person
from tests.support.web import sign_in

CARD = re.compile(r'<li class="hub-card">\s*<h2><a href="/hubs/([^"]+)"')


def cards(html: str) -> list[str]:
    return CARD.findall(html)


def kilns(session: Session) -> None:
    kiln = (ServiceRecord("fablab", "Kiln firing", "Two electric kilns for ceramics."),)
    make_hub(
        session,
        "clay-works",
        name="Clay Works",
        services=kiln,
        city="Tirana",
        country="AL",
        latitude=41.33,
        longitude=19.82,
    )
    make_hub(session, "kiln-house", name="Kiln House", city="Porto")
    make_hub(session, "paper-mill", name="Paper Mill", services=(), city="Porto")


def test_a_search_reads_services_and_country_names_ranked(
    client: FlaskClient, session: Session
) -> None:
    kilns(session)
    page = client.get("/?q=kilns")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert cards(html) == ["kiln-house", "clay-works"]  # the name above a service
    assert "2 hubs match these filters" in html
    assert '<option value="">Best match</option>' in html
    sort_menu = html[html.index('name="sort"') : html.index("</select>", html.index('name="sort"'))]
    assert " selected>" not in sort_menu
    assert cards(client.get("/?q=albania").get_data(as_text=True)) == ["clay-works"]
    assert cards(client.get("/?q=ALBÁNIA+kiln").get_data(as_text=True)) == ["clay-works"]
    by_name = client.get("/?q=kilns&sort=name").get_data(as_text=True)
    assert cards(by_name) == ["clay-works", "kiln-house"]
    porto = client.get("/?q=porto&country=PT&sort=newest").get_data(as_text=True)
    assert set(cards(porto)) == {"kiln-house", "paper-mill"}


def test_nearest_is_offered_to_a_manager_whose_hub_is_located(
    client: FlaskClient, session: Session
) -> None:
    kilns(session)
    hub = make_hub(
        session, "home-hub", name="Home Hub", city="Lisbon", latitude=38.7, longitude=-9.1
    )
    manager = person(session, "m@example.org", Role.MANAGER, hub=hub)
    manager.set_password(DEMO_PASSWORD)
    anonymous = client.get("/").get_data(as_text=True)
    assert "Nearest to my hub" not in anonymous
    refused = client.get("/?sort=distance")
    assert refused.status_code == 400
    assert "nearest to my hub needs a signed-in hub manager" in refused.get_data(as_text=True)
    sign_in(client, "m@example.org")
    nearest = client.get("/?sort=distance")
    assert nearest.status_code == 200
    html = nearest.get_data(as_text=True)
    assert '<option value="distance" selected>Nearest to my hub</option>' in html
    # Lisbon, then Porto (by name), then Tirana.
    assert cards(html) == ["home-hub", "kiln-house", "paper-mill", "clay-works"]


def test_a_page_past_the_end_says_so_with_a_link_to_the_last(
    client: FlaskClient, session: Session
) -> None:
    kilns(session)
    page = client.get("/?q=porto&page=7")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "Page 7 does not exist: there is 1 page." in html
    assert 'href="/?page=1&amp;q=porto">Go to the last page</a>' in html
    assert cards(html) == []
    nothing = client.get("/?q=xylophone&page=2")
    assert nothing.status_code == 404
    assert "Page 2 does not exist: no hub matches these filters." in nothing.get_data(as_text=True)
