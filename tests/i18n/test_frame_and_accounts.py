"""The shared frame and the account pages in the reader's language: the sign-in, account
and people pages, their form errors, the error pages and the API's messages read in
French and Ukrainian, with no English sentence of the English page left over."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask, render_template_string
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from matchmaker.accounts.tokens import create_token
from matchmaker.i18n import for_reader
from matchmaker.models import Role
from tests.support.builders import hub, person
from tests.support.web import csrf_token

PASSWORD = "a-good-long-password"
# Words written the same in the language (and names, addresses, the language names of the
# switcher, which each language writes in itself).
SAME = {
    "fr": {"matchmaker", "Menu", "Hubs", "Hub", "Coordination"},
    "uk": {"matchmaker", "JSON API"},
}


class _Texts(HTMLParser):
    """The texts a person reads on a page: text nodes, headings, labels, buttons; not the
    switcher's language names nor code."""

    def __init__(self) -> None:
        super().__init__()
        self.skipping = 0
        self.texts: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skipping += tag in ("option", "code", "title")

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in ("option", "code", "title")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if not self.skipping and any(c.isalpha() for c in text):
            self.texts.add(text)


def texts(page: str) -> set[str]:
    parser = _Texts()
    parser.feed(page)
    return parser.texts


def english_left(english: str, translated: str, language: str, *names: str) -> set[str]:
    """The English page's texts still on the translated page (but names and addresses)."""
    left = texts(english) & texts(translated)
    return {t for t in left if t not in SAME[language] and not any(n in t for n in names)}


def account(session: Session, email: str, language: str | None, **fields) -> None:
    user = person(session, email, language=language, **fields)
    user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    session.commit()


def sign_in(client, email: str) -> None:
    answer = client.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert answer.status_code == 302


@pytest.mark.parametrize(
    ("language", "heading", "wrong_password", "forgot"),
    [
        (
            "fr",
            "<h1>Se connecter</h1>",
            "Cette adresse e-mail et ce mot de passe ne correspondent à aucun compte.",
            "Mot de passe oublié ?",
        ),
        (
            "uk",
            "<h1>Увійти</h1>",
            "Ця адреса електронної пошти й пароль не відповідають жодному обліковому запису.",
            "Забули пароль?",
        ),
    ],
)
def test_the_sign_in_page_and_its_error_in_the_browsers_language(
    client, language: str, heading: str, wrong_password: str, forgot: str
) -> None:
    english = client.get("/sign-in", headers={"Accept-Language": "en"}).get_data(as_text=True)
    page = client.get("/sign-in", headers={"Accept-Language": language}).get_data(as_text=True)
    assert heading in page and forgot in page
    assert english_left(english, page, language) == set()
    refused = client.post(
        "/sign-in",
        data={"email": "no@x.org", "password": "wrong", "csrf_token": csrf_token(client)},
        headers={"Accept-Language": language},
    )
    assert refused.status_code == 400 and wrong_password in refused.get_data(as_text=True)


def test_the_account_page_in_ukrainian_with_its_form_error(client, session: Session) -> None:
    account(session, "en@x.org", "en", hub=hub(session, "north-hub", name="North Hub"))
    account(session, "uk@x.org", "uk", hub=session.merge(hub(session, "south-hub")))
    sign_in(client, "en@x.org")
    english = client.get("/account").get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})
    sign_in(client, "uk@x.org")
    page = client.get("/account").get_data(as_text=True)
    assert "<h1>Ваш обліковий запис</h1>" in page and "<h2>Змінити пароль</h2>" in page
    assert "менеджер хабу" in page and "Календарна стрічка" in page
    assert english_left(english, page, "uk", "North Hub", "South Hub", "@x.org") == set()
    refused = client.post(
        "/account",
        data={
            "current_password": PASSWORD,
            "new_password": "another-long-password",
            "confirm_password": "a-different-one",
            "csrf_token": csrf_token(client, "/account"),
        },
    )
    assert refused.status_code == 400
    assert "два нові паролі не збігаються" in refused.get_data(as_text=True)
    short = client.post(
        "/account",
        data={
            "current_password": PASSWORD,
            "new_password": "short",
            "confirm_password": "short",
            "csrf_token": csrf_token(client, "/account"),
        },
    )
    assert "потрібно щонайменше 10 символів" in short.get_data(as_text=True)


def test_the_people_page_in_french_names_roles_and_states_in_french(
    client, session: Session
) -> None:
    north = hub(session, "north-hub", name="North Hub")
    account(session, "coord@x.org", "fr", role=Role.COORDINATOR)
    account(session, "admin@x.org", "en", role=Role.ADMIN)
    account(session, "m@x.org", None, hub=north, name="Mia")
    sign_in(client, "admin@x.org")
    english = client.get("/people/").get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/people/")})
    sign_in(client, "coord@x.org")
    page = client.get("/people/").get_data(as_text=True)
    assert "<h1>Personnes</h1>" in page and "<h2>Inviter quelqu'un</h2>" in page
    assert "<td>responsable de hub</td>" in page and "<td>coordination</td>" in page
    assert "Comptes (3)" in page and ">actif<" in page.replace("<td>", ">")
    # The admin's page has the admin's column (Change), the coordinator's not.
    left = english_left(english, page, "fr", "North Hub", "Mia", "@x.org")
    assert left == set()
    refused = client.post(
        "/people/invite",
        data={"email": "m@x.org", "role": "manager", "hub": "north-hub", "csrf_token": ""},
    )
    assert refused.status_code == 400  # no CSRF token: the form has expired
    assert "Le formulaire a expiré" in refused.get_data(as_text=True)
    taken = client.post(
        "/people/invite",
        data={
            "email": "m@x.org",
            "role": "manager",
            "hub": "north-hub",
            "csrf_token": csrf_token(client, "/people/"),
        },
    )
    assert taken.status_code == 400
    assert "<h2>Vérifiez 1 champ</h2>" in taken.get_data(as_text=True)
    assert "m@x.org a déjà un compte" in taken.get_data(as_text=True)


def test_refusals_and_missing_pages_in_the_readers_language(client, session: Session) -> None:
    account(session, "m@x.org", "uk", hub=hub(session, "north-hub"))
    assert "<h1>Сторінку не знайдено</h1>" in client.get(
        "/no-such-page", headers={"Accept-Language": "uk"}
    ).get_data(as_text=True)
    wrong_method = client.delete("/sign-in", headers={"Accept-Language": "fr"})
    assert wrong_method.status_code == 405 and wrong_method.headers["Allow"]
    assert "accepte pas ce type de requête." in wrong_method.get_data(as_text=True)
    sign_in(client, "m@x.org")
    refused = client.get("/people/")
    assert refused.status_code == 403
    assert (
        "Ви не можете цього зробити: це може зробити лише координатор програми."
        in refused.get_data(as_text=True)
    )


def test_the_apis_messages_are_translated_and_its_labels_stay_english(
    client, session: Session
) -> None:
    north = hub(session, "north-hub")
    manager = person(session, "m@x.org", hub=north, language="fr")
    session.commit()
    anonymous = client.get("/api/v1/me", headers={"Accept-Language": "fr"})
    assert anonymous.status_code == 401
    assert anonymous.get_json() == {
        "error": "Sign-in required",
        "message": "Envoyez un jeton d'API personnel comme jeton Bearer.",
    }
    _token, secret = create_token(session, manager, "site")
    session.commit()
    refused = client.post(
        "/api/v1/hubs/north-hub/services",
        data="not json",
        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "uk"},
    )
    assert refused.status_code == 400 and refused.get_json()["error"] == "Invalid input"
    # The token's owner reads French, whatever language their client asks for.
    assert refused.get_json()["fields"] == {
        "body": "envoyez un objet JSON avec Content-Type: application/json"
    }
    manager.language = None
    session.commit()
    refused = client.post(
        "/api/v1/hubs/north-hub/services",
        data="not json",
        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "uk"},
    )
    assert refused.get_json()["fields"] == {
        "body": "надішліть об'єкт JSON із заголовком Content-Type: application/json"
    }


@pytest.mark.parametrize(
    ("count", "heading"),
    [(1, "Перевірте 1 поле"), (3, "Перевірте 3 поля"), (5, "Перевірте 5 полів")],
)
def test_the_error_summary_counts_fields_as_ukrainian_does(
    app: Flask, count: int, heading: str
) -> None:
    errors = {f"field_{n}": "має бути числом" for n in range(count)}
    with app.test_request_context(), for_reader("uk"):
        summary = render_template_string(
            '{% from "_form.html" import problems %}{{ problems(errors) }}', errors=errors
        )
    assert f"<h2>{heading}</h2>" in summary
    # Without a label the link says the reason: a field's id is in no one's language.
    assert '<a href="#field_0">має бути числом</a>' in summary


@pytest.mark.parametrize(
    ("language", "limit", "words"),
    [
        ("uk", "2 per minute", "Це можна зробити щонайбільше 2 рази на хвилину."),
        ("uk", "5 per hour", "Це можна зробити щонайбільше 5 разів на годину."),
        ("fr", "1 per minute", "Cette action est possible au plus 1 fois par minute."),
    ],
)
def test_a_rate_limit_says_how_often_and_when_again_in_the_readers_language(
    app: Flask, client, monkeypatch: pytest.MonkeyPatch, language: str, limit: str, words: str
) -> None:
    monkeypatch.setitem(app.config, "RATE_LIMIT_SIGN_IN", limit)
    for limiter in app.extensions["limiter"]:
        limiter.reset()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.77"
    wrong = {"email": "no@x.org", "password": "wrong"}
    headers = {"Accept-Language": language}
    answers = [
        client.post("/sign-in", data={**wrong, "csrf_token": csrf_token(client)}, headers=headers)
        for _ in range(int(limit.split()[0]) + 1)
    ]
    for limiter in app.extensions["limiter"]:
        limiter.reset()
    refused = answers[-1]
    assert refused.status_code == 429
    again = {"uk": "Спробуйте ще раз через", "fr": "Réessayez dans"}[language]
    assert words in refused.get_data(as_text=True) and again in refused.get_data(as_text=True)
