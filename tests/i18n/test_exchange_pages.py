"""The exchanges in the reader's language: the list with its tabs, an exchange's page, the
inbox, the proposal form with its free-dates calendar, the swap rings, a confirmation, a
form error and an API error read in French and Ukrainian, with proper plural forms, dates
as each language writes them, and no English sentence of the English page left."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from matchmaker.accounts.tokens import create_token
from matchmaker.exchanges.proposals import propose
from matchmaker.models import AvailabilityKind, Exchange, User
from tests.support.builders import hub, proposal_data, window
from tests.support.exchange_fixtures import MESSAGE, NOW, RULES, START
from tests.support.web import csrf_token

TEXT = re.compile(r"<(h1|h2|h3|th|button|label|legend|caption|dt)\b[^>]*>(.*?)</\1>", re.S)


def sign_in_as(client, user: User) -> None:
    with client.session_transaction() as cookie:
        cookie["_user_id"] = user.get_id()
        cookie["_fresh"] = True


def read(client, path: str, **headers: str) -> str:
    answer = client.get(path, headers=headers)
    assert answer.status_code == 200, answer.status_code
    return html.unescape(answer.get_data(as_text=True))


def words(page: str) -> set[str]:
    """The headings, table heads, labels and buttons of the page's own part (the layout
    around it is another's) that hold words."""
    main = page.split('<main id="main">')[1].split("</main>")[0]
    found = {re.sub(r"<[^>]+>", "", text).strip() for _, text in TEXT.findall(main)}
    return {text for text in found if re.search(r"[A-Za-z]{3}", text)}


def in_language(session: Session, user: User, language: str | None) -> None:
    user.language = language
    session.commit()


@pytest.fixture
def proposed(session: Session, people: dict[str, User]) -> Exchange:
    """North proposes a shadowing visit to South (from 1 February 2027)."""
    data = proposal_data("shadowing", START, (0, 3), MESSAGE)
    return propose(session, people["north"], people["south"].hub, data, RULES, NOW)


def test_the_exchange_pages_read_in_french_with_nothing_left_in_english(
    client, session, people, proposed
):
    north = people["north"]
    sign_in_as(client, north)
    pages = ("/exchanges", f"/exchanges/{proposed.id}", "/inbox", "/hubs/south-hub/propose")
    english = {path: read(client, path) for path in pages}
    assert "Your hub's exchanges" in english["/exchanges"]
    in_language(session, north, "fr")
    french = {path: read(client, path) for path in pages}
    for path in pages:
        assert '<html lang="fr">' in french[path]
        left = {text for text in words(english[path]) if text in words(french[path])}
        assert not left - {"Hub", "Hubs", "Contact", "Dates", "Messages"}, (path, left)
    listing = french["/exchanges"]
    assert "Les échanges de votre hub" in listing and "En attente de ma part" in listing
    assert "Visite d'observation n° " in listing and ">proposé<" in listing
    assert "1 févr. 2027 – 4 févr. 2027" in listing
    shown = french[f"/exchanges/{proposed.id}"]
    assert "Le message de la proposition" in shown and "Retirer la proposition" in shown
    assert "Hôte" in shown and "Visiteur" in shown and "(en attente)" in shown
    form = french["/hubs/south-hub/propose"]
    assert "Proposer un échange à South Hub" in form and "Envoyer la proposition" in form
    assert "Au moins 30 caractères." in form and "Le hub dispose de 14 jours pour répondre." in form


def test_the_hub_asked_reads_its_inbox_and_answer_in_ukrainian(client, session, people, proposed):
    south = people["south"]
    in_language(session, south, "uk")
    sign_in_as(client, south)
    inbox = read(client, "/inbox")
    assert "<h1>Вхідні</h1>" in inbox and "Чекає на вас (1)" in inbox
    assert "чекає на вашу відповідь" in inbox and "Позначити всі як прочитані" in inbox
    shown = read(client, f"/exchanges/{proposed.id}")
    assert f"Ознайомчий візит № {proposed.id}" in shown
    assert "Прийняти" in shown and "Причина відмови (необов'язково)" in shown
    assert "Приймальний хаб" in shown and "Хаб-гість" in shown
    # A person's language wins over the browser's.
    assert "Прийняти" in read(client, f"/exchanges/{proposed.id}", **{"Accept-Language": "fr"})
    question = read(client, f"/exchanges/{proposed.id}/decline")
    assert "Відхилити цю пропозицію?" in question and "Так, відхилити" in question


def test_free_days_are_counted_with_ukrainian_plurals(client, session, people):
    """One, three and five free days in three months: "1 день", "3 дні", "5 днів"."""
    first = (date.today().replace(day=1) + timedelta(days=40)).replace(day=1)
    months = [first]
    for _ in range(2):
        months.append((months[-1] + timedelta(days=40)).replace(day=1))
    west = hub(session, "west-hub")
    west.availability.extend(
        window(AvailabilityKind.DESKS, month + timedelta(days=9), days - 1, places)
        for month, days, places in zip(months, (1, 3, 5), (1, 3, 5), strict=True)
    )
    north = people["north"]
    in_language(session, north, "uk")
    sign_in_as(client, north)
    page = read(client, "/hubs/west-hub/propose?starts_on=&ends_on=")
    captions = re.findall(r"<caption>(.*?)</caption>", page)
    assert any(text.endswith(": 1 день із вільними робочими місцями") for text in captions)
    assert any(text.endswith(": 3 дні з вільними робочими місцями") for text in captions)
    assert any(text.endswith(": 5 днів із вільними робочими місцями") for text in captions)
    assert ": 1 вільне робоче місце" in page and ": 3 вільні робочі місця" in page
    assert ": 5 вільних робочих місць" in page and '<th scope="col">пн</th>' in page


def test_a_form_error_reads_in_french(client, session, people):
    north = people["north"]
    in_language(session, north, "fr")
    sign_in_as(client, north)
    path = "/hubs/south-hub/propose"
    data = {**proposal_data("shadowing", START, (0, 3), "Bonjour !"), "csrf_token": ""}
    data["csrf_token"] = csrf_token(client, path)
    refused = client.post(path, data=data)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Votre message à ses responsables" in page
    assert "écrivez au moins 30 caractères : présentez-vous" in page


def test_an_api_error_and_a_ring_page_read_in_ukrainian(client, session, people):
    south = people["south"]
    in_language(session, south, "uk")
    header = {
        "Authorization": f"Bearer {create_token(session, south, 't')[1]}",
        "Accept-Language": "uk",  # an API client says its language
    }
    session.commit()
    refused = client.get("/api/v1/exchanges?when=later", headers=header)
    assert refused.status_code == 400
    assert refused.get_json()["fields"]["when"] == "вкажіть when=upcoming або when=past"
    sign_in_as(client, south)
    rings = read(client, "/swap-rings")
    assert "<h1>Кола обміну</h1>" in rings and "Показати кола" in rings
    too_long = client.get(
        "/swap-rings",
        query_string={"starts_on": "2027-03-01", "ends_on": "2027-08-01"},
    ).get_data(as_text=True)
    assert "обмін робочими місцями триває щонайбільше 92 днів" in too_long
