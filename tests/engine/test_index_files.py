"""The builder writes a machine's index files, applies a hub's edit to its last index,
and every process maps the same arrays and takes a newer index without waiting for it."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete, select

from matchmaker.demo.seed import seed_demo
from matchmaker.engine import store
from matchmaker.engine.builder import IndexBuilder, machine_lock
from matchmaker.engine.live import SharedIndexes
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.ranking import suggest
from matchmaker.matching.signals import score_candidates
from matchmaker.models import IndexChange, Organisation, Service


@pytest.fixture
def network(session):
    seed_demo(session, hubs=16, seed=3)
    session.commit()
    return session


def ranked(index, hub_id: int) -> list[tuple[str, float]]:
    result = suggest(index, hub_id, MatchQuery(ExchangeKind.SHADOWING, limit=10), None)
    return [(s.organisation.slug, round(s.score, 6)) for s in result.items]


def a_hub(session) -> Organisation:
    return session.scalars(select(Organisation).order_by(Organisation.id)).first()


def test_a_written_index_loads_with_its_arrays_mapped_and_answers_the_same(
    network, tmp_path: Path
) -> None:
    builder = IndexBuilder(tmp_path, None)
    assert builder.step(network)
    name = store.current_name(tmp_path)
    info, loaded = store.load(tmp_path, name)
    assert info.version == builder.last.version
    built = builder.last.index
    hub = a_hub(network)
    assert ranked(loaded, hub.id) == ranked(built, hub.id)
    # The big matrices live in the shared file, not in the process's own memory.
    assert not loaded.text.offer_profile.data.flags.owndata
    assert np.array_equal(loaded.text.offer_profile.data, built.text.offer_profile.data)
    assert not builder.step(network)  # nothing changed: nothing written
    # Descriptions only went into the TF-IDF rows: readers get the titles alone.
    loaded_hub = loaded.organisations[loaded.position[hub.id]]
    built_hub = built.organisations[built.position[hub.id]]
    assert [e.title for e in loaded_hub.services] == [e.title for e in built_hub.services]
    assert {e.description for e in loaded_hub.services} == {""}


def test_a_hubs_edit_is_applied_to_the_last_index(network, tmp_path: Path) -> None:
    builder = IndexBuilder(tmp_path, None)
    builder.step(network)
    first = builder.last
    hub = a_hub(network)
    hub.services[0].title = "Ceramics kiln hire for guest makers"
    network.commit()
    assert builder.step(network)
    second = builder.last
    assert second.fitted_at == first.fitted_at  # no new fit: the edit was applied
    position = second.index.position[hub.id]
    titles = [s.title for s in second.index.organisations[position].services]
    assert "Ceramics kiln hire for guest makers" in titles
    others = [o for o in second.network.organisations if o.id != hub.id]
    assert others == [o for o in first.network.organisations if o.id != hub.id]
    _, loaded = store.load(tmp_path, store.current_name(tmp_path))
    assert ranked(loaded, hub.id) == ranked(second.index, hub.id)


def test_everything_is_read_again_when_the_log_no_longer_covers_the_last_build(
    network, tmp_path: Path
) -> None:
    builder = IndexBuilder(tmp_path, None)
    builder.step(network)
    first = builder.last
    hub = a_hub(network)
    network.add(
        Service(
            organisation_id=hub.id, category_id=hub.services[0].category_id, title="Sound booth"
        )
    )
    network.commit()
    network.execute(delete(IndexChange))  # pruned past our last build
    network.commit()
    hub.name = "Renamed Hub"
    network.commit()
    builder.step(network)
    assert builder.last.fitted_at > first.fitted_at
    position = builder.last.index.position[hub.id]
    services = builder.last.index.organisations[position].services
    assert "Sound booth" in [s.title for s in services]


def test_a_process_answers_from_its_index_while_it_loads_a_newer_one(
    network, tmp_path: Path
) -> None:
    builder = IndexBuilder(tmp_path, None)
    builder.step(network)
    database = store.read_info(tmp_path, store.current_name(tmp_path)).database
    shared = SharedIndexes()
    first = shared.get(tmp_path, database, None)
    assert first is not None
    hub = a_hub(network)
    hub.name = "Yet Another Name"
    network.commit()
    builder.step(network)
    deadline = time.monotonic() + 10
    seen = shared.get(tmp_path, database, None)
    while seen is first and time.monotonic() < deadline:
        time.sleep(0.05)
        seen = shared.get(tmp_path, database, None)
    assert seen is not first
    assert seen.organisations[seen.position[hub.id]].name == "Yet Another Name"
    # Another database's or other weights' index is never used.
    assert shared.get(tmp_path, "sqlite:///elsewhere", None) is None
    assert shared.get(tmp_path, database, {"shadowing": {"languages": 0.5}}) is None


def test_one_builder_a_machine(tmp_path: Path) -> None:
    with machine_lock(tmp_path) as first:
        assert first is not None
        with machine_lock(tmp_path) as second:
            assert second is None
    with machine_lock(tmp_path) as again:
        assert again is not None


def test_old_index_files_are_pruned_but_the_current_one_stays(network, tmp_path: Path) -> None:
    builder = IndexBuilder(tmp_path, None)
    for name in ("One", "Two", "Three", "Four"):
        a_hub(network).name = name
        network.commit()
        builder.step(network)
    store.prune(tmp_path, keep=1, older_than=0)
    names = sorted(p.name for p in tmp_path.glob("*.pickle"))
    assert names == [f"{store.current_name(tmp_path)}.pickle"]


def test_the_periodic_upkeep_builds_when_no_builder_runs_and_prunes_the_log(
    app, network, tmp_path: Path
) -> None:
    """`refresh_index` (the queue's periodic job). The builder reads the app's own
    database, not this test's transaction: here it finds the lock taken and leaves
    building to the holder, then prunes what is older than a day."""
    from datetime import UTC, datetime, timedelta

    from matchmaker.engine import index_directory, refresh_index

    a_hub(network).name = "Logged Yesterday"
    network.commit()
    old = network.scalars(select(IndexChange)).all()
    for change in old:
        change.changed_at = datetime.now(UTC) - timedelta(days=2)
    network.commit()
    with machine_lock(index_directory(app)) as held:
        assert held is not None
        assert refresh_index() is None  # another process builds on this machine
    assert network.scalars(select(IndexChange)).all() == []


def test_the_upkeep_leaves_the_index_to_the_builder_service_of_the_machine(
    app, network, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `INDEX_BUILDER=external` the upkeep never builds, even with the machine's
    lock free (as at a machine's start, before the builder service takes it): else the
    service builds everything again after it and edits wait for that. It still prunes."""
    from datetime import UTC, datetime, timedelta

    from matchmaker.engine import index_directory, refresh_index

    monkeypatch.setitem(app.config, "INDEX_BUILDER", "external")
    a_hub(network).name = "Logged Yesterday"
    network.commit()
    for change in network.scalars(select(IndexChange)).all():
        change.changed_at = datetime.now(UTC) - timedelta(days=2)
    network.commit()
    directory = index_directory(app)
    assert refresh_index() is None
    assert store.current_name(directory) is None
    assert not directory.exists() or not list(directory.glob("*.pickle"))
    assert network.scalars(select(IndexChange)).all() == []
    with machine_lock(directory) as held:
        assert held is not None  # the upkeep left the lock free for the builder


def test_a_reader_takes_only_the_edited_hub_from_the_next_index(network, tmp_path: Path) -> None:
    builder = IndexBuilder(tmp_path, None)
    builder.step(network)
    first = store.load_after(tmp_path, store.current_name(tmp_path), None)
    hub = a_hub(network)
    hub.services[0].title = "Risograph printing for zines"
    network.commit()
    assert builder.step(network)
    name = store.current_name(tmp_path)
    after = store.load_after(tmp_path, name, first)
    _, cold = store.load(tmp_path, name)
    old = {o.id: o for o in first.index.organisations}
    for organisation in after.index.organisations:
        if organisation.id == hub.id:
            assert organisation is not old[hub.id]
            assert "Risograph printing for zines" in [s.title for s in organisation.services]
        else:
            assert organisation is old[organisation.id]  # kept, not unpickled again
    # No copies of services or windows: the text model's rows and the window tables go by
    # position in the very organisations of the index.
    assert not hasattr(after.index.text.services, "entries")
    for table in after.index.windows.values():
        assert table.organisations is after.index.organisations
    for index in (after.index, cold):
        assert ranked(index, hub.id) == ranked(builder.last.index, hub.id)
        other = after.index.organisations[-1].id
        assert ranked(index, other) == ranked(builder.last.index, other)


def test_an_edit_that_changes_no_text_writes_no_arrays_and_readers_keep_their_mapping(
    network, tmp_path: Path
) -> None:
    builder = IndexBuilder(tmp_path, None)
    builder.step(network)
    first_name = store.current_name(tmp_path)
    first = store.load_after(tmp_path, first_name, None)
    a_hub(network).name = "Renamed without a word of text changed"
    network.commit()
    assert builder.step(network)
    name = store.current_name(tmp_path)
    assert not (tmp_path / f"{name}.arrays").exists()  # every array is in the first file
    after = store.load_after(tmp_path, name, first)
    assert after.files[first_name] is first.files[first_name]  # the same mapped pages
    hub = a_hub(network)
    assert ranked(after.index, hub.id) == ranked(builder.last.index, hub.id)
    # A text edit writes only the arrays that changed, beside the shared ones.
    hub.services[0].title = "Risograph printing for zines"
    network.commit()
    assert builder.step(network)
    third = store.current_name(tmp_path)
    assert (tmp_path / f"{third}.arrays").stat().st_size < (
        tmp_path / f"{first_name}.arrays"
    ).stat().st_size
    _, cold = store.load(tmp_path, third)
    assert ranked(cold, hub.id) == ranked(builder.last.index, hub.id)
    # Pruning keeps an arrays file while a kept index points at it.
    store.prune(tmp_path, keep=1, older_than=0)
    assert sorted(p.name for p in tmp_path.glob("*.pickle")) == [f"{third}.pickle"]
    assert (tmp_path / f"{first_name}.arrays").exists()
    _, again = store.load(tmp_path, third)
    assert ranked(again, hub.id) == ranked(builder.last.index, hub.id)


def test_a_reader_refuses_an_index_written_in_another_format(network, tmp_path, monkeypatch):
    """Files written before an upgrade that changed their shape are skipped (the worker
    keeps what it has, or waits for the builder), never half read."""
    IndexBuilder(tmp_path, None).step(network)
    monkeypatch.setattr(store, "FORMAT", store.FORMAT + 1)
    with pytest.raises(ValueError, match="another format"):
        store.load(tmp_path, store.current_name(tmp_path))


def test_a_reader_keeps_its_index_when_the_newest_file_is_torn(network, tmp_path: Path) -> None:
    """A file that cannot be unpickled (cut short, written by other code) is never an
    error of the request or the worker that loads it: the last index stays in use."""
    IndexBuilder(tmp_path, None).step(network)
    good = store.current_name(tmp_path)
    readers = SharedIndexes()
    assert readers.load_now(tmp_path)
    database = store.read_info(tmp_path, good).database
    held = readers.get(tmp_path, database, None)
    assert held is not None
    whole = (tmp_path / f"{good}.pickle").read_bytes()
    size = int.from_bytes(whole[:8], "little")
    count = int.from_bytes(whole[8 + size : 16 + size], "little")
    table_end = 16 + size + 8 * store.TABLE_COLUMNS * count
    torn = whole[:table_end] + b"\x80\x05 not a pickle"  # a sound header, a torn rest
    (tmp_path / "index-torn.pickle").write_bytes(torn)
    (tmp_path / store.CURRENT).write_text("index-torn")
    assert readers.load_now(tmp_path)  # it still has one: the last
    assert readers.get(tmp_path, database, None) is held


def test_a_reader_follows_an_index_with_an_organisation_more_or_less(
    network, tmp_path: Path
) -> None:
    """When the organisations themselves change (one joins, one leaves), the reader still
    keeps each unchanged one it holds and answers as the builder's own index."""
    builder = IndexBuilder(tmp_path, None)
    builder.step(network)
    loaded = store.load_after(tmp_path, store.current_name(tmp_path), None)
    joined = Organisation(slug="new-kiln", name="New Kiln", kind=a_hub(network).kind, country="PT")
    network.add(joined)
    network.commit()
    for change in ("joined", "left"):
        if change == "left":
            network.delete(joined)
            network.commit()
        done = builder.step(network)
        assert done is not None and "(1 hubs)" in done  # applied to the last index
        before = {o.id: o for o in loaded.index.organisations}
        loaded = store.load_after(tmp_path, store.current_name(tmp_path), loaded)
        ids = [o.id for o in loaded.index.organisations]
        assert (joined.id in ids) == (change == "joined")
        assert ids == [o.id for o in builder.last.index.organisations]
        hub = a_hub(network)
        assert ranked(loaded.index, hub.id) == ranked(builder.last.index, hub.id)
        # Every organisation but the one that joined is the object the reader held.
        kept = [o for o in loaded.index.organisations if before.get(o.id) is o]
        assert len(kept) == len(ids) - (change == "joined")


def every_score(index) -> list[np.ndarray]:
    """Every hub's scores of every organisation, for each kind a manager asks most."""
    kinds = (ExchangeKind.SHADOWING, ExchangeKind.HOT_DESKING, ExchangeKind.RESIDENCY)
    return [
        score_candidates(index, row, MatchQuery(kind)).score
        for row in range(len(index))
        for kind in kinds
    ]


def test_kept_signals_go_on_to_an_index_of_the_same_arrays_only(network, tmp_path: Path) -> None:
    """A reader hands the signals it kept (`matching/kept_signals.py`) on to a newer index
    whose arrays are the same ones (a rename), never to one whose arrays changed (a
    service's text): there its answers are the builder's, not the stale ones."""
    builder = IndexBuilder(tmp_path, None)
    builder.step(network)
    first = store.load_after(tmp_path, store.current_name(tmp_path), None)
    every_score(first.index)
    assert len(first.index.kept_signals) > 0
    a_hub(network).name = "Renamed without a word of text changed"
    network.commit()
    assert builder.step(network)
    renamed = store.load_after(tmp_path, store.current_name(tmp_path), first)
    assert renamed.index.kept_signals is first.index.kept_signals
    for kept, fresh in zip(
        every_score(renamed.index), every_score(builder.last.index), strict=True
    ):
        np.testing.assert_array_equal(kept, fresh)
    a_hub(network).services[0].title = "Risograph printing for zines"
    network.commit()
    assert builder.step(network)
    edited = store.load_after(tmp_path, store.current_name(tmp_path), renamed)
    for kept, fresh in zip(every_score(edited.index), every_score(builder.last.index), strict=True):
        np.testing.assert_array_equal(kept, fresh)
    assert edited.index.kept_signals is not renamed.index.kept_signals
