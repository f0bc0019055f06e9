"""Every suggestion says why, in words a hub manager reads: which of my needs meets which of
their services (quoting both), what we share, where they are, when they have room, what
happened before, and where the match is weak."""

from __future__ import annotations

from datetime import date

import pytest

from matchmaker.matching.explain import REASON_ORDER
from tests.support.engine_builders import (
    BERLIN,
    GRANT_NEED,
    GRANT_OFFER,
    HIGH,
    LASER_NEED,
    LASER_OFFER,
    LISBON,
    LOW,
    PORTO,
    VIGO,
    K,
    desks,
    ids,
    item,
    network,
    org,
    project,
    residency,
    run,
    texts,
)

APRIL = desks(date(2026, 4, 1), date(2026, 4, 30))


def me(**fields):
    defaults = dict(needs=[GRANT_NEED], offers=[LASER_OFFER], desks=4, windows=(APRIL,), **PORTO)
    return org(1, "Porto Hub", **(defaults | fields))


def test_match_reason_quotes_my_need_and_their_service():
    result = run(
        network(me(), org(2, "Berlin Hub", offers=[GRANT_OFFER], **BERLIN)), 1, K.SHADOWING
    )
    assert texts(item(result, 2), "match") == [
        "Your need “Writing EU grant applications” (high priority) meets their “Coaching on EU grant applications” (same category: funding)"
    ]


def test_a_need_met_in_another_category_is_explained_by_its_wording():
    net = network(
        me(needs=[("mentoring", "Laser cutting training", LOW)]),
        org(2, "Berlin Hub", offers=[("fablab", "Laser cutting training")], **BERLIN),
    )
    assert texts(item(run(net, 1, K.SHADOWING), 2), "match") == [
        "Your need “Laser cutting training” (low priority) meets their “Laser cutting training” (similar wording)"
    ]


@pytest.mark.parametrize("kind", [K.HOT_DESKING, K.PROJECT_PARTNERS])
def test_mutual_kinds_also_say_which_of_their_needs_my_services_meet(kind):
    net = network(
        me(),
        org(
            2,
            "Berlin Hub",
            offers=[GRANT_OFFER],
            needs=[LASER_NEED],
            desks=2,
            windows=(APRIL,),
            **BERLIN,
        ),
    )
    assert texts(item(run(net, 1, kind), 2), "match") == [
        "Your need “Writing EU grant applications” (high priority) meets their “Coaching on EU grant applications” (same category: funding)",
        "Their need “Access to laser cutting” meets your “Laser cutting workshop” (same category: fablab)",
    ]


def test_one_way_kinds_do_not_talk_about_their_needs():
    net = network(me(), org(2, "Berlin Hub", offers=[GRANT_OFFER], needs=[LASER_NEED], **BERLIN))
    matches = texts(item(run(net, 1, K.SHADOWING), 2), "match")
    assert not [text for text in matches if text.startswith("Their need")]


def test_project_partner_whose_needs_my_services_miss_is_flagged():
    net = network(
        me(),
        org(
            2,
            "Berlin Hub",
            offers=[GRANT_OFFER],
            needs=[("audience", "Audience surveys")],
            **BERLIN,
        ),
    )
    assert "Your services answer none of their needs" in texts(
        item(run(net, 1, K.PROJECT_PARTNERS), 2), "weak"
    )


def test_a_high_priority_need_nothing_answers_is_a_weakness_and_a_low_one_is_not():
    needs = [
        GRANT_NEED,
        ("event-space", "Gallery for a summer show", HIGH),
        ("audience", "Audience surveys", LOW),
    ]
    result = run(
        network(me(needs=needs), org(2, "Berlin Hub", offers=[GRANT_OFFER], **BERLIN)),
        1,
        K.SHADOWING,
    )
    weak = texts(item(result, 2), "weak")
    assert "Nothing for your high-priority need “Gallery for a summer show”" in weak
    assert not [text for text in weak if "Audience surveys" in text or "Writing EU grant" in text]


def test_no_common_language_is_a_weakness_and_a_shared_one_a_strength():
    net = network(
        me(languages=("pt", "en")),
        org(2, "German-only Hub", offers=[GRANT_OFFER], languages=("de",), **BERLIN),
        org(3, "Bilingual Hub", offers=[GRANT_OFFER], languages=("de", "en"), **BERLIN),
    )
    result = run(net, 1, K.SHADOWING)
    assert "No language in common: they work in German" in texts(item(result, 2), "weak")
    assert "You can work together in English" in texts(item(result, 3), "shared")
    assert not [text for text in texts(item(result, 3), "weak") if "language" in text]


def test_place_reason_names_the_city_and_country_and_the_border():
    net = network(
        me(),
        org(2, "Lisbon Hub", offers=[GRANT_OFFER], **LISBON),
        org(3, "Berlin Hub", offers=[GRANT_OFFER], **BERLIN),
        org(4, "Vigo Hub", offers=[GRANT_OFFER], country="ES", city="Vigo"),  # no coordinates
    )
    result = run(net, 1, K.SHADOWING)
    lisbon, berlin = texts(item(result, 2), "place"), texts(item(result, 3), "place")
    assert len(lisbon) == len(berlin) == 1
    assert lisbon[0].startswith("In Lisbon, Portugal, 27") and lisbon[0].endswith(
        " km from you, in your own country"
    )
    assert berlin[0].startswith("In Berlin, Germany, 2,")
    assert berlin[0].endswith(" km from you: a cross-border exchange (Portugal → Germany)")
    assert texts(item(result, 4), "place") == [
        "In Vigo, Spain: a cross-border exchange (Portugal → Spain)"
    ]
    assert [text for text in texts(item(result, 3), "weak") if text.startswith("Far away (2,")]
    assert not [text for text in texts(item(result, 2), "weak") if text.startswith("Far away")]


def test_project_partners_in_my_own_country_are_flagged_for_an_eu_consortium():
    net = network(me(), org(2, "Lisbon Hub", offers=[GRANT_OFFER], needs=[LASER_NEED], **LISBON))
    weak = texts(item(run(net, 1, K.PROJECT_PARTNERS), 2), "weak")
    assert "Same country as you: an EU consortium needs partners from several" in weak


def test_hot_desking_availability_gives_their_window_and_the_days_overlapping_mine():
    net = network(
        me(),
        org(
            2,
            "Long Hub",
            offers=[GRANT_OFFER],
            needs=[LASER_NEED],
            desks=3,
            windows=(desks(date(2026, 4, 10), date(2026, 5, 10)),),
            **BERLIN,
        ),
        org(
            3,
            "Short Hub",
            offers=[GRANT_OFFER],
            needs=[LASER_NEED],
            desks=3,
            windows=(desks(date(2026, 4, 24), date(2026, 5, 10), places=1),),
            **BERLIN,
        ),
    )
    result = run(net, 1, K.HOT_DESKING)
    assert texts(item(result, 2), "availability") == [
        "2 desks free 10 Apr 2026 – 10 May 2026, 21 days overlapping your own free desks"
    ]
    assert texts(item(result, 3), "availability") == [
        "1 desk free 24 Apr 2026 – 10 May 2026, 7 days overlapping your own free desks"
    ]
    assert "Only 7 days of overlap" in texts(item(result, 3), "weak")
    assert not [text for text in texts(item(result, 2), "weak") if text.startswith("Only")]
    assert item(result, 2).signals["availability"] > item(result, 3).signals["availability"]


def test_residency_availability_gives_their_window_and_the_days_within_my_dates():
    net = network(
        me(),
        org(
            2,
            "Lyon Hub",
            offers=[GRANT_OFFER],
            residency_places=1,
            windows=(residency(date(2026, 6, 1), date(2026, 7, 31)),),
            **BERLIN,
        ),
        org(
            3,
            "Vigo Hub",
            offers=[GRANT_OFFER],
            residency_places=3,
            windows=(residency(date(2026, 6, 10), date(2026, 8, 31), places=3),),
            **VIGO,
        ),
    )
    result = run(net, 1, K.RESIDENCY, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30))
    assert texts(item(result, 2), "availability") == [
        "Residency: 1 place open 1 Jun 2026 – 31 Jul 2026, 30 days within your dates"
    ]
    assert texts(item(result, 3), "availability") == [
        "Residency: 3 places open 10 Jun 2026 – 31 Aug 2026, 21 days within your dates"
    ]
    assert "Only 21 days of overlap" in texts(item(result, 3), "weak")


def test_shared_disciplines_projects_and_partners_are_named():
    net = network(
        me(disciplines=("design", "music", "film")),
        org(
            2,
            "Berlin Hub",
            offers=[GRANT_OFFER],
            needs=[LASER_NEED],
            disciplines=("music", "design"),
            **BERLIN,
        ),
        org(3, "Vigo Lab", kind="company", **VIGO),
        projects=[
            project(1, 1, 2, title="Creative Cities"),
            project(2, 1, 3, title="Open Studios"),
            project(3, 2, 3, title="Makers"),
        ],
    )
    shared = texts(item(run(net, 1, K.PROJECT_PARTNERS), 2), "shared")
    assert "You both work in design and music" in shared
    assert "You worked together on 1 project: “Creative Cities”" in shared
    assert "Partners in common: Vigo Lab" in shared


def test_two_hosts_with_near_equal_scores_are_told_apart_by_their_reasons():
    net = network(
        me(),
        org(2, "Grant Coaching Hub", offers=[GRANT_OFFER], country="FR", city="Lyon"),
        org(
            3,
            "Grant Review Hub",
            offers=[("funding", "Reviews of EU grant applications")],
            country="FR",
            city="Paris",
        ),
    )
    result = run(net, 1, K.SHADOWING)
    first, second = item(result, 2), item(result, 3)
    assert abs(first.score - second.score) < 0.05
    assert texts(first, "match") == [
        "Your need “Writing EU grant applications” (high priority) meets their “Coaching on EU grant applications” (same category: funding)"
    ]
    assert texts(second, "match") == [
        "Your need “Writing EU grant applications” (high priority) meets their “Reviews of EU grant applications” (same category: funding)"
    ]
    assert texts(first, "place") == ["In Lyon, France: a cross-border exchange (Portugal → France)"]
    assert texts(second, "place") == [
        "In Paris, France: a cross-border exchange (Portugal → France)"
    ]


def test_twins_apart_from_their_city_score_the_same_and_differ_only_in_place():
    net = network(
        me(),
        *(
            org(i, "Twin", offers=[GRANT_OFFER], country="FR", city=city)
            for i, city in ((2, "Lyon"), (3, "Lille"))
        ),
    )
    result = run(net, 1, K.SHADOWING)
    assert ids(result) == [2, 3]
    lyon, lille = result.items
    assert lyon.score == lille.score
    assert [r for r in lyon.reasons if r.kind != "place"] == [
        r for r in lille.reasons if r.kind != "place"
    ]
    assert texts(lyon, "place") != texts(lille, "place")


def test_reasons_come_strengths_first_weaknesses_last():
    net = network(
        me(
            languages=("pt",),
            needs=[GRANT_NEED, ("event-space", "Gallery for a summer show", HIGH)],
        ),
        org(
            2,
            "Berlin Hub",
            offers=[GRANT_OFFER],
            needs=[("audience", "Audience surveys")],
            languages=("de",),
            desks=2,
            windows=(desks(date(2026, 4, 25), date(2026, 5, 30)),),
            **BERLIN,
        ),
    )
    for kind in (K.SHADOWING, K.PROJECT_PARTNERS):
        suggestion = item(run(net, 1, kind), 2)
        kinds = [r.kind for r in suggestion.reasons]
        assert kinds == sorted(kinds, key=REASON_ORDER.index)
        assert suggestion.weaknesses and suggestion.strengths
        assert set(suggestion.weaknesses) | set(suggestion.strengths) == set(suggestion.reasons)
        assert all(r.kind == "weak" for r in suggestion.weaknesses)
