"""Every taxonomy a new network starts with has its translated label, and a name a
network added itself is shown as stored."""

from __future__ import annotations

from flask import Flask

from matchmaker.hubs.labels import TAXONOMY_NAMES, stored_taxonomy_name, taxonomy_name
from matchmaker.hubs.taxonomy import DEFAULT_DISCIPLINES, DEFAULT_SERVICE_CATEGORIES
from matchmaker.i18n import for_reader


def test_every_default_has_its_label_in_english_as_stored(app: Flask) -> None:
    defaults = dict((*DEFAULT_DISCIPLINES, *DEFAULT_SERVICE_CATEGORIES))
    assert set(TAXONOMY_NAMES) == set(defaults)
    with app.app_context(), for_reader("en"):
        assert {slug: str(label) for slug, label in TAXONOMY_NAMES.items()} == defaults


def test_labels_are_in_the_readers_language_and_others_as_stored(app: Flask) -> None:
    with app.app_context(), for_reader("uk"):
        assert taxonomy_name("crafts", "Crafts") == "Ремесла"
        assert stored_taxonomy_name("Performing arts") == "Сценічне мистецтво"
        assert taxonomy_name("puppetry", "Puppetry") == "Puppetry"
    with app.app_context(), for_reader("de"):
        assert stored_taxonomy_name("Heritage") == "Kulturerbe"
