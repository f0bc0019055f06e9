"""The hubs' pages in the reader's language: the directory with its search, a hub's page
and its forms, the network pictures and the impact dashboard read in French and
Ukrainian, with the taxonomies' names, plurals in each language's forms, form and API
errors and a CSV import's errors naming the row and column in the reader's words."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlalchemy.orm import Session

from matchmaker.accounts.tokens import create_token
from matchmaker.hubs.csv_file import read_hubs_csv
from matchmaker.hubs.records import Taxonomy
from matchmaker.models import Organisation, Role, User
from tests.support.builders import make_hub, person
from tests.support.web import post_form

HEADINGS = re.compile(r"<(h1|h2|h3|legend|label|th|button|summary)\b[^>]*>(.*?)</\1>", re.S)
TAGS = re.compile(r"<[^>]+>")


def headings(html: str) -> set[str]:
    """The page's own words (not the layout's): its headings, labels, buttons, table heads."""
    main = html.split('<main id="main">')[1].split("</main>")[0]
    found = {" ".join(TAGS.sub(" ", text).split()) for _tag, text in HEADINGS.findall(main)}
    return {text for text in found if re.search(r"[A-Za-z]{3}", text)}


def page(client: FlaskClient, path: str, language: str = "en") -> str:
    answer = client.get(path, headers={"Accept-Language": language})
    assert answer.status_code in (200, 400), (path, answer.status_code)
    return answer.get_data(as_text=True)


def english_left(client: FlaskClient, path: str, language: str, keep: set[str]) -> set[str]:
    """The English page's headings, labels and buttons still found in the other language
    (names of hubs and the like, which stay as written, are in `keep`)."""
    translated = page(client, path, language)
    return {text for text in headings(page(client, path)) - keep if f">{text}<" in translated}


def signed_in(client: FlaskClient, user: User) -> FlaskClient:
    with client.session_transaction() as cookie:
        cookie["_user_id"] = user.get_id()
    return client


@pytest.fixture
def porto(session: Session) -> Organisation:
    hub = make_hub(session, "yeast-house", city="Porto", latitude=41.15, longitude=-8.61)
    make_hub(session, "kiln-athens", country="GR", city="Athens", is_member=False)
    session.commit()
    return hub


def test_the_directory_in_french_and_ukrainian(client: FlaskClient, porto: Organisation) -> None:
    french = page(client, "/", "fr")
    assert "<h1>Les hubs du réseau</h1>" in french and "2 hubs dans 2 pays." in french
    assert "Tous les pays" in french and "Trier par" in french and "Grèce" in french
    # The taxonomy and the kinds of exchange are named in French, sorted as French sorts.
    assert '<span class="tag">Artisanat</span>' in french and "membre titulaire" in french
    assert french.index(">Édition<") < french.index(">Jeux vidéo<")
    assert "Visite d&#39;observation" in french and "2 services · 1 besoin" in french
    ukrainian = page(client, "/?q=laser", "uk")
    assert "<h1>Хаби мережі</h1>" in ukrainian and "Будь-яка дисципліна" in ukrainian
    assert "2 хаби відповідають цим фільтрам" in ukrainian and "Ремесла" in ukrainian
    for language in ("fr", "uk"):
        keep = {"Yeast House", "Kiln Athens", "Discipline"}  # "Discipline" is French too
        assert english_left(client, "/", language, keep) == set()


def test_counts_take_each_languages_plural_forms(
    client: FlaskClient, session: Session, porto: Organisation
) -> None:
    for desks, words in ((1, "1 робоче місце"), (3, "3 робочі місця"), (5, "5 робочих місць")):
        porto.desks = desks
        session.commit()
        assert f"{words} для обміну" in page(client, "/hubs/yeast-house", "uk")
    assert "5 Arbeitsplätze zum Tauschen" in page(client, "/hubs/yeast-house", "de")
    for number in range(3):
        make_hub(session, f"more-{number}", country="UA")
    session.commit()
    assert "5 хабів у 3 країнах." in page(client, "/", "uk")
    assert "5 hubs dans 3 pays." in page(client, "/", "fr")


def test_a_hubs_page_in_french_and_ukrainian(client: FlaskClient, porto: Organisation) -> None:
    french = page(client, "/hubs/yeast-house", "fr")
    assert "Ce qu'il propose (2)" in french and "fondé en 2012" in french
    assert "priorité haute" in french and "FabLab / makerspace" in french
    assert "anglais et portugais" in french and "Profil confirmé le" in french
    ukrainian = page(client, "/hubs/yeast-house", "uk")
    assert "Чого потребує (1)" in ukrainian and "високий пріоритет" in ukrainian
    assert "Фаблаб / мейкерспейс" in ukrainian and "Минулі проєкти (0)" in ukrainian
    keep = {"Yeast House", "Laser cutting workshop", "Open studio desks", "Voucher scheme"}
    for language in ("fr", "uk"):
        assert english_left(client, "/hubs/yeast-house", language, keep) == set()


def test_the_managers_forms_and_their_errors_in_the_managers_language(
    client: FlaskClient, session: Session, porto: Organisation
) -> None:
    manager = person(session, "m@x.org", hub=porto, language="uk")
    session.commit()
    signed_in(client, manager)
    form = page(client, "/hubs/yeast-house/edit")
    assert "Редагувати Yeast House" in form and "Розташування на карті" in form
    refused = post_form(
        client,
        "/hubs/yeast-house/edit",
        {"name": "Yeast House", "country": "PT", "latitude": "95", "longitude": "-8.6"},
        "/hubs/yeast-house/edit",
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert ">Широта</a>: широта 95.0 не в межах від -90 до 90" in text
    window = post_form(
        client,
        "/hubs/yeast-house/availability/new",
        {"kind": "desks", "starts_on": "2030-05-10", "ends_on": "2030-05-01", "places": "1"},
        "/hubs/yeast-house/edit",
    ).get_data(as_text=True)
    assert (
        ">До</a>: має бути не раніше дати початку" in window
        or "має бути не раніше дати початку" in window
    )
    need = page(client, "/hubs/yeast-house/needs/new")
    assert "Додати потребу" in need and "Високий пріоритет" in need
    manager.language = "fr"
    session.commit()
    asked = page(client, "/hubs/yeast-house/services/1/delete")
    assert "Supprimer ce service ?" in asked


def test_the_network_pictures_in_ukrainian(client: FlaskClient, porto: Organisation) -> None:
    graph = page(client, "/network/graph?hub=yeast-house", "uk")
    assert "<h1>Мережа</h1>" in graph and "Yeast House: 0 зв’язків" in graph
    assert "2 хаби та їхні зв’язки" in graph
    # The script's legend names come from the page, in the reader's language.
    names = json.loads(html.unescape(graph.split('data-names="')[1].split('"')[0]))
    assert names["countries"]["PT"] == "Португалія" and names["disciplines"]["none"]
    located = page(client, "/network/map", "uk")
    assert "<h1>Карта хабів</h1>" in located and "2 хаби з розташуванням на карті" in located
    assert 'data-attribution="Країни: Natural Earth через world-atlas"' in located
    assert "(41,150, -8,610)" in located
    for path in ("/network/graph", "/network/map"):
        assert english_left(client, path, "uk", {"Yeast House", "Kiln Athens"}) == set()


def test_the_impact_dashboard_in_french(client: FlaskClient, session: Session) -> None:
    coordinator = person(session, "c@x.org", role=Role.COORDINATOR, language="fr")
    session.commit()
    signed_in(client, coordinator)
    french = page(client, "/coordination/impact?from=2026-01-01")
    assert "L'impact du réseau" in french and "Taux de réalisation" in french
    assert "à partir du 1 janvier 2026" in french and "Pas encore d'échanges." in french
    refused = client.get("/coordination/impact?from=2026-02-01&to=2026-01-01")
    assert refused.status_code == 400
    assert "doit être identique ou postérieure au début de la période" in refused.get_data(
        as_text=True
    )


def test_api_messages_in_the_readers_language(
    client: FlaskClient, session: Session, porto: Organisation
) -> None:
    manager = person(session, "m@x.org", hub=porto)
    session.commit()
    token = {"Authorization": f"Bearer {create_token(session, manager, 'tests')[1]}"}
    answer = client.get("/api/v1/hubs/nowhere", headers={**token, "Accept-Language": "uk"})
    assert answer.status_code == 404
    assert "Жоден хаб не має ідентифікатора 'nowhere" in answer.get_json()["message"]
    answer = client.patch(
        "/api/v1/hubs/yeast-house",
        json={"latitude": 95, "longitude": 0},
        headers={**token, "Accept-Language": "fr"},
    )
    assert answer.status_code == 400
    assert "la latitude 95.0 n'est pas comprise entre -90 et 90" in json.dumps(
        answer.get_json(), ensure_ascii=False
    )


def test_a_csv_imports_errors_name_the_row_and_column_in_the_readers_words(
    app: Flask, session: Session
) -> None:
    text = "name,country,founded_year,desks\nYeast House,PT,2999,many\nKiln,XX,,\n"
    taxonomy = Taxonomy.load(session)
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        refresh()
        _records, errors, _header = read_hubs_csv(io.StringIO(text), taxonomy)
        french = [str(error) for error in errors]
    assert "ligne 2, colonne desks : 'many' n'est pas un nombre entier" in french
    assert "ligne 3, colonne country : code de pays inconnu 'XX'" in french
    with app.test_request_context(headers={"Accept-Language": "uk"}):
        refresh()
        _records, errors, _header = read_hubs_csv(io.StringIO(text), taxonomy)
        ukrainian = [str(error) for error in errors]
    assert "рядок 3, стовпець country: невідомий код країни 'XX'" in ukrainian
    # Outside a request (the command line) the messages stay English.
    with app.app_context():
        refresh()
        _records, errors, _header = read_hubs_csv(io.StringIO(text), taxonomy)
        english = [str(error) for error in errors]
    assert "row 2, column desks: 'many' is not a whole number" in english
