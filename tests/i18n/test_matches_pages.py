"""Matches, consortia and the home pages in the reader's language, and the engine's reasons
written in it: the engine keeps each reason's template and values (English for itself),
the app writes them in French or Ukrainian, with names joined, numbers, dates and country
names as that language writes them, and a quoted text in another language says which."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matchmaker.accounts.tokens import create_token
from matchmaker.i18n import for_reader
from matchmaker.i18n.messages import render
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.matching.message import (
    Country,
    Day,
    Kind,
    Language,
    Message,
    Names,
    Number,
    Quote,
    said,
    said_n,
)
from matchmaker.matching.network import Window
from matchmaker.matching.swaps import SwapParticipant, clear_swaps
from matchmaker.models import Need, Organisation, Service, User
from tests.support.demo_hub import DEMO_MANAGER
from tests.support.web import sign_in

K = ExchangeKind


def as_reader(app: Flask, language: str, message: object) -> str:
    with app.test_request_context(), for_reader(language):
        return render(message)  # type: ignore[arg-type]


def test_sentences_written_once_per_language_stay_apart(app: Flask) -> None:
    """Each sentence is written once per language and kept: the same sentence in another
    language, or another sentence with the same English text, is written anew."""

    def place(where: object) -> Message:
        return said(
            "In %(where)s, %(km)s km from you: a cross-border exchange (%(from)s → %(to)s)",
            where=where,
            km=Number(1234.4),
            **{"from": Country("DE"), "to": Country("FR")},
        )

    plain = place("Lyon, France")
    built = place(said("%(city)s, %(country)s", city="Lyon", country=Country("FR")))
    assert plain == built  # the engine's English cannot tell them apart
    for _ in range(2):
        assert "Lyon, Франція, " in as_reader(app, "uk", built)
        assert "Lyon, France, " in as_reader(app, "uk", plain)
        assert as_reader(app, "fr", built).startswith("Lieu : Lyon, France, à 1\u202f234 km")
        assert as_reader(app, "en", built) == as_reader(app, "en", plain) == plain
    # Values Python's own hash cannot tell apart (-1 and -2, 0.0 and -0.0) stay apart too.
    for first, second in ((-1.0, -2.0), (0.0, -0.0)):
        texts = [
            as_reader(app, "en", said("%(left)s left", left=Number(v, 2))) for v in (first, second)
        ]
        assert texts[0] != texts[1]


@settings(max_examples=300, deadline=None)
@given(
    number=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
    | st.floats(min_value=-1e24, max_value=1e24)  # beyond, Babel's own decimals overflow
    | st.integers(min_value=-(10**15), max_value=10**15).map(lambda n: n + 0.5)
    | st.sampled_from((2.0**52 + 0.5, 2.0**53, 2.0**60, 1e23)),
    decimals=st.sampled_from((0, 1, 2)),
    language=st.sampled_from(("en", "fr", "uk", "de")),
)
def test_a_number_is_written_as_babel_writes_it(
    app: Flask, number: float, decimals: int, language: str
) -> None:
    """The renderer keeps written numbers (and rounds whole ones first, so they repeat):
    the text is Babel's own for the value, halves and negatives too, asked twice."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    expected = format_decimal(number, pattern, locale=language)
    for _ in range(2):
        assert as_reader(app, language, Number(number, decimals)) == expected


def test_a_day_is_written_in_each_readers_language_every_time(app: Flask) -> None:
    """Written days are kept per language: the same day, asked in turn in three
    languages, is each time Babel's date in that language."""
    when = date(2027, 3, 14)
    for _ in range(2):
        for language in ("en", "fr", "uk"):
            expected = format_date(when, "medium", locale=language)
            assert as_reader(app, language, Day(when)) == expected


def test_a_reason_keeps_its_english_and_is_written_in_french_and_ukrainian(app: Flask) -> None:
    reason = said(
        "In %(where)s, %(km)s km from you: a cross-border exchange (%(from)s → %(to)s)",
        where=said("%(city)s, %(country)s", city="Lyon", country=Country("FR")),
        km=Number(1234.4),
        **{"from": Country("DE"), "to": Country("FR")},
    )
    assert (
        reason == "In Lyon, France, 1,234 km from you: a cross-border exchange (Germany → France)"
    )
    assert as_reader(app, "fr", reason) == (
        "Lieu : Lyon, France, à 1\u202f234 km de chez vous : "
        "un échange transfrontalier (Allemagne → France)"
    )
    assert as_reader(app, "uk", reason) == (
        "Місце: Lyon, Франція, за 1\xa0234 км від вас — транскордонний обмін (Німеччина → Франція)"
    )
    languages = said(
        "You can work together in %(names)s", names=Names((Language("en"), Language("uk")))
    )
    assert languages == "You can work together in English and Ukrainian"
    assert (
        as_reader(app, "fr", languages) == "Vous pouvez travailler ensemble en anglais et ukrainien"
    )
    assert as_reader(app, "uk", languages) == (
        "Ви можете працювати разом такими мовами: англійська і українська"
    )


def test_a_plural_reason_takes_the_form_its_count_asks_for_in_ukrainian(app: Flask) -> None:
    def overlap(days: int) -> object:
        return said_n("Only %(num)d day of overlap", "Only %(num)d days of overlap", days)

    assert [str(overlap(n)) for n in (1, 3)] == ["Only 1 day of overlap", "Only 3 days of overlap"]
    assert [as_reader(app, "uk", overlap(n)) for n in (1, 3, 5, 21)] == [
        "Лише 1 день збігу",
        "Лише 3 дні збігу",
        "Лише 5 днів збігу",
        "Лише 21 день збігу",
    ]
    done = said_n(
        "You already completed %(num)d shadowing visit with them",
        "You already completed %(num)d shadowing visits with them",
        2,
    )
    assert as_reader(app, "fr", done) == "Vous avez déjà fait 2 visites d'observation avec eux"
    window = said_n(
        "Residency: %(num)d place open %(start)s – %(end)s, %(within)s",
        "Residency: %(num)d places open %(start)s – %(end)s, %(within)s",
        5,
        start=Day(date(2027, 3, 1)),
        end=Day(date(2027, 3, 28)),
        within=said_n("%(num)d day within your dates", "%(num)d days within your dates", 28),
    )
    start, end = (format_date(d, locale="uk") for d in (date(2027, 3, 1), date(2027, 3, 28)))
    assert as_reader(app, "uk", window) == (
        f"Резиденція: 5 вільних місць {start} – {end}, 28 днів у межах ваших дат"
    )
    kind = said(
        "%(name)s lists no needs yet, so there is nothing to match for a %(kind)s: "
        "add what your hub wants to learn or get",
        name="Porto Hub",
        kind=Kind(K.RESIDENCY),
    )
    assert "(résidence de responsable)" in as_reader(app, "fr", kind)


def test_a_quote_in_another_language_than_the_readers_says_which(app: Flask) -> None:
    reason = said(
        "Their %(service)s meets your need %(need)s",
        service=Quote("Atelier de médiation", "fr"),
        need=Quote("Audience research", "en"),
    )
    assert reason == "Their “Atelier de médiation” meets your need “Audience research”"
    assert as_reader(app, "fr", reason) == (
        "Leur service « Atelier de médiation » répond à votre besoin "
        "« Audience research » (en anglais)"
    )
    assert as_reader(app, "uk", reason) == (
        "Їхня послуга «Atelier de médiation» (мовою: французька) відповідає вашій потребі "
        "«Audience research» (мовою: англійська)"
    )
    assert as_reader(app, "en", reason) == (
        "Their “Atelier de médiation” (in French) meets your need “Audience research”"
    )


def headings(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", page)
    ]


def reads(session: Session, email: str, language: str) -> None:
    """The demo's accounts read English: this one now reads `language`."""
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None
    user.language = language
    session.commit()


def page_in(
    client: FlaskClient, url: str, language: str, status: int = 200, session: Session | None = None
) -> str:
    """The page as a reader of `language` reads it (the signed-in account's language, or
    the browser's for an API client)."""
    if session is not None:
        reads(session, DEMO_MANAGER, language)
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["Trouver des suggestions pour", "Suggestions de visites d'observation", "Lieu : "]),
        ("uk", ["Знайти відповідні хаби для", "Пропозиції для ознайомчих візитів", "Місце: "]),
    ],
)
def test_the_matches_page_and_its_reasons_read_in_the_readers_language(
    client: FlaskClient, session: Session, demo_hub: Organisation, language: str, words: list[str]
) -> None:
    # Every profile text of the network is written in German: the reasons say so.
    session.execute(update(Service).values(language="de"))
    session.execute(update(Need).values(language="de"))
    session.commit()
    sign_in(client, DEMO_MANAGER)
    url = f"/hubs/{demo_hub.slug}/matches?kind=shadowing"
    english = page_in(client, url, "en")
    page = page_in(client, url, language, session=session)
    assert f'<html lang="{language}">' in page
    for word in words:
        assert word in page
    assert "(en allemand)" in page if language == "fr" else "(мовою: німецька)" in page
    assert "(in German)" in english
    for heading in headings(english):
        if heading != demo_hub.name:
            assert heading not in page, heading
    for sentence in (
        "Find matches for",
        "Weak point",
        "Open their page",
        "meets their",
        "In country",
    ):
        assert sentence not in page


def test_a_match_form_error_and_an_api_error_read_in_french_and_ukrainian(
    client: FlaskClient, session: Session, demo_hub: Organisation
) -> None:
    sign_in(client, DEMO_MANAGER)
    url = f"/hubs/{demo_hub.slug}/matches?kind=residency&starts_on=2027-05-01"
    french = page_in(client, url, "fr", 400, session)
    assert "indiquez les deux dates de la période, ou aucune" in french
    assert "вкажіть обидві дати періоду або жодної" in page_in(client, url, "uk", 400, session)
    manager = session.scalar(select(User).where(User.email == DEMO_MANAGER))
    assert manager is not None
    auth = {"Authorization": f"Bearer {create_token(session, manager, 'tests')[1]}"}
    api = f"/api/v1/hubs/{demo_hub.slug}/suggestions"
    # The API answers in its token's owner's language, as the pages do.
    refused = client.get(f"{api}?kind=shadowing&max_km=-3", headers=auth)
    assert refused.status_code == 400
    assert refused.get_json()["fields"] == {"max_distance_km": "має бути відстанню понад 0 км"}
    reads(session, DEMO_MANAGER, "fr")
    answer = client.get(f"{api}?kind=shadowing", headers=auth).get_json()
    texts = [r["text"] for s in answer["suggestions"] for r in s["reasons"]]
    assert texts and any(t.startswith("Lieu : ") for t in texts)
    assert answer["suggestions"][0]["reasons"][0]["kind"] in {"match", "shared", "place"}


def test_the_consortia_page_reads_in_ukrainian(
    client: FlaskClient, session: Session, demo_hub: Organisation
) -> None:
    sign_in(client, DEMO_MANAGER)
    url = f"/hubs/{demo_hub.slug}/consortia?min_partners=3&min_countries=2&max_size=4&top=2"
    page = page_in(client, url, "uk", session=session)
    assert "Створити консорціум навколо" in page and "Пропозиції" in page
    assert re.search(r"\d+ (учасник|учасники|учасників)", page)
    for english in (
        "Build a consortium",
        "Members at least",
        "partners' score",
        "Ask these partners",
    ):
        assert english not in page
    bad = page_in(client, url.replace("max_size=4", "max_size=2"), "fr", 400, session)
    assert "doit être au moins égal au nombre minimal de partenaires" in bad


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["En attente de votre part", "À venir", "Nouvelles suggestions"]),
        ("uk", ["Чекає на вас", "Свіжі пропозиції"]),
    ],
)
def test_a_managers_home_reads_in_their_language(
    client: FlaskClient, session: Session, demo_hub: Organisation, language: str, words: list[str]
) -> None:
    manager = session.scalar(select(User).where(User.email == DEMO_MANAGER))
    assert manager is not None
    sign_in(client, DEMO_MANAGER)
    english = page_in(client, "/home", "en")
    manager.language = language
    session.commit()
    page = page_in(client, "/home", "en")  # their own language wins over the browser's
    assert f'<html lang="{language}">' in page
    for word in words[:1] + words[-1:]:
        assert word in page
    for heading in headings(english):
        if heading != demo_hub.name:
            assert heading not in page, heading


def test_a_coordinators_home_reads_in_french(
    client: FlaskClient, session: Session, demo_hub
) -> None:
    coordinator = session.scalar(select(User).where(User.email == "coordinator@example.org"))
    assert coordinator is not None
    sign_in(client, "coordinator@example.org")
    english = page_in(client, "/home", "en")
    reads(session, "coordinator@example.org", "fr")
    page = page_in(client, "/home", "en")
    assert "La coordination en un coup d'œil" in page and "Le réseau en" in page
    for heading in headings(english):
        assert heading not in page, heading


def test_a_swap_rings_explanation_is_written_in_the_readers_language(app: Flask) -> None:
    def desks(first: date, last: date) -> tuple[Window, ...]:
        return (Window(AvailabilityKind.DESKS, first, last, 4),)

    legs = [
        SwapParticipant(1, "Lisbon hub", 2, desks(date(2025, 3, 1), date(2025, 3, 16))),
        SwapParticipant(2, "Berlin hub", 3, desks(date(2025, 3, 3), date(2025, 3, 31)), 12),
    ]
    clearing = clear_swaps(legs, date(2025, 3, 1), date(2025, 3, 31), {(2, 1): 0.9, (1, 2): 0.8})
    (ring,) = clearing.rings
    assert ring.explanation.startswith("Two-way swap, 3–16 March 2025: Lisbon hub's 2 members")
    assert as_reader(app, "fr", ring.explanation).startswith(
        "Échange réciproque, 3–16 mars 2025 : 2 membres de Lisbon hub utilisent les postes"
    )
    ukrainian = as_reader(app, "uk", ring.explanation)
    assert (
        "3 учасники від Berlin hub працюють на місцях Lisbon hub (оцінка обміну 0,80)" in ukrainian
    )
    assert ukrainian.endswith(
        "Має перевагу, бо Berlin hub надав на 12 місце-днів більше, ніж отримав."
    )
