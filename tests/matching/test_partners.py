"""The partner recommender on small hand-made networks, its walks against a pair-by-pair
reference, and the evaluation protocol's metrics and baselines."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.matching.network import Organisation, Project
from matchmaker.matching.offline.evaluation import (
    Baselines,
    HeldOut,
    fit_weights,
    held_out,
    ndcg_at_k,
    query_part,
    recall_at_k,
    top_lexicographic,
)
from matchmaker.matching.partners import (
    DECAY,
    DEFAULT_WEIGHTS,
    SIGNALS,
    PartnerFacts,
    PartnerRecommender,
    best_positions,
    checked_weights,
)


def org(id: int, country: str = "PT", kind: str = "university") -> Organisation:
    return Organisation(id=id, slug=f"org-{id}", name=f"Org {id}", country=country, kind=kind)


def project(
    id: int, members: tuple[int, ...], year: int = 2017, parts: tuple[str, ...] = ("SC6",)
) -> Project:
    return Project(id=id, members=members, coordinator=members[0], parts=parts, start_year=year)


def ranked(recommender: PartnerRecommender, requester: int, part: str | None) -> list[int]:
    return [candidate for candidate, _ in recommender.top(requester, part, 10)]


def test_a_past_partner_ranks_above_strangers():
    orgs = [org(i) for i in range(1, 6)]
    projects = [project(1, (1, 2)), project(2, (3, 4, 5)), project(3, (4, 5))]
    recommender = PartnerRecommender(orgs, projects)
    assert ranked(recommender, 1, "SC6")[0] == 2
    signals = recommender.signals(1, "SC6")
    assert signals["collaboration"][recommender.position[2]] == 1.0
    assert signals["collaboration"][recommender.position[4]] == 0.0


def test_activity_in_the_programme_part_matters():
    orgs = [org(i) for i in (1, 5, 6, 7, 8, 9)]
    projects = [
        project(1, (1, 9), parts=("SC2",)),
        project(2, (5, 7), parts=("SC6",)),
        project(3, (6, 8), parts=("SC1",)),
    ]
    recommender = PartnerRecommender(orgs, projects)
    first = {part: ranked(recommender, 1, part) for part in ("SC6", "SC1")}
    assert first["SC6"].index(5) < first["SC6"].index(6)
    assert first["SC1"].index(6) < first["SC1"].index(5)


def test_recent_work_and_coordination_count_more():
    orgs = [org(i) for i in range(1, 5)]
    projects = [project(1, (1, 2), year=2014), project(2, (1, 3), year=2018)]
    projects.append(Project(3, (4, 1), coordinator=4, parts=("SC6",), start_year=2018))
    recommender = PartnerRecommender(orgs, projects)
    signals = recommender.signals(1, "SC6")
    at = recommender.position
    assert signals["collaboration"][at[3]] > signals["collaboration"][at[2]]
    assert signals["coordinated"][at[3]] > signals["coordinated"][at[2]] > 0
    assert signals["coordinated"][at[4]] == 0.0  # 4 coordinated, 1 joined
    assert ranked(recommender, 1, "SC6")[0] == 3


def test_ties_are_broken_by_id_and_results_do_not_depend_on_input_order():
    orgs = [org(i) for i in (7, 3, 5, 1)]
    projects = [project(1, (1, 7, 3, 5))]
    recommender = PartnerRecommender(orgs, projects)
    assert ranked(recommender, 1, "SC6") == [3, 5, 7]
    again = PartnerRecommender(list(reversed(orgs)), projects)
    assert again.top(1, "SC6", 10) == recommender.top(1, "SC6", 10)
    assert ranked(recommender, 1, "SC6") == [3, 5, 7]
    assert ranked(recommender, 1, "SC6")[:2] == [c for c, _ in recommender.top(1, "SC6", 2)]


def test_unknown_requester_and_empty_network_give_nothing():
    empty = PartnerRecommender([], [])
    assert empty.top(1, "SC6", 10) == []
    assert all(len(values) == 0 for values in empty.signals(1, None).values())
    no_projects = PartnerRecommender([org(1), org(2)], [])
    assert no_projects.top(1, None, 10) == []
    recommender = PartnerRecommender([org(1), org(2)], [project(1, (1, 2))])
    assert recommender.top(99, "SC6", 10) == []
    assert not recommender.scores(99, None).any()
    assert recommender.top(1, "SC6", 0) == []
    assert recommender.facts(1, 99, "SC6") == PartnerFacts(0, None, 0, 0, 0)


def test_a_newcomer_gets_the_most_active_in_the_part():
    orgs = [org(i) for i in range(1, 6)]
    projects = [project(1, (2, 3)), project(2, (2, 4)), project(3, (5, 3), parts=("SC1",))]
    recommender = PartnerRecommender(orgs, projects)
    assert ranked(recommender, 1, "SC6")[0] == 2


def test_before_year_leaves_later_projects_out():
    orgs = [org(i) for i in range(1, 4)]
    projects = [project(1, (1, 2), year=2017), project(2, (1, 3), year=2019)]
    before = PartnerRecommender(orgs, projects, before_year=2019)
    assert [p.id for p in before.projects] == [1]
    assert before.facts(1, 3, "SC6").shared_projects == 0
    assert before.signals(1, "SC6")["collaboration"][before.position[3]] == 0.0
    everything = PartnerRecommender(orgs, projects)
    assert everything.facts(1, 3, "SC6").shared_projects == 1


def test_excluded_candidates_and_unknown_parts():
    orgs = [org(i, country) for i, country in ((1, "PT"), (2, "PT"), (3, "ES"))]
    recommender = PartnerRecommender(orgs, [project(1, (1, 2, 3))])
    assert 2 not in ranked_excluding(recommender, 2)
    signals = recommender.signals(1, "no such part")
    assert not signals["part_reach"].any() and not signals["collaboration_in_part"].any()
    assert signals["collaboration"][recommender.position[2]] == 1.0
    assert signals["cross_border"].tolist() == [0.0, 0.0, 1.0]
    assert signals["same_country"].tolist() == [0.0, 1.0, 0.0]  # the requester's own is 0


def ranked_excluding(recommender: PartnerRecommender, excluded: int) -> list[int]:
    return [c for c, _ in recommender.top(1, "SC6", 10, exclude={excluded, 42})]


def test_facts_behind_the_reasons():
    orgs = [org(i) for i in range(1, 5)]
    projects = [
        project(1, (1, 2), year=2015),
        project(2, (1, 2, 3), year=2018, parts=("SC1",)),
        project(3, (2, 4), year=2016),
        project(4, (3, 1), year=2017),
    ]
    recommender = PartnerRecommender(orgs, projects)
    assert recommender.facts(1, 2, "SC6") == PartnerFacts(
        shared_projects=2,
        last_shared_year=2018,
        coordinated_by_requester=2,
        projects_in_part=2,
        partners_in_part=2,
    )
    assert recommender.facts(1, 3, None).coordinated_by_requester == 1
    assert recommender.facts(1, 4, "SC1") == PartnerFacts(0, None, 0, 0, 0)


networks = st.integers(min_value=2, max_value=9).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(
                st.sets(st.integers(0, n - 1), min_size=1, max_size=5),
                st.integers(2014, 2018),
                st.sampled_from([("A",), ("B",), ("A", "B"), ()]),
            ),
            max_size=12,
        ),
    )
)


def build(n: int, specs: list) -> PartnerRecommender:
    orgs = [
        org(10 + k, country="PT" if k % 2 else "ES", kind=("a", "b")[k % 3 == 0]) for k in range(n)
    ]
    projects = [
        Project(
            id=j,
            members=tuple(10 + m for m in sorted(members)),
            coordinator=10 + min(members),
            parts=parts,
            start_year=year,
        )
        for j, (members, year, parts) in enumerate(specs)
    ]
    return PartnerRecommender(orgs, projects)


@settings(max_examples=60)
@given(networks, st.sampled_from(["A", "B", None]))
def test_signals_are_named_bounded_and_zero_for_the_requester(network, part):
    recommender = build(*network)
    for requester in recommender.ids:
        signals = recommender.signals(int(requester), part)
        assert tuple(signals) == SIGNALS
        i = recommender.position[int(requester)]
        for values in signals.values():
            assert values.shape == (len(recommender.ids),)
            assert ((values >= 0) & (values <= 1)).all() and values[i] == 0
        scores = recommender.scores(int(requester), part)
        assert ((scores >= 0) & (scores <= 1)).all() and scores[i] == 0


def reference_walks(recommender: PartnerRecommender, i: int, part: str) -> dict[str, list[float]]:
    """The walks pair by pair: org a passes to c the recency/size of each shared project,
    divided by all a passes to others; the part's variant of a step only uses its projects."""
    n, newest = len(recommender.ids), max(p.start_year for p in recommender.projects)
    members = [{recommender.position[m] for m in p.members} for p in recommender.projects]

    def passes(a: int, c: int, only_part: bool) -> float:
        return sum(
            DECAY ** (newest - p.start_year) / len(group)
            for p, group in zip(recommender.projects, members, strict=True)
            if a in group and c in group and a != c and (part in p.parts or not only_part)
        )

    out = [sum(passes(a, c, False) for c in range(n)) for a in range(n)]
    walks: dict[str, list[float]] = {}
    mass = [1.0 if a == i else 0.0 for a in range(n)]
    for name in ("collaboration", "partners_of_partners", "wider_network"):
        for key, only_part in ((name, False), (f"{name}_in_part", True)):
            walks[key] = [
                sum(mass[a] / out[a] * passes(a, c, only_part) for a in range(n) if out[a])
                for c in range(n)
            ]
        mass = walks[name]
    for key, values in walks.items():
        values[i] = 0.0
        top = max(values)
        walks[key] = [math.sqrt(v / top) if top > 0 else 0.0 for v in values]
    return walks


@settings(max_examples=40)
@given(networks)
def test_walks_equal_a_pair_by_pair_reference(network):
    recommender = build(*network)
    if not recommender.projects:
        return
    for requester in recommender.ids:
        i = recommender.position[int(requester)]
        signals = recommender.signals(int(requester), "A")
        for key, expected in reference_walks(recommender, i, "A").items():
            assert signals[key] == pytest.approx(expected, abs=1e-9), key


def test_weights_are_checked_and_rescaled():
    assert set(DEFAULT_WEIGHTS) == set(SIGNALS)
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    assert checked_weights({"cross_border": 2.0, "part_reach": 2.0})["cross_border"] == 0.5
    for bad in ({"charm": 1.0}, {"part_reach": -1.0}, {"part_reach": float("nan")}, {}):
        with pytest.raises(ValueError):
            checked_weights(bad)
    orgs = [org(1, "PT"), org(2, "ES"), org(3, "PT")]
    recommender = PartnerRecommender(orgs, [project(1, (1, 2, 3))], weights={"cross_border": 1})
    assert recommender.top(1, "SC6", 10) == [(2, 1.0)]


@given(st.lists(st.sampled_from([0.0, 0.1, 0.5, 0.5, 1.0]), max_size=40), st.integers(0, 12))
def test_best_positions_equal_sorting_positive_scores_by_score_then_id(values, k):
    ids = np.array(random.Random(len(values)).sample(range(1000), len(values)), dtype=np.int64)
    scores = np.array(values, dtype=np.float64)
    expected = sorted(
        (j for j in range(len(values)) if values[j] > 0), key=lambda j: (-values[j], ids[j])
    )
    assert best_positions(scores, ids, k).tolist() == expected[:k]


# The evaluation protocol.


def test_recall_and_ndcg_by_hand():
    truth = {2, 5, 9}
    assert recall_at_k([2, 3, 5], truth) == pytest.approx(2 / 3)
    assert recall_at_k([], truth) == 0.0
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k([2, 3, 5], truth) == pytest.approx((1 + 1 / math.log2(4)) / ideal)
    assert ndcg_at_k([9, 5, 2], truth) == pytest.approx(1.0)
    assert ndcg_at_k([1, 2], {2}, k=1) == 0.0
    assert recall_at_k(list(range(20)), {15}) == 0.0  # only the first 10 count


def test_held_out_queries_follow_the_protocol():
    projects = [
        project(1, (1, 2, 3), year=2017),
        project(2, (1, 2, 4), year=2019, parts=("SC6", "LEIT")),  # 4 has no history
        project(3, (5, 1), year=2020),  # coordinator 5 has no history
        project(4, (3, 4), year=2019),  # no other member with history
        Project(5, (2, 3), coordinator=2, start_year=None),
    ]
    assert held_out(projects, split_year=2019) == [HeldOut(2, 1, "LEIT", frozenset({2}))]
    assert held_out(projects, split_year=2019, end_year=2019) == []
    assert query_part(projects[1]) == "LEIT" and query_part(projects[4]) is None


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=30),
    st.integers(0, 12),
)
def test_top_lexicographic_equals_sorting(rows, k):
    ids = np.array(random.Random(len(rows)).sample(range(1000), len(rows)))
    keys = (np.array([r[0] for r in rows], float), np.array([r[1] for r in rows], float))
    expected = sorted(range(len(rows)), key=lambda j: (-keys[0][j], -keys[1][j], ids[j]))
    got = top_lexicographic(keys, ids, k, np.arange(len(rows)))
    assert got == [int(ids[j]) for j in expected[:k]]


def test_baselines_rank_as_their_names_say():
    orgs = [org(i) for i in range(1, 7)]
    projects = [
        project(1, (1, 2), year=2015),
        project(2, (1, 2), year=2015),
        project(3, (1, 3), year=2016),
        project(4, (1, 4), year=2018),
        project(5, (5, 6), year=2018),
        project(6, (6, 3), year=2018),
    ]
    baselines = Baselines(PartnerRecommender(orgs, projects))
    query = HeldOut(0, 1, "SC6", frozenset({2}))
    assert baselines.past_partners(query) == [2, 4, 3, 6, 5]
    assert baselines.popularity(query) == [2, 3, 6, 4, 5]
    assert baselines.adamic_adar(query)[0] == 6  # 6 shares neighbour 3 with 1; 2, 3, 4 share none


def test_fitting_weights_is_deterministic_and_uses_only_history():
    rng = random.Random(7)
    teams = [list(range(t * 6, t * 6 + 6)) for t in range(6)]
    orgs = [org(i, country=("PT", "ES", "DE")[i % 3]) for i in range(36)]
    projects = []
    for j in range(160):
        team = teams[j % 6]
        members = tuple(rng.sample(team, 3) + rng.sample(range(36), 1))
        projects.append(
            project(j, tuple(dict.fromkeys(members)), year=2014 + j % 7, parts=(f"P{j % 6}",))
        )
    weights = fit_weights(orgs, projects, before_year=2019)
    assert set(weights) == set(SIGNALS) and sum(weights.values()) == pytest.approx(1.0)
    assert fit_weights(orgs, projects, before_year=2019) == weights
    later = [
        p if p.start_year < 2019 else project(p.id, (0, 35), year=p.start_year) for p in projects
    ]
    assert fit_weights(orgs, later, before_year=2019) == weights
    with pytest.raises(ValueError):
        fit_weights(orgs, [], before_year=2019)
