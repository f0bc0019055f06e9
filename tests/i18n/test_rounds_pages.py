"""The residency rounds, the coordinators' console and the digest pages in French and
Ukrainian: the words a person sees, dates and amounts (in the round's currency) as their
language writes them, country names in their language, form and API errors, plurals; and
no heading of the English page left on the translated one."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask_babel import ngettext
from sqlalchemy.orm import Session

from matchmaker.digest.message import person_token
from matchmaker.i18n import for_reader
from matchmaker.i18n.formats import day, money
from matchmaker.i18n.names import country_name
from matchmaker.models import Organisation, User
from matchmaker.rounds.applications import round_hosts
from tests.support.round_fixtures import Demo, apply_with_suggestions
from tests.support.web import csrf_token, sign_in

HEADING = re.compile(r"<h([123])[^>]*>(.*?)</h\1>", re.S)
TAG = re.compile(r"<[^>]+>")


def main(page: str) -> str:
    """The page's own content (the layout around it is another helper's to translate)."""
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def headings(page: str) -> list[str]:
    page = main(page)
    return [" ".join(TAG.sub(" ", text).split()) for _, text in HEADING.findall(page)]


def reading(session: Session, user: User, language: str | None) -> None:
    user.language = language
    session.commit()


def page_in(client, session: Session, user: User, path: str, language: str) -> str:
    """The page as `user` reads it in English and then in `language`, with no English
    heading left on the second (names of rounds and hubs are the same in both)."""
    reading(session, user, "en")
    english = headings(client.get(path).get_data(as_text=True))
    reading(session, user, language)
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{language}">' in page
    translated = headings(page)
    names = {h for h in english if h in translated}  # a round's or a hub's own name
    assert len(names) < len(english), (english, translated)
    for heading in set(english) - names:
        assert heading not in main(page), heading
    return page


def words(app: Flask, language: str, what) -> str:
    with app.test_request_context(), for_reader(language):
        return str(what())


def test_the_rounds_page_in_french_and_ukrainian(client, session, demo: Demo, app) -> None:
    manager = demo.managers[0]
    application = apply_with_suggestions(session, demo, manager)
    sign_in(client, manager.email)
    round_ = demo.round
    page = page_in(client, session, manager, "/rounds", "fr")
    assert "<h1>Appels à résidences</h1>" in page
    assert "Clôture des candidatures" in page and "Votre candidature" in page
    assert words(app, "fr", lambda: money(round_.budget, round_.currency)) in page
    assert words(app, "fr", lambda: day(round_.starts_on)) in page
    page = page_in(client, session, manager, "/rounds", "uk")
    assert "<h1>Конкурси резиденцій</h1>" in page
    count = len(application.hosts)
    hosts = {1: "приймальний хаб", 2: "приймальні хаби", 3: "приймальні хаби"}
    assert f"обрано {count} {hosts.get(count, 'приймальних хабів')}" in page
    assert words(app, "uk", lambda: money(round_.budget, round_.currency)) in page


def test_plurals_of_the_rounds_pages_in_ukrainian(app) -> None:
    def ranked(n: int) -> str:
        return ngettext(
            "sent, %(num)d host ranked, %(dates)s",
            "sent, %(num)d hosts ranked, %(dates)s",
            n,
            dates="…",
        )

    assert words(app, "uk", lambda: ranked(1)) == "надіслано, обрано 1 приймальний хаб, …"
    assert words(app, "uk", lambda: ranked(3)) == "надіслано, обрано 3 приймальні хаби, …"
    assert words(app, "uk", lambda: ranked(5)) == "надіслано, обрано 5 приймальних хабів, …"
    assert words(app, "uk", lambda: ranked(21)) == "надіслано, обрано 21 приймальний хаб, …"
    assert words(app, "fr", lambda: ranked(1)) == "envoyée, 1 hôte classé, …"
    assert words(app, "fr", lambda: ranked(3)) == "envoyée, 3 hôtes classés, …"


def test_an_application_refused_in_french(client, session, demo: Demo, app) -> None:
    manager = demo.managers[0]
    reading(session, manager, "fr")
    sign_in(client, manager.email)
    url = f"/rounds/{demo.round.id}/apply"
    page = client.get(url).get_data(as_text=True)
    assert f"<h1>Candidater à l'appel « {demo.round.name} »</h1>" in page
    assert "Les hôtes que vous souhaitez, par ordre de préférence" in page
    early = demo.round.starts_on - timedelta(days=40)
    refused = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "starts_on": early.isoformat(),
            "ends_on": (early + timedelta(days=20)).isoformat(),
            "message": "Nous voulons apprendre.",
        },
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    first, last = (
        words(app, "fr", lambda d=d: day(d)) for d in (demo.round.starts_on, demo.round.ends_on)
    )
    assert f"doit être comprise dans l&#39;appel, du {first} au {last}" in page
    assert "must be within" not in page and "Send the application" not in page


def test_the_coordinators_pages_in_ukrainian_and_french(client, session, demo: Demo, app) -> None:
    coordinator = demo.coordinator
    sign_in(client, coordinator.email)
    page = page_in(client, session, coordinator, "/coordination/", "uk")
    assert "<h1>Координація</h1>" in page and "Відкрити конкурс" in page
    round_ = demo.round
    assert words(app, "uk", lambda: money(round_.budget, round_.currency)) in page
    refused = client.post(
        "/coordination/rounds",
        data={
            "csrf_token": csrf_token(client, "/coordination/"),
            "name": "Зима",
            "currency": "EURO",
        },
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "це поле обов&#39;язкове" in page
    assert "не є кодом валюти ISO 4217" in page
    page = page_in(client, session, coordinator, f"/coordination/rounds/{round_.id}", "fr")
    assert "Places des hôtes dans cet appel" in page and "ouvert" in page
    hosts = [session.get(Organisation, i) for i in round_hosts(session, round_)]
    host = next(h for h in hosts if h.country and country_name(h.country, "fr") != h.country)
    assert f"<td>{country_name(host.country, 'fr')}</td>" in page


def test_the_digest_pages_in_ukrainian(client, session, demo: Demo, app) -> None:
    manager = demo.managers[0]
    token = words(app, "en", lambda: person_token(app.config, manager.id))
    page = client.get(f"/digest/unsubscribe/{token}", headers={"Accept-Language": "uk"})
    text = page.get_data(as_text=True)
    assert "<h1>Припинити надсилання щомісячного огляду?</h1>" in text
    assert "Stop the monthly digest" not in text
    refused = client.post(
        f"/digest/preferences/{token}",
        data={"digest": "weekly", "csrf_token": csrf_token(client, f"/digest/preferences/{token}")},
        headers={"Accept-Language": "uk"},
    )
    assert refused.status_code == 400
    assert "Оберіть «щомісяця» або «ніколи»." in refused.get_data(as_text=True)


def test_an_api_error_in_french(client, people, tokens) -> None:
    answer = client.post(
        "/api/v1/rounds/placements/999/decline",
        json={"reason": 5},
        headers={**tokens["south"], "Accept-Language": "fr-FR,fr;q=0.9"},
    )
    assert answer.status_code == 400
    assert "doit être du texte" in str(answer.get_json())
    missing = client.get("/api/v1/rounds/999", headers={**tokens["south"], "Accept-Language": "uk"})
    assert missing.status_code == 404
    assert "Конкурсу резиденцій із номером 999 не існує" in str(missing.get_json())


def test_an_allocation_outcome_is_stored_once_and_read_in_each_readers_language(
    app: Flask,
) -> None:
    """The allocation stores its sentences as messages: the engine's English, and each
    reader's own language when a page, the API or an email shows them."""
    from matchmaker.i18n import for_reader
    from matchmaker.i18n.messages import render
    from matchmaker.matching.message import from_stored, stored
    from matchmaker.matching.residency.reasons import placement_text, unplaced_reason
    from matchmaker.matching.residency.types import Applicant, Host

    kyiv = Host(1, "Kyiv Hub", 3, (7,))
    placed = placement_text(Applicant(7, "Riga Loft", (2, 1)), kyiv, 2, 1, 1234.5)
    _cause, left = unplaced_reason(
        Applicant(8, "Porto Lab", (1,)), {1: Host(1, "Kyiv Hub", 0, ())}, {}, 900.0, None
    )
    assert placed == (
        "Riga Loft goes to Kyiv Hub: your 2nd choice, and Kyiv Hub ranked you 1st for its 3 "
        "places; cost 1,234.50. The hosts you ranked higher were full with applicants they "
        "ranked higher."
    )
    again = from_stored(stored(placed))
    assert (
        again == placed and from_stored("Plain text stored earlier") == "Plain text stored earlier"
    )
    with app.test_request_context():
        with for_reader("fr"):
            assert render(again).startswith(
                "Riga Loft part chez Kyiv Hub : votre 2e choix, et Kyiv Hub vous a classé 1er "
                "pour ses 3 places ; coût : 1\u202f234,50."
            )
            assert render(from_stored(stored(left))) == "Non retenu : Kyiv Hub n'a pas de places."
        with for_reader("uk"):
            text = render(again)
            assert text.startswith("Riga Loft їде до хабу «Kyiv Hub»: це ваш вибір № 2")
            assert "на свої 3 місця; вартість 1\u00a0234,50." in text
            assert (
                render(from_stored(stored(left))) == "Не відібрано: у хабі «Kyiv Hub» немає місць."
            )
        with for_reader("de"):
            assert "Ihre 2. Wahl" in render(again) and "als 1. gereiht" in render(again)
