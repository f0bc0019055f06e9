import gzip
from itertools import islice
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.hubs.cordis import read_cordis
from matchmaker.models import (
    Organisation,
    OrganisationKind,
    Participation,
    ParticipationRole,
    Project,
    ProjectProgrammePart,
)
from tests.support.builders import make_hub

HEADER = (
    "rcn,role,pic,type,contribution,country,start_date,end_date,max_contribution,"
    "total_cost,start_year,end_year,duration,group,nunique"
)
ROWS = [
    "221856,coordinator,984516342,PRC,376750,ES,2019-05-01,2022-04-30,2927875,2928125,2019,2022,36,eu15,3",
    "221856,participant,998802502,REC,225625,EL,2019-05-01,2022-04-30,2927875,2928125,2019,2022,36,eu15,3",
    "221856,participant,923546022,HES,NA,UK,2019-05-01,2022-04-30,2927875,2928125,2019,2022,36,eu15,3",
    "194395,participant,999596738,HES,35977.5,NA,2015-03-01,2018-05-31,1927362.5,1927362.5,2015,2018,39,tc,2",
    "194395,coordinator,998802502,REC,1000,EL,2015-03-01,2018-05-31,1927362.5,1927362.5,NA,NA,39,tc,2",
    "194830,coordinator,999841275,PUB,183454.8,DE,NA,NA,183454.8,183454.8,NA,NA,NA,eu15,1",
    "194830,participant,999999001,OTH,10,XK,NA,NA,183454.8,183454.8,NA,NA,NA,eu15,1",
]


def write(path: Path, lines: list[str], compress: bool = False) -> Path:
    text = "\n".join([HEADER, *lines]) + "\n"
    if compress:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def test_import_builds_organisations_projects_and_participations(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    path = write(tmp_path / "h2020.csv.gz", ROWS, compress=True)
    parts = tmp_path / "parts.csv"
    parts.write_text("rcn,programme_part\n221856,SC6\n221856,LEIT\n999999,ERC\n")
    short_parts = tmp_path / "short.csv"
    short_parts.write_text("rcn,programme_part\n221856\n")
    refused = runner.invoke(
        args=["projects", "import", str(path), "--programme-parts", str(short_parts)]
    )
    assert "row 2, column rcn: '221856', '' is not a project and part" in refused.output
    result = runner.invoke(args=["projects", "import", str(path), "--programme-parts", str(parts)])
    assert result.exit_code == 0, result.output
    countries = dict(session.execute(select(Organisation.pic, Organisation.country)).all())
    assert countries == {
        "984516342": "ES",
        "998802502": "GR",  # Eurostat EL
        "923546022": "GB",  # Eurostat UK
        "999596738": "NA",  # Namibia, a third country
        "999841275": "DE",
        "999999001": "XK",  # Kosovo: not in ISO 3166-1, used by the EU
    }
    greek = session.scalars(select(Organisation).where(Organisation.pic == "998802502")).one()
    assert (greek.kind, greek.name, greek.slug) == (
        OrganisationKind.RESEARCH_CENTRE,
        "PIC 998802502",
        "pic-998802502",
    )
    project = session.scalars(select(Project).where(Project.external_id == "194395")).one()
    assert (project.start_year, project.end_year) == (2015, 2018)  # from the dates
    undated = session.scalars(select(Project).where(Project.external_id == "194830")).one()
    assert (undated.start_date, undated.start_year, undated.duration_months) == (None, None, None)
    british = session.scalars(
        select(Participation).join(Organisation).where(Organisation.pic == "923546022")
    ).one()
    assert british.contribution is None
    assert british.role is ParticipationRole.PARTICIPANT
    assert sorted(session.scalars(select(ProjectProgrammePart.part))) == ["LEIT", "SC6"]
    assert "EL->GR (2 rows), UK->GB (1 rows)" in result.output
    assert "Years taken from the project's dates: 2." in result.output
    assert "Programme parts for projects not in h2020.csv.gz, skipped: 1." in result.output


def test_importing_twice_changes_nothing(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    path = write(tmp_path / "h2020.csv", ROWS)
    runner.invoke(args=["projects", "import", str(path)])
    counts = [
        session.scalar(select(func.count()).select_from(m))
        for m in (Organisation, Project, Participation)
    ]
    result = runner.invoke(args=["projects", "import", str(path)])
    assert "Nothing changed" in result.output
    assert counts == [6, 3, 7]
    assert [
        session.scalar(select(func.count()).select_from(m))
        for m in (Organisation, Project, Participation)
    ] == counts


def test_a_changed_file_updates_in_place(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    runner.invoke(args=["projects", "import", str(write(tmp_path / "a.csv", ROWS))])
    changed = [ROWS[0].replace(",376750,", ",400000,"), *ROWS[1:]]
    result = runner.invoke(args=["projects", "import", str(write(tmp_path / "b.csv", changed))])
    assert "Participations: 0 created, 1 updated" in result.output
    assert session.scalar(select(func.count()).select_from(Participation)) == 7


def test_a_hub_with_a_pic_gains_the_history_and_keeps_its_profile(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    hub = make_hub(session, "yeast-house", pic="984516342", country="PT")
    runner.invoke(args=["projects", "import", str(write(tmp_path / "a.csv", ROWS))])
    session.refresh(hub)
    assert (hub.name, hub.country, hub.kind) == ("Yeast House", "PT", OrganisationKind.HUB)
    assert [p.project.external_id for p in hub.participations] == ["221856"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (ROWS[0].replace(",ES,", ",XX,"), "row 3, column country: unknown country code 'XX'"),
        (ROWS[0].replace(",PRC,", ",ABC,"), "row 3, column type: 'ABC' is not one of HES"),
        (ROWS[0].replace("coordinator", "boss"), "row 3, column role: 'boss' is not coordinator"),
        (
            ROWS[0].replace("2019-05-01", "01/05/2019"),
            "row 3, column start_date: '01/05/2019' is not a date",
        ),
        (ROWS[0].replace(",376750,", ",-5,"), "row 3, column contribution: '-5' is not an amount"),
        (ROWS[0].replace("221856,", "x1,", 1), "row 3, column rcn: 'x1' is not a project number"),
        (
            ROWS[1].replace(",REC,", ",PUB,"),
            "row 3, column pic: organisation 998802502 differs from row 2",
        ),
        (ROWS[1].replace(",36,", ",48,"), "row 3, column rcn: project 221856 differs from row 2"),
        (
            ROWS[0].replace("2022-04-30", "2018-04-30"),
            "row 3, column end_date: 2018-04-30 is before 2019-05-01",
        ),
        (ROWS[0].replace(",36,", ",3²,"), "row 3, column duration: '3²' is not a whole number"),
    ],
)
def test_a_bad_row_imports_nothing_and_is_reported(
    runner: FlaskCliRunner, session: Session, tmp_path: Path, row: str, message: str
) -> None:
    source = ROWS[1] if "differs" in message else ROWS[2]
    result = runner.invoke(
        args=["projects", "import", str(write(tmp_path / "bad.csv", [source, row]))]
    )
    assert result.exit_code == 1
    assert message in result.output
    assert "nothing was imported" in result.output
    assert session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_a_file_without_the_columns_is_refused(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,country\nX,PT\n")
    result = runner.invoke(args=["projects", "import", str(path)])
    assert result.exit_code == 1
    assert "row 1, column rcn: required column is missing" in result.output
    assert "row 1, column duration: required column is missing" in result.output


def test_a_truncated_gzip_file_is_a_clear_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "h2020.csv.gz", ROWS, compress=True)
    path.write_bytes(path.read_bytes()[:60])
    result = runner.invoke(args=["projects", "import", str(path)])
    assert result.exit_code == 1
    assert "cannot read" in result.output


def test_the_real_file_reads_without_errors(shared_data: Path, tmp_path: Path) -> None:
    """The first 5,000 rows of the CORDIS H2020 file, through the real reader."""
    source = shared_data / "cordis-h2020" / "h2020.csv.gz"
    if not source.exists():
        pytest.skip("../shared/data is not beside this checkout")
    with gzip.open(source, "rt") as full:
        sample = list(islice(full, 5001))
    path = tmp_path / "sample.csv"
    path.write_text("".join(sample))
    data = read_cordis(path, shared_data / "cordis-h2020" / "programme_parts.csv.gz")
    assert data.errors == []
    assert data.rows == 5000
    assert "EL->GR" in data.countries_mapped and "UK->GB" in data.countries_mapped
    assert all(len(row.country) == 2 for row in data.organisations.values())
    assert data.parts


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02binary\x00", HEADER.encode() + b"\n1,partner,\x00,PRC\n"],
    ids=["empty", "binary", "nul-byte"],
)
def test_files_that_are_not_participation_tables_are_refused_clearly(
    runner: FlaskCliRunner, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    result = runner.invoke(args=["projects", "import", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "nothing was imported" in result.output or "cannot read" in result.output


def test_amounts_and_ids_too_large_to_store_are_row_errors(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    rows = [
        ROWS[0].replace(",376750,", ",1e15,"),
        ROWS[1].replace("998802502", "9" * 25),
        ROWS[2].replace(",36,", ",99999999999,"),
    ]
    result = runner.invoke(args=["projects", "import", str(write(tmp_path / "big.csv", rows))])
    assert "row 2, column contribution: '1e15' is not an amount in euros" in result.output
    assert "row 3, column pic:" in result.output
    assert (
        "row 4, column duration: '99999999999' is not a whole number below a million"
        in result.output
    )


def test_a_corrupt_gzip_is_reported_in_one_line(runner, tmp_path):
    import gzip

    whole = gzip.compress(b"projectID,organisationID\n" + b"1,2\n" * 1000)
    path = tmp_path / "broken.csv.gz"
    path.write_bytes(whole[:20] + b"\x00garbage" * 20 + whole[-8:])
    result = runner.invoke(args=["projects", "import", str(path)])
    assert result.exit_code == 1
    (error,) = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert error.startswith("Error: cannot read") and "decompressing" in error
    assert "Traceback" not in result.output
