"""The directory's search as a use case (`hub_page`), on the database under test: what it
finds in demo-like hubs, several words, accents, ranking, sorts, pages past the end, and
edits seen at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from matchmaker.errors import InputError
from matchmaker.hubs.directory import HubFilters, hub_page, origin_of
from matchmaker.hubs.profiles import save_entry, update_profile
from matchmaker.hubs.records import ServiceRecord
from matchmaker.hubs.search import HubSort
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import Organisation, Role
from tests.support.builders import hub, make_hub, person
from tests.support.search_data import demo_hubs, mentioning


def found(search: str = "", page: int = 1, per_page: int = 200, **filters: object) -> list[str]:
    result = hub_page(page, per_page, HubFilters(search=search, **filters))  # type: ignore[arg-type]
    return [h.slug for h in result.items]


@pytest.mark.parametrize(
    ("query", "stem"),
    [("laser", "laser"), ("ceramics", "ceramic"), ("funding", "funding"), ("Albania", "albania")],
)
def test_a_word_finds_every_hub_that_mentions_it_anywhere(
    session: Session, query: str, stem: str
) -> None:
    records = demo_hubs(session)
    expected = mentioning(records, stem)
    assert expected, f"the demo network should mention {query!r}"
    assert set(found(query)) == expected


def test_albania_finds_the_hubs_in_albania(session: Session) -> None:
    records = demo_hubs(session)
    in_albania = {r.slug for r in records if r.country == "AL"}
    assert in_albania and set(found("albania")) == in_albania


def test_every_word_must_match_somewhere(session: Session) -> None:
    records = demo_hubs(session)
    both = mentioning(records, "laser") & mentioning(records, "funding")
    assert both and both != mentioning(records, "laser"), "the demo should have hubs with both"
    assert set(found("laser funding")) == both
    assert set(found("Funding, LASERS!")) == both
    assert found("laser xylophonist") == []


def test_the_other_filters_narrow_a_search(session: Session) -> None:
    records = demo_hubs(session)
    country = next(r.country for r in records if r.slug in mentioning(records, "funding"))
    expected = {r.slug for r in records if r.country == country} & mentioning(records, "funding")
    assert set(found("funding", country=country)) == expected
    hosting = set(found("funding", hosts=ExchangeKind.RESIDENCY))
    assert hosting == {
        r.slug
        for r in records
        if r.residency_places > 0 and r.slug in mentioning(records, "funding")
    }


@pytest.mark.parametrize("query", ["Kobenhavn", "københavn", "KØBENHAVN", "kobenhavns"])
def test_accents_and_case_do_not_matter_in_the_place(session: Session, query: str) -> None:
    make_hub(session, "ostre", name="Østre Gasværk", city="København", country="DK")
    make_hub(session, "porto-hub")
    assert found(query) == ["ostre"]
    assert found("gasvaerk") == found("GASVÆRK") == ["ostre"]


def test_accents_do_not_matter_either_way(session: Session) -> None:
    make_hub(session, "with-accent", name="Le Café Crème")
    make_hub(session, "without-accent", name="Cafe Creme Lab")
    assert set(found("cafe")) == set(found("CAFÉ")) == {"with-accent", "without-accent"}
    assert set(found("crème café")) == {"with-accent", "without-accent"}


def test_a_word_matches_the_start_of_words_and_plurals(session: Session) -> None:
    make_hub(
        session,
        "cutters",
        services=(ServiceRecord("fablab", "Lasers and more", "Two lasercutters, studies."),),
    )
    assert found("laser") == ["cutters"]  # "lasers", "lasercutters"
    assert found("lasers") == ["cutters"]
    assert found("study") == ["cutters"]  # "studies"
    assert found("aser") == []  # not inside a word


def test_name_hits_rank_above_description_above_services_above_needs(session: Session) -> None:
    plain = {"services": (), "needs": (), "description": "A hub.", "disciplines": ()}
    make_hub(session, "in-need", name="Delta", **{**plain})
    make_hub(session, "in-service", name="Charlie", **plain)
    make_hub(session, "in-description", name="Bravo", **{**plain, "description": "Kilns."})
    make_hub(session, "in-name", name="Zulu Kiln House", **plain)
    hubs = {h.slug: h for h in session.query(Organisation)}
    manager = person(session, "admin@example.org", Role.ADMIN)
    save_entry(session, manager, hubs["in-service"], "services", entry("Kiln firing"))
    save_entry(session, manager, hubs["in-need"], "needs", {**entry("A kiln"), "priority": "high"})
    expected = ["in-name", "in-description", "in-service", "in-need"]
    assert found("kiln") == expected
    assert found("kiln", sort=HubSort.RELEVANCE) == expected
    assert found("kiln", sort=HubSort.NAME) == [
        "in-description",
        "in-service",
        "in-need",
        "in-name",
    ]


def entry(title: str) -> dict[str, str]:
    return {"category": "fablab", "title": title, "description": "Bookable by the day."}


def test_the_sorts(session: Session) -> None:
    lisbon = hub(session, "lisbon", name="A Lisbon", latitude=38.72, longitude=-9.14)
    berlin = hub(session, "berlin", name="B Berlin", latitude=52.52, longitude=13.40)
    nowhere = hub(session, "nowhere", name="C Nowhere")
    porto = hub(session, "porto", name="D Porto", latitude=41.15, longitude=-8.63)
    for day, organisation in enumerate((porto, nowhere, lisbon, berlin), start=1):
        organisation.created_at = datetime(2026, 1, day, tzinfo=UTC)
    session.flush()
    assert found() == ["lisbon", "berlin", "nowhere", "porto"]  # by name without words
    assert found(sort=HubSort.NEWEST) == ["berlin", "lisbon", "nowhere", "porto"]
    nearest = hub_page(1, 10, HubFilters(sort=HubSort.DISTANCE), origin_of(porto))
    assert [h.slug for h in nearest.items] == ["porto", "lisbon", "berlin", "nowhere"]
    with pytest.raises(InputError) as refused:
        hub_page(1, 10, HubFilters(sort=HubSort.DISTANCE), origin_of(nowhere))
    assert "sort" in refused.value.problems


def test_a_page_past_the_end_is_empty_and_says_how_many_there_are(session: Session) -> None:
    for number in range(5):
        make_hub(session, f"hub-{number}")
    page = hub_page(7, 2, HubFilters(search="laser"))
    assert (page.items, page.total, page.pages) == ([], 5, 3)
    last = hub_page(3, 2, HubFilters(search="laser"))
    assert [h.slug for h in last.items] == ["hub-4"]


def test_an_edit_is_found_at_once_and_the_old_text_is_not(session: Session) -> None:
    yeast = make_hub(session, "yeast-house")
    admin = person(session, "admin@example.org", Role.ADMIN)
    service = yeast.services[0]
    assert found("laser") == ["yeast-house"]
    save_entry(session, admin, yeast, "services", entry("Risograph printing"), service.id)
    assert found("risograph") == ["yeast-house"]
    assert found("laser") == []  # the other service does not mention lasers
    session.commit()
    assert found("risograph") == ["yeast-house"]
    session.delete(yeast)
    session.commit()
    assert found("risograph") == []


def test_a_profile_edit_is_found_at_once(session: Session) -> None:
    yeast = make_hub(session, "yeast-house")
    admin = person(session, "admin@example.org", Role.ADMIN)
    assert found("fashion") == found("Gdańsk") == []
    update_profile(session, admin, yeast, {"disciplines": ["fashion"], "city": "Gdańsk"})
    assert found("fashion") == found("gdansk") == ["yeast-house"]
    session.commit()
    assert found("FASHION gdansk") == ["yeast-house"]
