"""Services and needs keep the language they are written in: given by the manager, or
detected from the text (py3langid, its model in the package); shown beside the text on the
hub's page when it is not the reader's, and in the API."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.hubs.csv_file import COLUMN_NAMES, import_hubs_csv
from matchmaker.i18n.detect import detect_language
from matchmaker.models import Need, Service, User


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Майстерня цифрового виробництва з лазерним різаком", "uk"),
        ("Εργαστήριο ψηφιακής κατασκευής με κόφτη λέιζερ", "el"),
        ("Digitālās ražošanas darbnīca ar lāzergriezēju", "lv"),
        ("Un atelier de fabrication numérique avec découpe laser", "fr"),
        ("Wir suchen Partner für ein gemeinsames Kreativprojekt", "de"),
        ("A FabLab with a laser cutter and 3D printers", "en"),
    ],
)
def test_the_language_of_a_text_is_detected(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_a_text_too_short_to_tell_gets_no_language() -> None:
    assert detect_language("Laser") is None


def test_an_entry_records_its_language_and_the_page_says_it(
    client, session: Session, people: dict[str, User], tokens: dict[str, dict[str, str]]
) -> None:
    path = "/api/v1/hubs/north-hub/services"
    detected = client.post(
        path,
        json={
            "category": "fablab",
            "title": "Майстерня цифрового виробництва",
            "description": "Лазерний різак і 3D-принтери для резидентів хабу",
        },
        headers=tokens["north"],
    )
    assert detected.status_code == 201, detected.get_json()
    assert detected.get_json()["language"] == "uk"
    given = client.post(
        path,
        json={"category": "fablab", "title": "Laser", "language": "pt"},
        headers=tokens["north"],
    )
    assert given.get_json()["language"] == "pt"
    refused = client.post(
        path,
        json={"category": "fablab", "title": "Laser", "language": "xx"},
        headers=tokens["north"],
    )
    assert refused.status_code == 400 and "language" in refused.get_json()["fields"]
    page = client.get("/hubs/north-hub", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<li lang="uk">' in page and "auf Ukrainisch" in page and "auf Portugiesisch" in page


def test_services_and_needs_imported_from_a_csv_record_the_language_they_are_written_in(
    session: Session,
) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES)
    writer.writeheader()
    writer.writerow(
        {
            **dict.fromkeys(COLUMN_NAMES, ""),
            "name": "Kulturhaus Graz",
            "country": "AT",
            "services": "fablab | Lasercutter | Wir schneiden Holz und Acryl für Künstlerinnen "
            "und Designer aus der ganzen Stadt",
            "needs": "funding | high | Fördermittel | Wie schreibt man einen guten Antrag "
            "für europäische Kulturförderung?\n"
            "coworking | medium | Bureaux | Nous cherchons des bureaux partagés pour nos "
            "résidents pendant l'hiver",
        }
    )
    assert import_hubs_csv(session, io.StringIO(out.getvalue())).errors == []
    assert session.scalars(select(Service.language)).all() == ["de"]
    languages = dict(session.execute(select(Need.title, Need.language)).all())
    assert languages == {"Fördermittel": "de", "Bureaux": "fr"}
