"""Whose language and zone a page is in: the browser's Accept-Language for anyone, the
switcher's choice kept in the session, a person's own, guessed at the first sign-in and
kept; dates, times, numbers, money and country names as each language writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from matchmaker.accounts.tokens import create_token
from matchmaker.i18n import for_reader
from matchmaker.i18n.formats import day, moment, money, number
from matchmaker.i18n.names import country_choices, country_name, language_name
from matchmaker.models import Role
from tests.support.builders import hub, person

PASSWORD = "a-good-long-password"


def csrf(client, path: str = "/sign-in") -> str:
    page = client.get(path).get_data(as_text=True)
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_an_anonymous_reader_gets_the_browsers_language(client) -> None:
    page = client.get("/", headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"})
    assert '<html lang="uk">' in page.get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "fr-CH, de;q=0.5"})
    assert '<html lang="fr">' in page.get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "ja"})
    assert '<html lang="en">' in page.get_data(as_text=True)


def test_the_switcher_is_on_every_page_and_its_choice_is_kept(client) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'action="/language"' in page and 'lang="uk">Українська</option>' in page
    answer = client.post(
        "/language", data={"language": "de", "next": "/sign-in", "csrf_token": csrf(client)}
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/sign-in"
    page = client.get("/sign-in", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="de">' in page and "Sprache" in page


def test_the_switcher_refuses_a_request_without_its_csrf_token(client) -> None:
    assert client.post("/language", data={"language": "de"}).status_code == 400


def test_the_first_sign_in_keeps_the_browsers_language(client, session: Session) -> None:
    user = person(session, "m@x.org", hub=hub(session, "north-hub"))
    user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    session.commit()
    token = csrf(client)
    client.post(
        "/sign-in",
        data={"email": "m@x.org", "password": PASSWORD, "csrf_token": token},
        headers={"Accept-Language": "uk"},
    )
    session.refresh(user)
    assert user.language == "uk"
    page = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="uk">' in page  # kept, whatever the browser says later


def test_each_request_is_written_in_its_own_readers_language(client, session: Session) -> None:
    """A worker binds a request's catalogue once, at its first string: the next request,
    someone else's, gets its own (an answer never speaks the previous reader's language)."""
    north = hub(session, "north-hub")
    readers = {
        language: person(session, f"{language}@x.org", Role.COORDINATOR, language=language)
        for language in ("fr", "uk")
    }
    session.commit()
    tokens = {lang: create_token(session, user, "tests")[1] for lang, user in readers.items()}
    url = f"/api/v1/hubs/{north.slug}/suggestions?kind=residency&starts_on=2027-05-01"
    said = {
        "fr": "indiquez les deux dates de la période, ou aucune",
        "uk": "вкажіть обидві дати періоду або жодної",
    }
    for language in ("fr", "uk", "fr", "uk"):
        answer = client.get(url, headers={"Authorization": f"Bearer {tokens[language]}"})
        assert answer.status_code == 400
        assert said[language] in str(answer.get_json()["fields"])
        page = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
        assert '<html lang="de">' in page and "Sprache" in page


def test_the_account_page_changes_language_and_zone_and_refuses_an_unknown_zone(
    client, session: Session
) -> None:
    user = person(session, "m@x.org", hub=hub(session, "north-hub"), language="en")
    user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    session.commit()
    client.post(
        "/sign-in", data={"email": "m@x.org", "password": PASSWORD, "csrf_token": csrf(client)}
    )
    token = csrf(client, "/account")
    refused = client.post(
        "/account/reading",
        data={"language": "fr", "time_zone": "Mars/Olympus", "csrf_token": token},
    )
    assert refused.status_code == 400
    assert "&#39;Mars/Olympus&#39; is not a time zone" in refused.get_data(as_text=True)
    session.refresh(user)
    assert (user.language, user.time_zone) == ("en", None)  # nothing half-stored
    client.post(
        "/account/reading",
        data={"language": "fr", "time_zone": "Europe/Paris", "csrf_token": token},
    )
    session.refresh(user)
    assert (user.language, user.time_zone) == ("fr", "Europe/Paris")


@pytest.mark.parametrize(
    ("language", "when", "amount", "big", "germany"),
    [
        ("en", "Mar 1, 2027", "€1,234.50", "1,234.5", "Germany"),
        ("fr", "1 mars 2027", "1\u202f234,50\xa0€", "1\u202f234,5", "Allemagne"),
        ("de", "01.03.2027", "1.234,50\xa0€", "1.234,5", "Deutschland"),
        ("uk", "1 бер. 2027\u202fр.", "1\xa0234,50\xa0EUR", "1\xa0234,5", "Німеччина"),
    ],
)
def test_formats_per_language(
    app: Flask, language: str, when: str, amount: str, big: str, germany: str
) -> None:
    with app.app_context(), for_reader(language):
        assert day(date(2027, 3, 1)) == when
        assert money(Decimal("1234.50"), "EUR") == amount
        assert number(1234.5) == big
        assert country_name("DE") == germany


def test_times_show_in_the_readers_zone_with_its_name(app: Flask) -> None:
    noon = datetime(2027, 7, 1, 12, 0, tzinfo=UTC)
    with app.app_context(), for_reader("uk", "Europe/Kyiv"):
        assert moment(noon) == "1 лип. 2027\u202fр., 15:00 (Europe/Kyiv)"
    with app.app_context(), for_reader("en", "America/New_York"):
        assert moment(noon) == "Jul 1, 2027, 8:00\u202fAM (America/New_York)"


def test_country_names_sort_as_the_reader_sorts_them(app: Flask) -> None:
    with app.app_context(), for_reader("de"):
        names = [name for _, name in country_choices()]
        # Ä with A, Ö with O: not after Z as code points would put them.
        assert names.index("Ägypten") < names.index("Albanien")
        assert names.index("Österreich") < names.index("Pakistan")
        assert language_name("uk") == "Ukrainisch"
    with app.app_context(), for_reader("uk"):
        names = [name for _, name in country_choices()]
        # Є after Е and І after И, as in the alphabet (their code points come before А).
        assert names.index("Естонія") < names.index("Єгипет") < names.index("Замбія")
        assert names.index("Зімбабве") < names.index("Ізраїль") < names.index("Йорданія")


def test_a_round_stores_its_currency_and_refuses_an_unknown_one(session: Session) -> None:
    from matchmaker.errors import InputError
    from matchmaker.models import Role
    from matchmaker.rounds.opening import open_round

    coordinator = person(session, "c@x.org", Role.COORDINATOR)
    data = {
        "name": "Spring",
        "starts_on": "2027-04-01",
        "ends_on": "2027-05-01",
        "budget": "6000",
        "cost_per_residency": "300",
    }
    assert open_round(session, coordinator, data).currency == "EUR"
    assert open_round(session, coordinator, {**data, "currency": "uah"}).currency == "UAH"
    with pytest.raises(InputError) as refused:
        open_round(session, coordinator, {**data, "currency": "EURO"})
    assert "ISO 4217" in refused.value.problems["currency"]
