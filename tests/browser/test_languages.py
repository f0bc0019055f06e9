"""The interface in each of its languages, in a real browser (issue 17): the demo manager
switches it with the footer's switcher and reads a residency round's application page,
its headings, a refused application's error, the round's dates, its budget in the
round's currency and a host's country, each as that language writes them. The French and
Ukrainian pages are saved under `test-artifacts/screenshots/<database>/languages/`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from babel import Locale, dates, numbers
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Organisation, ResidencyRound, User
from matchmaker.rounds.applications import round_hosts
from tests.support.browser_fixtures import MANAGER, OpenVisit


@pytest.fixture
def session() -> None:
    """Overrides conftest's autouse `session` (see tests/support/browser_fixtures.py)."""


@dataclass(frozen=True)
class Round:
    id: int
    name: str
    starts_on: date
    ends_on: date
    budget: Decimal
    currency: str
    host_country: str  # of a host the manager can rank


@pytest.fixture(scope="module")
def demo_round(served_app: Flask) -> Round:
    with served_app.app_context():
        session = db.session()
        round_ = session.scalar(select(ResidencyRound).limit(1))
        manager = session.scalar(select(User).where(User.email == MANAGER))
        assert round_ is not None and manager is not None
        hosts = [session.get(Organisation, i) for i in round_hosts(session, round_)]
        country = next(h.country for h in hosts if h and h.id != manager.hub_id and h.country)
        found = Round(
            round_.id,
            round_.name,
            round_.starts_on,
            round_.ends_on,
            round_.budget,
            round_.currency,
            country,
        )
        db.session.remove()
    return found


HEADINGS = {
    "en": ("Residency rounds", "Apply to {}", "The hosts you want, best first"),
    "fr": ("Appels à résidences", "Candidater à l'appel « {} »", "Les hôtes que vous souhaitez"),
    "de": ("Residenzrunden", "Bewerbung für {}", "Die gewünschten Gastgeber"),
    "uk": ("Конкурси резиденцій", "Заявка на конкурс «{}»", "Бажані приймальні хаби"),
}
OUTSIDE_THE_ROUND = {
    "en": "must be within the round, {} to {}",
    "fr": "doit être comprise dans l'appel, du {} au {}",
    "de": "muss innerhalb der Runde liegen, {} bis {}",
    "uk": "має бути в межах конкурсу, з {} по {}",
}
SHOTS = ("fr", "uk")
SCREEN = {"width": 1280, "height": 1000}  # the heading, the error, amounts and hosts


def plain(text: str) -> str:
    """Text with CLDR's no-break spaces (in "1 234,50 €") as plain ones, to compare."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.mark.parametrize("language", list(HEADINGS))
def test_the_round_pages_in_each_language(
    open_visit: OpenVisit, demo_round: Round, shots: Path, language: str
) -> None:
    visit = open_visit(viewport=SCREEN)
    page = visit.page
    page.goto("/rounds")
    page.locator("#switch-language").select_option(language)
    page.locator("form.language-switcher button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    rounds, apply, hosts = HEADINGS[language]
    expect(page.get_by_role("heading", level=1)).to_have_text(rounds)

    path = f"/rounds/{demo_round.id}/apply"
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(apply.format(demo_round.name))
    expect(page.locator("legend#hosts")).to_contain_text(hosts)
    early = demo_round.starts_on - timedelta(days=40)
    page.locator("#starts_on").fill(early.isoformat())
    page.locator("#ends_on").fill((early + timedelta(days=20)).isoformat())
    page.locator("#message").fill("We would like to learn how you host residencies.")
    with visit.refused(path):
        page.locator("main form.form button[type=submit]").click()

    first, last = (
        dates.format_date(day, "medium", locale=language)
        for day in (demo_round.starts_on, demo_round.ends_on)
    )
    error = page.locator("#starts_on-error")
    expect(error).to_be_visible()
    assert plain(error.inner_text()) == plain(OUTSIDE_THE_ROUND[language].format(first, last))
    text = plain(page.locator("main").inner_text())
    assert plain(first) in text and plain(last) in text
    budget = numbers.format_currency(demo_round.budget, demo_round.currency, locale=language)
    assert plain(budget) in text, budget
    country = Locale.parse(language).territories[demo_round.host_country]
    expect(page.locator("main .country").first).to_be_visible()
    assert country in text, country
    if language != "en":
        english = Locale.parse("en").territories[demo_round.host_country]
        assert english == country or english not in text

    if language in SHOTS:
        folder = shots / "languages"
        folder.mkdir(parents=True, exist_ok=True)
        visit.shot(f"languages/round-application-{language}")
