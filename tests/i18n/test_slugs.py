"""Slugs from names in any script: readable Latin transliterations, never empty, unique
with a numeric suffix; names stored as written in NFC. A hubs CSV named in Greek, Cyrillic
and Danish, without slugs, imports with readable, unique slugs."""

from __future__ import annotations

import csv
import io
import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.hubs.csv_file import COLUMN_NAMES, import_hubs_csv
from matchmaker.models import Organisation
from matchmaker.validation import SLUG_PATTERN, slugify, unique_slug
from tests.support.builders import hub


def test_names_in_greek_cyrillic_and_danish_read_aloud_in_their_slugs() -> None:
    assert slugify("Θέατρο Αθήνα") == "theatro-athina"
    assert slugify("Дом культуры Киев") == "dom-kultury-kiev"
    assert slugify("Харківський арт-хаб") == "kharkivskiy-art-khab"
    assert slugify("Københavns Kulturhus") == "kobenhavns-kulturhus"
    assert slugify("Kulturfabrik Łódź") == "kulturfabrik-lodz"


@given(st.text(min_size=1).filter(lambda name: name.strip()))
def test_any_name_gives_a_non_empty_ascii_slug(name: str) -> None:
    slug = unique_slug(name, lambda _: False)
    assert slug and slug.isascii() and SLUG_PATTERN.match(slug) and len(slug) <= 120


def test_a_taken_slug_gets_the_next_free_number() -> None:
    taken = {"theatro-athina", "theatro-athina-2"}
    assert unique_slug("Θέατρο Αθήνα", taken.__contains__) == "theatro-athina-3"


def rows(*named: str) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES)
    writer.writeheader()
    for name in named:
        writer.writerow({**dict.fromkeys(COLUMN_NAMES, ""), "name": name, "country": "GR"})
    return out.getvalue()


def test_a_csv_of_hubs_named_in_three_scripts_imports_with_readable_unique_slugs(
    session: Session,
) -> None:
    hub(session, "kobenhavns-kulturhus", name="Kobenhavns Kulturhus")  # another hub
    session.commit()
    decomposed = unicodedata.normalize("NFD", "Θέατρο Αθήνα")
    outcome = import_hubs_csv(
        session,
        io.StringIO(rows(decomposed, "Θεάτρο Αθηνά", "Дом культуры Киев", "Københavns Kulturhus")),
    )
    assert outcome.errors == []
    names = dict(session.execute(select(Organisation.slug, Organisation.name)).all())
    assert names == {
        "theatro-athina": "Θέατρο Αθήνα",  # stored as written, in NFC
        "theatro-athina-2": "Θεάτρο Αθηνά",
        "dom-kultury-kiev": "Дом культуры Киев",
        "kobenhavns-kulturhus": "Kobenhavns Kulturhus",
        "kobenhavns-kulturhus-2": "Københavns Kulturhus",
    }
    assert unicodedata.is_normalized("NFC", names["theatro-athina"])


def test_importing_the_same_file_again_updates_its_hubs(session: Session) -> None:
    for _ in range(2):
        assert import_hubs_csv(session, io.StringIO(rows("Дом культуры Киев"))).errors == []
    assert session.scalars(select(Organisation.slug)).all() == ["dom-kultury-kiev"]
