"""Properties of the directory's search over a demo-like network: any word of a hub's
service finds that hub, and accents or case added to a query change nothing."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from matchmaker.hubs.directory import HubFilters, hub_page
from matchmaker.hubs.records import HubRecord
from matchmaker.hubs.search_text import fold
from tests.support.search_data import demo_hubs

# Function-scoped `session`: the network is stored once per test, examples only read it.
READ_ONLY = settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
ACCENTS = ["\u0301", "\u0300", "\u0308", "\u0302", "\u030c", "\u0327"]  # ´ ` ¨ ^ ˇ ¸


def slugs(query: str) -> set[str]:
    return {h.slug for h in hub_page(1, 500, HubFilters(search=query)).items}


def service_words(record: HubRecord) -> list[str]:
    text = " ".join(f"{s.title} {s.description}" for s in record.services)
    return [w for w in re.split(r"[\W_]+", text) if w]


def accented(draw: st.DrawFn, word: str) -> str:
    """The word with accents on some letters and some letters in upper case."""
    letters = []
    for letter in word:
        if letter.isascii() and letter.isalpha() and draw(st.booleans()):
            letter = unicodedata.normalize("NFC", letter + draw(st.sampled_from(ACCENTS)))
        letters.append(letter.upper() if draw(st.booleans()) else letter)
    return "".join(letters)


@READ_ONLY
@given(data=st.data())
def test_any_word_of_a_hubs_services_finds_it(session: Session, data: st.DataObject) -> None:
    records = _network(session)
    record = data.draw(st.sampled_from([r for r in records if r.services]))
    word = data.draw(st.sampled_from(service_words(record)))
    assert record.slug in slugs(word)


@READ_ONLY
@given(data=st.data())
def test_accents_and_case_in_a_query_change_nothing(session: Session, data: st.DataObject) -> None:
    records = _network(session)
    record = data.draw(st.sampled_from([r for r in records if r.services]))
    words = data.draw(
        st.lists(st.sampled_from(service_words(record)), min_size=1, max_size=3, unique=True)
    )
    plain = " ".join(words)
    assert slugs(" ".join(accented(data.draw, w) for w in words)) == slugs(plain)


@given(text=st.text(st.characters(codec="latin-1"), max_size=40), data=st.data())
def test_folding_ignores_added_accents(text: str, data: st.DataObject) -> None:
    assert fold(accented(data.draw, text)) == fold(text)
    assert fold(fold(text)) == fold(text)


def _network(session: Session) -> list[HubRecord]:
    """Stored once per test (the session's transaction outlives the examples)."""
    cached = session.info.get("search_demo")
    if cached is None:
        cached = session.info["search_demo"] = demo_hubs(session)
    return cached  # type: ignore[no-any-return]
