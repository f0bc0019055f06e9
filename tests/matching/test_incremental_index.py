"""An index built from a previous one (`MatchIndex(previous=...)`) answers as an index
built from scratch would, with the previous fit's vocabulary: the index builder applies
a hub's edit this way instead of fitting everyone's texts again."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import normalize

from matchmaker.matching.index import MatchIndex
from matchmaker.matching.network import Network
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.ranking import suggest
from tests.support.engine_builders import HIGH, LOW, MEDIUM, K, network, org

WORDS = ("laser", "ceramics", "funding", "textile", "residency", "print", "sound", "wood")
CATEGORIES = ("training", "space", "equipment")
LANGUAGES = ("en", "fr", "de", "uk")
PRIORITIES = (HIGH, MEDIUM, LOW)

titles = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
entries = st.lists(st.tuples(st.sampled_from(CATEGORIES), titles), min_size=1, max_size=3)
needs = st.lists(
    st.tuples(st.sampled_from(CATEGORIES), titles, st.sampled_from(PRIORITIES)),
    min_size=1,
    max_size=3,
)


@st.composite
def networks(draw: st.DrawFn) -> Network:
    size = draw(st.integers(min_value=3, max_value=8))
    return network(
        *(
            org(
                i,
                offers=draw(entries),
                needs=draw(needs),
                country=draw(st.sampled_from(("PT", "DE", "UA"))),
                languages=tuple(draw(st.sets(st.sampled_from(LANGUAGES), max_size=2))),
                desks=draw(st.integers(0, 4)),
            )
            for i in range(1, size + 1)
        )
    )


def answers(index: MatchIndex) -> list[tuple[int, str, list[tuple[int, float]]]]:
    """Every requester's suggestions of every kind, as (id, score) pairs."""
    found = []
    for organisation in index.organisations:
        for kind in (K.SHADOWING, K.HOT_DESKING, K.RESIDENCY):
            result = suggest(index, organisation.id, MatchQuery(kind, limit=20), None)
            found.append(
                (
                    organisation.id,
                    kind.value,
                    [(s.organisation.id, round(s.score, 6)) for s in result.items],
                )
            )
    return found


@settings(max_examples=40, deadline=None)
@given(net=networks(), data=st.data())
def test_edits_that_bring_no_new_text_answer_as_a_fresh_index(net: Network, data) -> None:
    """Languages, desks and entries moved between hubs change no text: the texts keep
    their fitted rows, so the updated index is the fresh one."""
    first = MatchIndex(net)
    organisations = list(net.organisations)
    for position in data.draw(st.sets(st.integers(0, len(organisations) - 1), min_size=1)):
        organisations[position] = replace(
            organisations[position],
            languages=tuple(data.draw(st.sets(st.sampled_from(LANGUAGES), max_size=2))),
            desks=data.draw(st.integers(0, 4)),
        )
    # One hub takes over another's needs (every text stays in use).
    a, b = data.draw(st.permutations(range(len(organisations))))[:2]
    organisations[a], organisations[b] = (
        replace(organisations[a], needs=organisations[a].needs + organisations[b].needs),
        replace(organisations[b], needs=()),
    )
    changed = replace(net, organisations=tuple(organisations))
    assert answers(MatchIndex(changed, previous=first)) == answers(MatchIndex(changed))


@settings(max_examples=40, deadline=None)
@given(net=networks(), new_titles=st.lists(titles, min_size=1, max_size=3), data=st.data())
def test_new_texts_are_vectorised_with_the_previous_fit(net: Network, new_titles, data) -> None:
    """Oracle: each hub's offer profile is the L2-normalised sum of its services' rows,
    each row the previous fit's vectoriser applied to the text alone."""
    first = MatchIndex(net)
    vectoriser = first.text.vectoriser
    if vectoriser is None:  # only stop words: nothing to weigh
        return
    organisations = list(net.organisations)
    position = data.draw(st.integers(0, len(organisations) - 1))
    edited = organisations[position]
    offers = tuple(
        replace(edited.services[0], id=edited.id * 100 + 90 + i, title=f"{title} workshop")
        for i, title in enumerate(new_titles)
    )
    organisations[position] = replace(edited, services=edited.services + offers)
    updated = MatchIndex(replace(net, organisations=tuple(organisations)), previous=first)
    for row, organisation in enumerate(updated.organisations):
        texts = [entry.text for entry in organisation.services]
        expected = np.asarray(vectoriser.transform(texts).sum(axis=0)) if texts else None
        got = updated.text.offer_profile[row].toarray()
        if expected is None or not expected.any():
            assert not got.any()
        else:
            assert np.allclose(got, normalize(expected), atol=1e-6)


def test_a_fresh_fit_is_due_when_the_vocabulary_has_aged() -> None:
    net = network(
        org(1, offers=[("training", "ceramics kiln")], needs=[("space", "wood shop")]),
        org(2, offers=[("space", "wood shop")], needs=[("training", "laser cutting")]),
    )
    first = MatchIndex(net)
    assert first.text.aged_share == 0
    renamed = replace(
        net,
        organisations=(
            replace(net.organisations[0], services=()),
            net.organisations[1],
        ),
    )
    # "ceramics kiln" is no one's any more: one row in three is dead weight.
    assert MatchIndex(renamed, previous=first).text.aged_share == 1 / 3


@settings(max_examples=25, deadline=None)
@given(net=networks(), data=st.data())
def test_parts_no_edit_touched_are_taken_whole_and_answer_as_a_fresh_index(
    net: Network, data
) -> None:
    """Names, desks and languages edited: the texts, disciplines, windows and projects'
    parts are the previous index's own objects, and every answer is the fresh index's."""
    first = MatchIndex(net)
    organisations = list(net.organisations)
    for position in data.draw(st.sets(st.integers(0, len(organisations) - 1), min_size=1)):
        organisations[position] = replace(
            organisations[position],
            name=f"Renamed {position}",
            languages=tuple(data.draw(st.sets(st.sampled_from(LANGUAGES), max_size=2))),
            desks=data.draw(st.integers(0, 4)),
        )
    changed = replace(net, organisations=tuple(organisations))
    updated = MatchIndex(changed, previous=first)
    assert updated.text is first.text
    assert updated.disciplines is first.disciplines
    assert updated.partners is first.partners
    for kind, table in updated.windows.items():
        assert table.organisations is updated.organisations
        assert table.starts is first.windows[kind].starts
    assert answers(updated) == answers(MatchIndex(changed))
    names = [
        [s.organisation.name for s in suggest(index, 1, MatchQuery(K.SHADOWING), None).items]
        for index in (updated, MatchIndex(changed))
    ]
    assert names[0] == names[1]
