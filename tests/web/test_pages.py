import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.support.builders import make_hub


def test_the_home_page_lists_the_hubs(client: FlaskClient, session: Session) -> None:
    make_hub(session, "yeast-house", city="Porto")
    make_hub(session, "kiln-athens", country="GR", city="Athens", is_member=False)
    make_hub(session, "no-space", has_physical_space=False, country="GB", city="Cardiff")
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "3 hubs in 3 countries" in html
    assert "Yeast House" in html and "Porto, Portugal" in html
    assert "Athens, Greece" in html and "Cardiff, United Kingdom" in html
    assert html.count("regular member") == 1 and html.count("associate member") == 1
    assert "2 services · 1 need · 12 desks" in html


def test_hubs_are_paged(client: FlaskClient, session: Session) -> None:
    for number in range(35):
        make_hub(session, f"hub-{number:02d}")
    first = client.get("/").get_data(as_text=True)
    second = client.get("/?page=2").get_data(as_text=True)
    assert len(re.findall(r'class="hub-card"', first)) == 30
    assert len(re.findall(r'class="hub-card"', second)) == 5
    assert "Page 2 of 2" in second
    past = client.get("/?page=99")
    assert past.status_code == 404
    text = past.get_data(as_text=True)
    assert "Page 99 does not exist: there are 2 pages." in text
    assert 'href="/?page=2"' in text
    assert client.get("/?page=abc").status_code == 200


def test_user_text_is_escaped(client: FlaskClient, session: Session) -> None:
    make_hub(session, "script-hub", name="<script>alert(1)</script>")
    html = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_an_empty_network_says_how_to_start(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "No hubs yet" in html and "seed-demo" in html


def test_an_unknown_page_is_a_friendly_404(client: FlaskClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "Page not found" in page.get_data(as_text=True)


def test_static_styles_are_served_by_the_app(client: FlaskClient) -> None:
    with client.get("/static/style.css") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"


def test_a_huge_page_number_says_it_does_not_exist_not_an_error(client: FlaskClient) -> None:
    response = client.get("/?page=99999999999999999999")
    assert response.status_code == 404
    assert "does not exist" in response.get_data(as_text=True)
