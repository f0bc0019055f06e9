"""Every catalogue is complete (no untranslated or fuzzy entry in French, German and
Ukrainian), its plurals have the language's number of forms, it compiles, the committed
.mo files are what the .po files give, and the template knows every string of the code."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "matchmaker" / "translations"
LANGUAGES = ("fr", "de", "uk")
PLURAL_FORMS = {"fr": 3, "de": 2, "uk": 3}


def catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language: str) -> None:
    entries = [m for m in catalogue(language) if m.id]
    assert entries
    untranslated = [
        m.id for m in entries if not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plurals_have_the_languages_forms_and_placeholders_survive(language: str) -> None:
    found = catalogue(language)
    assert found.num_plurals == PLURAL_FORMS[language]
    for message in found:
        if not message.id:
            continue
        if message.pluralizable:
            assert len(message.string) == PLURAL_FORMS[language], message.id
        assert not message.check(found), (message.id, message.check(found))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_is_the_compiled_po_file(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(language))
    committed = (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert committed == compiled.getvalue(), "run scripts/translations.sh compile"


def test_pybabel_compiles_every_catalogue(tmp_path: Path) -> None:
    copy = tmp_path / "translations"
    subprocess.run(["cp", "-r", str(TRANSLATIONS), str(copy)], check=True)
    pybabel = Path(sys.executable).with_name("pybabel")
    done = subprocess.run(
        [str(pybabel), "compile", "-d", str(copy), "--statistics"],
        capture_output=True,
        text=True,
        check=True,
    )
    for language in LANGUAGES:
        assert (copy / language / "LC_MESSAGES" / "messages.mo").stat().st_size > 0
        assert f"translated in {copy}/{language}" in done.stderr


def test_the_catalogues_know_every_string_the_code_marks(tmp_path: Path) -> None:
    """Extraction finds nothing the catalogues miss: a new string must be translated."""
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        ["sh", str(ROOT / "scripts" / "translations.sh"), "extract"],
        env={"PATH": "/usr/bin:/bin", "POT": str(pot), "PYBABEL": str(pybabel)},
        check=True,
        capture_output=True,
    )
    with open(pot, "rb") as extracted:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(extracted) if m.id}
    for language in LANGUAGES:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(language) if m.id}
        assert wanted - known == set(), (language, "run scripts/translations.sh update")
