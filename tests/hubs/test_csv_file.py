import csv
import io
import unicodedata
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.hubs.csv_file import COLUMN_NAMES, read_hubs_csv, write_hubs_csv
from matchmaker.hubs.records import (
    HubRecord,
    NeedRecord,
    ServiceRecord,
    Taxonomy,
    load_hub_records,
    validate_hub,
)
from matchmaker.hubs.taxonomy import DEFAULT_DISCIPLINES, DEFAULT_SERVICE_CATEGORIES
from matchmaker.models import NeedPriority, Organisation, OrganisationKind, Service
from tests.support.builders import hub_record, make_hub

TAXONOMY = Taxonomy(
    disciplines={slug: n for n, (slug, _) in enumerate(DEFAULT_DISCIPLINES)},
    categories={slug: n for n, (slug, _) in enumerate(DEFAULT_SERVICE_CATEGORIES)},
)


def visible(text: str) -> bool:
    return any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Zs") for c in text)


# One-line texts as a person types them: no control character, line or paragraph
# separator, and something visible; they may start like a formula (=, +, -, @).
one_line = (
    st.text(
        st.characters(
            codec="utf-8",
            exclude_categories=("Cc", "Cs", "Zl", "Zp"),
            exclude_characters="|",
        )
        | st.sampled_from("=+-@'"),
        max_size=40,
    )
    # Imports store texts in NFC (one form for "é"): the round trip is of NFC texts.
    .map(lambda text: unicodedata.normalize("NFC", text).strip())
    .filter(lambda text: not text or visible(text))
)
title = one_line.filter(bool)
slug = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
services = st.builds(ServiceRecord, st.sampled_from(sorted(TAXONOMY.categories)), title, one_line)
needs = st.builds(
    NeedRecord,
    st.sampled_from(sorted(TAXONOMY.categories)),
    title,
    one_line,
    st.sampled_from(list(NeedPriority)),
)
coordinates = st.one_of(
    st.none(),
    st.tuples(st.floats(-90, 90, allow_nan=False), st.floats(-180, 180, allow_nan=False)),
)


@st.composite
def hub_records(draw: st.DrawFn) -> HubRecord:
    point = draw(coordinates)
    return HubRecord(
        slug=draw(slug),
        name=draw(title),
        country=draw(st.sampled_from(["PT", "GR", "GB", "DE", "NA", "UA"])),
        kind=draw(st.sampled_from(list(OrganisationKind))),
        city=draw(st.none() | title),
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        website=draw(st.none() | st.just("https://hub.example/path?q=1")),
        founded_year=draw(st.none() | st.integers(1800, 2026)),
        description=draw(one_line),
        disciplines=tuple(draw(st.sets(st.sampled_from(sorted(TAXONOMY.disciplines))))),
        languages=tuple(draw(st.sets(st.sampled_from(["pt", "en", "el", "uk", "cy"])))),
        desks=draw(st.integers(0, 500)),
        residency_places=draw(st.integers(0, 50)),
        accepts_visits=draw(st.booleans()),
        is_member=draw(st.booleans()),
        supports_ccis=draw(st.booleans()),
        hosts_ccis_community=draw(st.booleans()),
        has_physical_space=draw(st.booleans()),
        develops_community=draw(st.booleans()),
        pic=draw(st.none() | st.from_regex(r"[0-9]{9}", fullmatch=True)),
        services=tuple(draw(st.lists(services, max_size=4))),
        needs=tuple(draw(st.lists(needs, max_size=3))),
    ).normalised()


@settings(max_examples=150)
@given(st.lists(hub_records(), max_size=5, unique_by=lambda r: r.slug))
def test_writing_then_reading_gives_the_same_records(records: list[HubRecord]) -> None:
    out = io.StringIO()
    write_hubs_csv(records, out)
    read, errors, _columns = read_hubs_csv(io.StringIO(out.getvalue()), TAXONOMY)
    assert errors == []
    assert [r.normalised() for r in read] == records


def csv_text(*rows: dict[str, str]) -> str:
    out = io.StringIO()
    write_hubs_csv([hub_record("base-hub")], out)
    header = out.getvalue().splitlines()[0]
    lines = [header]
    for row in rows:
        lines.append(",".join(_quote(row.get(column, "")) for column in COLUMN_NAMES))
    return "\n".join(lines) + "\n"


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


GOOD = {
    "name": "Fabrica Lisboa",
    "country": "PT",
    "city": "Lisbon",
    "languages": "pt;en",
    "disciplines": "design",
    "desks": "8",
    "services": "fablab | Laser cutter | 60x40 cm CO2 laser\ncoworking | Desks | Eight desks",
    "needs": "funding | high | Vouchers | How do vouchers work?",
}


def test_import_creates_hubs_with_services_and_needs(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "hubs.csv"
    path.write_text(csv_text(GOOD, {**GOOD, "name": "Kiln Athens", "country": "GR"}))
    result = runner.invoke(args=["hubs", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 0 unchanged" in result.output
    hub = session.scalars(select(Organisation).where(Organisation.slug == "fabrica-lisboa")).one()
    assert (hub.city, hub.country, hub.desks, hub.languages) == ("Lisbon", "PT", 8, ["en", "pt"])
    assert [(s.category.slug, s.title) for s in hub.services] == [
        ("fablab", "Laser cutter"),
        ("coworking", "Desks"),
    ]
    assert [(n.category.slug, n.priority) for n in hub.needs] == [("funding", NeedPriority.HIGH)]


def test_reimporting_the_same_file_changes_nothing(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "hubs.csv"
    path.write_text(csv_text(GOOD))
    runner.invoke(args=["hubs", "import", str(path)])
    result = runner.invoke(args=["hubs", "import", str(path)])
    assert "0 created, 0 updated, 1 unchanged" in result.output
    assert session.scalar(select(func.count()).select_from(Organisation)) == 1
    assert session.scalar(select(func.count()).select_from(Service)) == 2


def test_a_changed_row_updates_the_hub_without_duplicating(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "hubs.csv"
    path.write_text(csv_text(GOOD))
    runner.invoke(args=["hubs", "import", str(path)])
    path.write_text(csv_text({**GOOD, "desks": "20", "services": "training | Courses | Weekly"}))
    result = runner.invoke(args=["hubs", "import", str(path)])
    assert "0 created, 1 updated" in result.output
    hub = session.scalars(select(Organisation)).one()
    assert hub.desks == 20
    assert [s.title for s in hub.services] == ["Courses"]


def test_export_then_import_round_trips_through_the_database(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    make_hub(session, "yeast-house")
    make_hub(session, "kiln-athens", country="GR", languages=("el", "en"), pic="999999999")
    before = load_hub_records(session)
    path = tmp_path / "export.csv"
    assert runner.invoke(args=["hubs", "export", str(path)]).exit_code == 0
    session.execute(Organisation.__table__.delete())
    result = runner.invoke(args=["hubs", "import", str(path)])
    assert "2 created" in result.output, result.output
    assert load_hub_records(session) == before


def test_a_file_with_bad_rows_imports_nothing_and_names_every_problem(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    make_hub(session, "fabrica-lisboa", desks=3)
    path = tmp_path / "hubs.csv"
    path.write_text(
        csv_text(
            {**GOOD, "desks": "9"},
            {**GOOD, "name": "Bad Country", "country": "XX"},
            {**GOOD, "name": "Bad Language", "languages": "pt;portuguese"},
            {**GOOD, "name": "Bad Site", "website": "www.no-scheme"},
            {**GOOD, "name": "Negative", "desks": "-4"},
            {**GOOD, "name": ""},
            {**GOOD, "name": "Bad Need", "needs": "funding | urgent | Money"},
            {**GOOD, "name": "Bad Category", "services": "catering | Food | Lunch"},
            {**GOOD, "name": "Fabrica Lisboa"},
        )
    )
    result = runner.invoke(args=["hubs", "import", str(path)])
    assert result.exit_code == 1
    output = result.output
    assert "row 3, column country: unknown country code 'XX'" in output
    assert "row 4, column languages: 'portuguese' is not an ISO 639-1 language code" in output
    assert "row 5, column website: 'www.no-scheme' is not a web address" in output
    assert "row 6, column desks: desks cannot be negative (-4)" in output
    assert "row 7, column name: a name is required" in output
    assert "row 8, column needs: line 1: priority 'urgent' is not high, medium or low" in output
    assert "row 9, column services: entry 1: unknown category 'catering'" in output
    assert "row 10, column slug: 'fabrica-lisboa' is already used on row 2" in output
    assert "nothing was imported" in output
    assert "row 2," not in output
    assert session.scalars(select(Organisation.desks)).all() == [3]


def test_unknown_and_missing_columns_are_reported_on_the_header_row(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "hubs.csv"
    path.write_text("name,contry\nFabrica,PT\n")
    result = runner.invoke(args=["hubs", "import", str(path)])
    assert result.exit_code == 1
    assert "row 1, column contry: unknown column" in result.output
    assert "row 1, column country: required column is missing" in result.output


def test_a_pic_that_belongs_to_another_organisation_is_refused(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    make_hub(session, "owner", pic="123456789")
    path = tmp_path / "hubs.csv"
    path.write_text(csv_text({**GOOD, "pic": "123456789"}))
    result = runner.invoke(args=["hubs", "import", str(path)])
    assert "row 2, column pic: 123456789 already belongs to organisation 'owner'" in result.output
    assert session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_a_file_that_is_not_utf8_is_a_clear_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "hubs.csv"
    path.write_bytes("name,country\nK\xf6ln Hub,DE\n".encode("latin-1"))
    result = runner.invoke(args=["hubs", "import", str(path)])
    assert result.exit_code == 1
    assert "is not UTF-8 text" in result.output


def test_export_to_standard_output_lists_hubs_only_unless_asked(
    runner: FlaskCliRunner, session: Session
) -> None:
    make_hub(session, "yeast-house")
    make_hub(session, "uni-porto", kind=OrganisationKind.UNIVERSITY)
    hubs_only = runner.invoke(args=["hubs", "export", "-"]).output
    assert "yeast-house" in hubs_only and "uni-porto" not in hubs_only
    everything = runner.invoke(args=["hubs", "export", "-", "--all-kinds"]).output
    assert "uni-porto" in everything


def test_values_the_database_cannot_hold_are_reported_not_crashed_on(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "hubs.csv"
    path.write_text(
        csv_text(
            {**GOOD, "name": "Long City", "city": "x" * 121},
            {**GOOD, "name": "Many Desks", "desks": "99999999999999999999"},
            {**GOOD, "name": "Odd Pic", "pic": "12-34"},
            {**GOOD, "name": "Nan Place", "latitude": "nan", "longitude": "10"},
            {**GOOD, "name": "Future Hub", "founded_year": "2999"},
        )
    )
    result = runner.invoke(args=["hubs", "import", str(path)])
    assert result.exit_code == 1
    assert "row 2, column city: at most 120 characters, this has 121" in result.output
    assert "row 3, column desks: desks above 10000 is not plausible" in result.output
    assert "row 4, column pic: '12-34' is not a PIC (digits only)" in result.output
    assert "row 5, column latitude: latitude nan is not between -90 and 90" in result.output
    assert "row 6, column founded_year: founded year 2999 is not between 1800 and" in result.output
    assert session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_columns_a_file_leaves_out_keep_their_stored_values(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    make_hub(session, "fab", pic="111111111", desks=7)
    path = tmp_path / "rename.csv"
    path.write_text("slug,name,country\nfab,Fab Renamed,PT\n")
    result = runner.invoke(args=["hubs", "import", str(path)])
    assert "1 updated" in result.output, result.output
    (record,) = load_hub_records(session)
    assert record.name == "Fab Renamed"
    assert (record.pic, record.desks, record.languages) == ("111111111", 7, ("en", "pt"))
    assert [s.title for s in record.services] == ["Laser cutting workshop", "Open studio desks"]


@pytest.mark.parametrize(
    "name",
    ["Tab\x0bHub", "Line\u2028Hub", "Para\u2029Hub", "Next\x85Hub", "Esc\x1bHub", "\u200b\u200b"],
)
def test_names_with_line_breaks_control_characters_or_nothing_visible_are_refused(
    name: str,
) -> None:
    problems = validate_hub(hub_record("odd-hub", name=name), TAXONOMY)
    assert [column for column, _reason in problems] == ["name"]


def test_cells_that_could_start_a_formula_are_written_as_text_and_read_back_whole() -> None:
    formula = '=HYPERLINK("http://evil.example","x")'
    record = hub_record("formula-hub", name=formula, description="@SUM(1+1)", city="-2+3")
    out = io.StringIO()
    write_hubs_csv([record], out)
    cells = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert cells["name"] == "'" + formula
    assert cells["description"] == "'@SUM(1+1)" and cells["city"] == "'-2+3"
    assert cells["longitude"] == "-8.6291"  # numbers are never formulas
    records, errors, _ = read_hubs_csv(io.StringIO(out.getvalue()), TAXONOMY)
    assert errors == [] and records[0].name == formula and records[0].city == "-2+3"
