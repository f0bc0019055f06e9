"""The matching engine on small hand-made networks: ranking per kind, filters, history,
determinism, weights, query checks and the graph export.

Explanations are in test_matching_explanations.py; empty results and the properties on
random networks in test_matching_edge_cases.py.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date

import networkx as nx
import pytest

from matchmaker.matching.graph import build_graph, collaboration_graph, export_graph
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.ranking import QueryError, suggest, top_for_all
from matchmaker.matching.weights import DEFAULT_WEIGHTS, WeightsError, merge_weights
from tests.support.engine_builders import (
    BERLIN,
    GRANT_NEED,
    GRANT_OFFER,
    LASER_NEED,
    LISBON,
    LYON,
    PORTO,
    VIGO,
    K,
    desks,
    exchange,
    ids,
    item,
    network,
    org,
    project,
    residency,
    run,
    texts,
)


def requester(**fields):
    return org(1, "Porto Hub", **(dict(needs=[GRANT_NEED], **PORTO) | fields))


# --- Ranking per kind -------------------------------------------------------------------


def test_shadowing_host_answering_my_need_ranks_above_a_loosely_related_one_and_unrelated_is_left_out():
    net = network(
        requester(),
        org(2, "Loose Hub", offers=[("event-space", "Gallery for grant holders")], **BERLIN),
        org(3, "Grant Hub", offers=[GRANT_OFFER], **BERLIN),
        org(4, "Laser Hub", offers=[("fablab", "Laser cutting and 3D printing")], **BERLIN),
    )
    result = run(net, 1, K.SHADOWING)
    assert ids(result) == [3, 2]
    assert item(result, 3).signals["complementarity"] > item(result, 2).signals["complementarity"]


def test_shadowing_only_suggests_hubs_that_accept_visits():
    net = network(
        requester(),
        org(2, "Closed Hub", offers=[GRANT_OFFER], accepts_visits=False),
        org(3, "University", offers=[GRANT_OFFER], kind="university"),
        org(4, "Open Hub", offers=[GRANT_OFFER]),
    )
    assert ids(run(net, 1, K.SHADOWING)) == [4]


def swapper(id, window, **fields):
    """A Berlin hub with desks free in `window`, whose need the desk requester answers."""
    defaults = dict(offers=[GRANT_OFFER], needs=[LASER_NEED], desks=3, windows=(window,), **BERLIN)
    return org(id, f"Hub {id}", **(defaults | fields))


def desk_requester(**fields):
    """Porto Hub with 4 desks free in April, offering its laser cutting workshop."""
    april = (desks(date(2026, 4, 1), date(2026, 4, 30)),)
    return requester(
        **(dict(offers=[("fablab", "Laser cutting workshop")], desks=4, windows=april) | fields)
    )


def test_hot_desking_needs_desks_free_on_both_sides_for_at_least_five_common_days():
    net = network(
        desk_requester(),
        swapper(2, desks(date(2026, 4, 26), date(2026, 5, 20))),  # 26–30 April: 5 days
        swapper(3, desks(date(2026, 4, 27), date(2026, 5, 20))),  # 4 days
        swapper(4, desks(date(2026, 4, 1), date(2026, 4, 30)), desks=0),  # window, no desks
        swapper(5, residency(date(2026, 4, 1), date(2026, 4, 30))),  # not a desk window
        swapper(6, desks(date(2026, 6, 1), date(2026, 6, 30))),  # after mine
    )
    result = run(net, 1, K.HOT_DESKING)
    assert ids(result) == [2]


def test_hot_desking_is_mutual_a_host_whose_needs_my_services_answer_ranks_first():
    april = desks(date(2026, 4, 1), date(2026, 4, 30))
    net = network(
        desk_requester(),
        swapper(2, april, needs=[("event-space", "Workshop venue for a festival")]),
        swapper(3, april, needs=[LASER_NEED]),
    )
    result = run(net, 1, K.HOT_DESKING)
    assert ids(result) == [3, 2]
    assert item(result, 3).score > item(result, 2).score


def test_hot_desking_keeps_a_host_whose_needs_my_services_do_not_answer_ranked_lower():
    """Mutual: a host whose needs I answer scores higher than one otherwise identical whose
    needs I don't, and that one is told "Your services answer none of their needs". Today
    the harmonic mean of the two directions is 0 for it, and the complementarity stage of
    the need-based kinds drops it altogether."""
    april = desks(date(2026, 4, 1), date(2026, 4, 30))
    net = network(
        desk_requester(),
        swapper(2, april, needs=[("business-support", "Bookkeeping for members")]),
        swapper(3, april, needs=[LASER_NEED]),
    )
    result = run(net, 1, K.HOT_DESKING)
    assert ids(result) == [3, 2]
    assert "Your services answer none of their needs" in texts(item(result, 2), "weak")


def test_residency_needs_places_open_for_at_least_14_days_of_the_dates_asked():
    def host(id, window, **fields):
        defaults = dict(offers=[GRANT_OFFER], windows=(window,), residency_places=2, **LYON)
        return org(id, f"Host {id}", **(defaults | fields))

    net = network(
        requester(),
        host(2, residency(date(2026, 6, 17), date(2026, 7, 31))),  # 17–30 June: 14 days
        host(3, residency(date(2026, 6, 18), date(2026, 7, 31))),  # 13 days
        host(4, residency(date(2026, 6, 1), date(2026, 6, 30)), residency_places=0),
        host(5, desks(date(2026, 6, 1), date(2026, 6, 30))),
    )
    result = run(net, 1, K.RESIDENCY, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30))
    assert ids(result) == [2]
    # Without dates, the coming year counts: host 3 has room then.
    assert ids(run(net, 1, K.RESIDENCY)) == [2, 3]


def partner(id, name, place, **fields):
    defaults = dict(
        offers=[("mentoring", "Design research methods")],
        needs=[("funding", "Grant writing")],
        **place,
    )
    return org(id, name, **(defaults | fields))


def partners_requester():
    return requester(
        needs=[("mentoring", "Design research partner")],
        offers=[("funding", "Grant writing support")],
    )


def test_project_partners_include_non_hubs_and_prefer_another_country():
    net = network(
        partners_requester(),
        partner(2, "Lisbon Hub", LISBON),
        partner(3, "Berlin University", BERLIN, kind="university"),
    )
    result = run(net, 1, K.PROJECT_PARTNERS)
    assert ids(result) == [3, 2]
    assert item(result, 3).signals["cross_border"] == 1.0
    assert item(result, 2).signals["cross_border"] == 0.0


def test_project_partners_prefer_past_collaborators():
    net = network(
        partners_requester(),
        partner(2, "Lyon Hub", LYON),
        partner(3, "Berlin Hub", BERLIN),
        projects=[project(1, 1, 3, title="Creative Cities")],
    )
    result = run(net, 1, K.PROJECT_PARTNERS)
    assert ids(result) == [3, 2]
    assert (
        item(result, 3).signals["collaboration"] > item(result, 2).signals["collaboration"] == 0.0
    )


def test_project_partners_prefer_organisations_active_in_the_calls_programme_part():
    """MatchQuery.programme_part ("the call topic, for project partners") and the weights
    doc ("activity in the call's programme part") promise it counts; nothing reads it."""
    net = network(
        partners_requester(),
        partner(2, "Lyon Hub", LYON),
        partner(3, "Berlin Hub", BERLIN),
        org(4, "Vigo Lab", kind="company", **VIGO),
        org(5, "Other Lab", kind="company", **VIGO),
        projects=[project(1, 2, 5, parts=("SC6",)), project(2, 3, 4, parts=("LEIT",))],
    )
    ranking = ids(run(net, 1, K.PROJECT_PARTNERS, programme_part="LEIT"))
    assert ranking.index(3) < ranking.index(2)  # equal but for LEIT; by id, 2 would come first


# --- Filters ------------------------------------------------------------------------------


def filter_network(**me):
    return network(
        requester(languages=("pt", "en"), disciplines=("design",), **me),
        org(
            2,
            "Lisbon Hub",
            offers=[GRANT_OFFER],
            languages=("pt",),
            disciplines=("music",),
            **LISBON,
        ),
        org(
            3,
            "Berlin Hub",
            offers=[GRANT_OFFER],
            languages=("de", "en"),
            disciplines=("design",),
            **BERLIN,
        ),
        org(
            4,
            "Vigo Hub",
            offers=[GRANT_OFFER],
            languages=("es",),
            disciplines=("crafts",),
            country="ES",
            city="Vigo",
        ),
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, [2, 3, 4]),
        ({"countries": frozenset({"DE"})}, [3]),
        ({"countries": frozenset({"DE", "ES"})}, [3, 4]),
        ({"disciplines": frozenset({"design", "crafts"})}, [3, 4]),
        ({"languages": frozenset({"en"})}, [3]),
        ({"max_distance_km": 500}, [2]),
        ({"max_distance_km": 5000}, [2, 3]),  # Vigo Hub has no coordinates
        ({"countries": frozenset({"PT", "DE"}), "languages": frozenset({"pt"})}, [2]),
    ],
)
def test_filters_keep_only_matching_candidates(query, expected):
    assert sorted(ids(run(filter_network(), 1, K.SHADOWING, **query))) == expected


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"countries": frozenset({"AT"})}, "3 candidates match, but none in AT"),
        ({"disciplines": frozenset({"film"})}, "3 candidates match, but none working in film"),
        ({"languages": frozenset({"fr"})}, "3 candidates match, but none speaking fr"),
        ({"max_distance_km": 100}, "3 candidates match, but none within 100 km"),
    ],
)
def test_a_filter_that_removes_everyone_is_named_in_the_reason(query, reason):
    result = run(filter_network(), 1, K.SHADOWING, **query)
    assert result.items == ()
    assert result.reason == reason


def test_distance_filter_without_my_coordinates_is_ignored_with_a_note():
    result = run(filter_network(latitude=None, longitude=None), 1, K.SHADOWING, max_distance_km=100)
    assert sorted(ids(result)) == [2, 3, 4]
    assert "the distance filter needs your hub's coordinates: ignored" in result.notes


def test_hot_desking_dates_narrow_my_own_free_desks():
    me = desk_requester(windows=(desks(date(2026, 4, 1), date(2026, 6, 30)),))
    net = network(
        me,
        swapper(2, desks(date(2026, 4, 1), date(2026, 4, 15))),
        swapper(3, desks(date(2026, 6, 1), date(2026, 6, 20))),
    )
    assert ids(run(net, 1, K.HOT_DESKING)) == [2, 3]
    june = run(net, 1, K.HOT_DESKING, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30))
    assert ids(june) == [3]
    may = run(net, 1, K.HOT_DESKING, starts_on=date(2026, 5, 1), ends_on=date(2026, 5, 31))
    assert may.items == ()
    assert "none for at least 5 days" in may.reason
    autumn = run(net, 1, K.HOT_DESKING, starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 30))
    assert autumn.reason == "Porto Hub has no desks free in the dates asked for"


# --- History ------------------------------------------------------------------------------


def history_network(**extra):
    return network(
        requester(),
        org(2, "Grant Hub A", offers=[GRANT_OFFER], **BERLIN),
        org(3, "Grant Hub B", offers=[GRANT_OFFER], **BERLIN),
        org(4, "Quiet Hub", **LYON),
        **extra,
    )


def test_a_host_shown_many_times_scores_lower_and_drops_below_its_twin():
    before = run(history_network(), 1, K.SHADOWING)
    assert ids(before) == [2, 3]  # equal scores: lower id first
    after = run(history_network(), 1, K.SHADOWING, shown={2: 5})
    assert ids(after) == [3, 2]
    assert item(after, 2).score < item(before, 2).score
    assert "Suggested to you 5 times before" in texts(item(after, 2), "history")
    assert texts(item(after, 3), "history") == []
    once = run(history_network(), 1, K.SHADOWING, shown={2: 1})
    assert item(after, 2).score < item(once, 2).score < item(before, 2).score
    assert "Suggested to you once before" in texts(item(once, 2), "history")


def test_a_completed_exchange_of_the_same_kind_lowers_that_pairs_score():
    before = run(history_network(), 1, K.SHADOWING)
    done = run(history_network(exchanges=[exchange(1, K.SHADOWING, 1, 2)]), 1, K.SHADOWING)
    assert ids(done) == [3, 2]
    assert item(done, 2).score < item(before, 2).score
    assert "You already completed 1 shadowing visit with them" in texts(item(done, 2), "history")
    other_kind = run(history_network(exchanges=[exchange(1, K.RESIDENCY, 1, 2)]), 1, K.SHADOWING)
    assert item(other_kind, 2).score == item(before, 2).score


def test_good_ratings_raise_the_feedback_signal_and_show_as_history():
    rated = run(
        history_network(exchanges=[exchange(1, K.RESIDENCY, 3, 4, ratings=(5, 5))]), 1, K.SHADOWING
    )
    assert ids(rated) == [3, 2]
    assert item(rated, 3).signals["feedback"] > 0.5 == item(rated, 2).signals["feedback"]
    assert "Rated 5.0/5 by hubs they exchanged with (2 ratings)" in texts(item(rated, 3), "history")
    assert texts(item(rated, 2), "history") == []


def test_poor_ratings_lower_the_feedback_signal_below_neutral():
    rated = run(
        history_network(exchanges=[exchange(1, K.RESIDENCY, 2, 4, ratings=(1, 2))]), 1, K.SHADOWING
    )
    assert ids(rated) == [3, 2]
    assert item(rated, 2).signals["feedback"] < 0.5
    assert "Rated 1.5/5 by hubs they exchanged with (2 ratings)" in texts(item(rated, 2), "history")


def test_a_rating_counts_for_the_hub_rated_never_for_the_hub_that_gave_it():
    """Hub 2 rated the exchange 5 and hub 3 rated it 1: hub 3 is the one rated 5."""
    rated = run(
        history_network(exchanges=[exchange(1, K.RESIDENCY, 2, 3, ratings=(5, 1), raters=(2, 3))]),
        1,
        K.SHADOWING,
    )
    assert item(rated, 3).signals["feedback"] > 0.5 > item(rated, 2).signals["feedback"]
    assert "Rated 5.0/5 by hubs they exchanged with (1 rating)" in texts(item(rated, 3), "history")
    assert "Rated 1.0/5 by hubs they exchanged with (1 rating)" in texts(item(rated, 2), "history")


# --- Determinism --------------------------------------------------------------------------


def rich_network(order=None):
    april = (
        desks(date(2026, 4, 1), date(2026, 4, 30)),
        residency(date(2026, 4, 1), date(2026, 6, 30)),
    )
    organisations = [
        desk_requester(languages=("pt", "en"), disciplines=("design",)),
        swapper(2, april[0], languages=("de", "en"), disciplines=("design", "music")),
        swapper(3, april[1], residency_places=1, accepts_visits=False, languages=("fr",), **LYON),
        org(
            4,
            "Lisbon Hub",
            offers=[GRANT_OFFER, ("fablab", "Wood workshop")],
            needs=[("fablab", "CNC milling")],
            windows=april,
            desks=2,
            residency_places=2,
            **LISBON,
        ),
        org(
            5,
            "Vigo University",
            offers=[("mentoring", "Grant writing course")],
            kind="university",
            **VIGO,
        ),
    ]
    if order:
        organisations = [organisations[i] for i in order]
    return network(
        *organisations,
        projects=[project(1, 1, 2, 5, title="Creative Cities"), project(2, 2, 3, title="Makers")],
        exchanges=[
            exchange(1, K.SHADOWING, 2, 4, ratings=(4,)),
            exchange(2, K.RESIDENCY, 1, 3, state="proposed"),
        ],
    )


def everything(result):
    return (
        [(s.organisation.id, s.score, dict(s.signals), s.reasons) for s in result.items],
        result.reason,
        result.notes,
    )


@pytest.mark.parametrize("kind", list(K))
def test_same_data_gives_identical_results_from_two_independent_indexes(kind):
    first = run(rich_network(), 1, kind, shown={4: 2})
    second = run(rich_network(), 1, kind, shown={4: 2})
    assert first.items, first.reason
    assert everything(first) == everything(second)


@pytest.mark.parametrize("kind", list(K))
def test_the_order_organisations_are_listed_in_does_not_change_ids_or_scores(kind):
    listed = run(rich_network(), 1, kind)
    shuffled = run(rich_network(order=[3, 1, 4, 0, 2]), 1, kind)
    assert [(s.organisation.id, s.score) for s in shuffled.items] == [
        (s.organisation.id, s.score) for s in listed.items
    ]


def test_equal_scores_are_ordered_by_ascending_id():
    twins = [org(i, f"Twin {i}", offers=[GRANT_OFFER], **BERLIN) for i in (7, 3, 9, 5)]
    result = run(network(requester(), *twins), 1, K.SHADOWING, limit=3)
    assert ids(result) == [3, 5, 7]
    assert len({s.score for s in result.items}) == 1


def test_top_for_all_agrees_with_suggest_when_ties_straddle_the_limit():
    """Among equal scores at the cut, top_for_all keeps the lowest ids as suggest does (a
    cut by np.argpartition used to keep arbitrary positions)."""
    twins = [org(i, f"Twin {i}", offers=[GRANT_OFFER], **BERLIN) for i in range(2, 14)]
    random.Random(0).shuffle(twins)
    index = MatchIndex(network(requester(), *twins))
    query = MatchQuery(K.SHADOWING, limit=3)
    assert (
        [i for i, _ in top_for_all(index, query)[1]] == ids(suggest(index, 1, query)) == [2, 3, 4]
    )


def test_top_for_all_lists_every_organisation_with_its_best_candidates():
    index = MatchIndex(rich_network())
    top = top_for_all(index, MatchQuery(K.SHADOWING, limit=2))
    assert set(top) == {1, 2, 3, 4, 5}
    assert [i for i, _ in top[1]] == ids(suggest(index, 1, MatchQuery(K.SHADOWING, limit=2)))
    assert top[5] == []  # the university lists no needs


# --- Weights ------------------------------------------------------------------------------


def test_merge_weights_applies_overrides_and_leaves_the_defaults_alone():
    merged = merge_weights({"shadowing": {"languages": 0.5}, "residency": {"repeat_penalty": 0}})
    assert merged[K.SHADOWING]["languages"] == 0.5
    assert merged[K.RESIDENCY]["repeat_penalty"] == 0.0
    assert merged[K.SHADOWING]["complementarity"] == DEFAULT_WEIGHTS[K.SHADOWING]["complementarity"]
    assert merged[K.HOT_DESKING] == DEFAULT_WEIGHTS[K.HOT_DESKING]
    assert DEFAULT_WEIGHTS[K.SHADOWING]["languages"] == 0.12


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"coffee": {"languages": 1}}, "unknown exchange kind 'coffee'"),
        ({"shadowing": {"charm": 1}}, "unknown signal 'charm'"),
        ({"shadowing": {"languages": -0.1}}, "must be a number ≥ 0"),
        ({"shadowing": {"languages": "high"}}, "must be a number ≥ 0"),
        ({"shadowing": {"languages": True}}, "must be a number ≥ 0"),
        ({"shadowing": [1, 2]}, "expected an object of signal weights"),
        (
            {
                "shadowing": dict.fromkeys(
                    ("complementarity", "disciplines", "languages", "network", "feedback"), 0
                )
            },
            "at least one signal",
        ),
    ],
)
def test_merge_weights_rejects_unusable_overrides(overrides, message):
    with pytest.raises(WeightsError, match=message):
        merge_weights(overrides)


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_merge_weights_rejects_nan_and_infinite_weights(value):
    """MATCHING_WEIGHTS is JSON, and Python's json reads NaN and Infinity; `value < 0` lets
    both through, and every score of the kind then becomes NaN."""
    with pytest.raises(WeightsError):
        merge_weights(json.loads(json.dumps({"shadowing": {"languages": value}})))


def test_raising_a_signals_weight_moves_the_ranking_its_way():
    net = network(
        requester(languages=("pt",)),
        org(2, "Grant Hub", offers=[GRANT_OFFER], languages=("de",), **BERLIN),
        org(
            3,
            "Talking Hub",
            offers=[("event-space", "Gallery for grant holders")],
            languages=("pt",),
            **LISBON,
        ),
    )
    assert ids(suggest(MatchIndex(net), 1, MatchQuery(K.SHADOWING))) == [2, 3]
    weights = merge_weights({"shadowing": {"languages": 3.0}})
    assert ids(suggest(MatchIndex(net, weights), 1, MatchQuery(K.SHADOWING))) == [3, 2]


# --- Query checks -------------------------------------------------------------------------

JUNE_1, JUNE_30 = date(2026, 6, 1), date(2026, 6, 30)


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        ({"limit": 0}, {"limit"}),
        ({"limit": 101}, {"limit"}),
        ({"max_distance_km": 0}, {"max_distance_km"}),
        ({"max_distance_km": -5}, {"max_distance_km"}),
        ({"max_distance_km": float("nan")}, {"max_distance_km"}),
        ({"starts_on": JUNE_1}, {"ends_on"}),
        ({"ends_on": JUNE_30}, {"starts_on"}),
        ({"starts_on": JUNE_30, "ends_on": JUNE_1}, {"ends_on"}),
        (
            {"limit": -1, "max_distance_km": 0, "starts_on": JUNE_1},
            {"limit", "max_distance_km", "ends_on"},
        ),
    ],
)
def test_unusable_queries_are_refused_field_by_field(fields, problems):
    query = MatchQuery(K.RESIDENCY, **fields)
    assert set(query.problems()) == problems
    with pytest.raises(QueryError) as raised:
        suggest(MatchIndex(rich_network()), 1, query)
    assert raised.value.problems == query.problems()
    assert all(name in str(raised.value) for name in problems)


def test_edge_values_of_a_query_are_accepted():
    query = MatchQuery(
        K.RESIDENCY, limit=100, max_distance_km=0.5, starts_on=JUNE_1, ends_on=JUNE_1
    )
    assert query.problems() == {}
    assert MatchQuery(K.SHADOWING, limit=1).problems() == {}


# --- Graph --------------------------------------------------------------------------------


def graph_network(exchanges=None):
    return network(
        org(
            1,
            "Porto Hub",
            offers=[GRANT_OFFER],
            needs=[GRANT_NEED, ("fablab", "Laser cutter")],
            disciplines=("design", "music"),
            **PORTO,
        ),
        org(
            2, "Berlin Hub", offers=[("fablab", "Laser cutting")], disciplines=("design",), **BERLIN
        ),
        org(3, "Berlin University", kind="university", **BERLIN),
        projects=[
            project(1, 1, 2, 3, title="Creative Cities"),
            project(2, 2, 99, title="With an outsider"),
        ],
        exchanges=exchanges if exchanges is not None else [exchange(1, K.HOT_DESKING, 1, 2, 3)],
    )


def test_build_graph_has_every_node_type_and_relation():
    graph = build_graph(graph_network())
    types = Counter(data["type"] for _, data in graph.nodes(data=True))
    assert types == {
        "organisation": 3,
        "country": 2,
        "discipline": 2,
        "service": 2,
        "need": 2,
        "project": 2,
    }
    relations = Counter(data["relation"] for *_, data in graph.edges(data=True))
    assert relations == {
        "located_in": 3,
        "works_in": 3,
        "offers": 2,
        "needs": 2,
        "took_part_in": 4,
        "exchanged_with": 3,
    }
    assert graph.nodes["service:100"]["label"] == "Coaching on EU grant applications"
    assert graph.nodes["need:150"]["priority"] == "high"
    assert {
        data["relation"] for data in graph.get_edge_data("organisation:3", "country:DE").values()
    } == {"located_in"}
    roles = {data["role"] for data in graph.get_edge_data("organisation:1", "project:1").values()}
    assert roles == {"coordinator"}
    assert "organisation:99" not in graph  # a project member outside the network


def test_an_exchange_between_two_hubs_is_one_exchanged_with_edge():
    """graph.py pairs each hub with the next around a ring; with two hubs the ring is a→b
    and b→a, two parallel edges in the undirected MultiGraph for one exchange."""
    graph = build_graph(graph_network(exchanges=[exchange(1, K.SHADOWING, 1, 2)]))
    edges = [d for *_, d in graph.edges(data=True) if d["relation"] == "exchanged_with"]
    assert len(edges) == 1


def test_collaboration_graph_links_organisations_that_shared_a_project():
    projected = collaboration_graph(build_graph(graph_network()))
    assert set(projected.nodes) == {"organisation:1", "organisation:2", "organisation:3"}
    assert {frozenset(e) for e in projected.edges} == {
        frozenset({"organisation:1", "organisation:2"}),
        frozenset({"organisation:1", "organisation:3"}),
        frozenset({"organisation:2", "organisation:3"}),
    }


def test_export_graph_round_trips_through_graphml_and_node_link_json(tmp_path):
    graph = build_graph(graph_network())
    export_graph(graph, tmp_path / "network.graphml", "graphml")
    read = nx.read_graphml(tmp_path / "network.graphml")
    assert (read.number_of_nodes(), read.number_of_edges()) == (
        graph.number_of_nodes(),
        graph.number_of_edges(),
    )
    assert read.nodes["organisation:1"]["label"] == "Porto Hub"

    export_graph(graph, tmp_path / "network.json", "json")
    data = json.loads((tmp_path / "network.json").read_text())
    assert (len(data["nodes"]), len(data["links"])) == (
        graph.number_of_nodes(),
        graph.number_of_edges(),
    )
    back = nx.node_link_graph(data, edges="links")
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        graph.number_of_nodes(),
        graph.number_of_edges(),
    )


def test_export_graph_refuses_an_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="unknown graph format 'gexf'"):
        export_graph(build_graph(graph_network()), tmp_path / "network.gexf", "gexf")
    assert not (tmp_path / "network.gexf").exists()
