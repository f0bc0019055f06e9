"""Import CORDIS-style participation records (who took part in which EU project) as the
network's collaboration history.

Reading and writing are separate steps so a file with any bad row writes nothing.
Rules, never guessed silently (the report counts each):
- Eurostat country codes EL and UK become ISO GR and GB; `NA` in the country column is
  Namibia (ISO 3166 NA), as the row's `tc` (third country) group confirms;
- `NA` or an empty cell anywhere else is a missing value, stored as NULL;
- a missing start or end year is taken from the project's start or end date when it has one;
- organisations get a placeholder name ("PIC 998616262") as CORDIS gives none; an existing
  organisation with the same PIC (a hub that gave its PIC) keeps its profile and gains the
  history.
"""

from __future__ import annotations

import gzip
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO, TextIO, TypeVar

from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from matchmaker.hubs.csv_rows import read_rows
from matchmaker.hubs.records import CHUNK, chunks
from matchmaker.models import (
    Organisation,
    OrganisationKind,
    Participation,
    ParticipationRole,
    Project,
    ProjectProgrammePart,
    ProjectSource,
)
from matchmaker.validation import RowError, country_error

EUROSTAT_TO_ISO = {"EL": "GR", "UK": "GB"}
TYPE_TO_KIND = {
    "HES": OrganisationKind.UNIVERSITY,
    "REC": OrganisationKind.RESEARCH_CENTRE,
    "PRC": OrganisationKind.COMPANY,
    "PUB": OrganisationKind.PUBLIC_BODY,
    "OTH": OrganisationKind.OTHER,
}
MISSING = {"", "NA"}
PARTICIPATION_COLUMNS = (
    "rcn",
    "role",
    "pic",
    "type",
    "contribution",
    "country",
    "start_date",
    "end_date",
    "max_contribution",
    "total_cost",
    "start_year",
    "end_year",
    "duration",
)
PARTS_COLUMNS = ("rcn", "programme_part")
PROGRAMME = "H2020"
DIGITS = re.compile(r"[0-9]+")
MAX_AMOUNT = Decimal(10) ** 12  # what Numeric(14, 2) holds
ProgressFn = Callable[[int], Any]


@dataclass(frozen=True)
class OrganisationRow:
    kind: OrganisationKind
    country: str


@dataclass(frozen=True)
class ProjectRow:
    start_date: date | None
    end_date: date | None
    start_year: int | None
    end_year: int | None
    duration_months: int | None
    total_cost: Decimal | None
    max_contribution: Decimal | None


@dataclass
class CordisData:
    """What a file says, checked; `errors` empty means it can be written."""

    rows: int = 0
    organisations: dict[str, OrganisationRow] = field(default_factory=dict)
    projects: dict[str, ProjectRow] = field(default_factory=dict)
    participations: dict[tuple[str, str], tuple[ParticipationRole, Decimal | None]] = field(
        default_factory=dict
    )
    parts: dict[str, set[str]] = field(default_factory=dict)
    parts_for_unknown_projects: int = 0
    missing_values: Counter[str] = field(default_factory=Counter)
    years_from_dates: int = 0
    countries_mapped: Counter[str] = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)

    @property
    def write_units(self) -> int:
        return len(self.organisations) + len(self.projects) + len(self.participations)


@dataclass
class CordisSummary:
    organisations_created: int = 0
    projects_created: int = 0
    projects_updated: int = 0
    participations_created: int = 0
    participations_updated: int = 0
    parts_created: int = 0
    parts_removed: int = 0

    @property
    def changed(self) -> bool:
        return any(vars(self).values())


@contextmanager
def open_table(path: Path, on_bytes: ProgressFn | None = None) -> Iterator[TextIO]:
    """A CSV file, gzip-compressed or plain, read as text; `on_bytes` hears how far it got."""
    with path.open("rb") as raw:
        compressed = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        counted: BinaryIO = _CountingReader(raw, on_bytes) if on_bytes else raw  # type: ignore[assignment]
        binary: Any = gzip.GzipFile(fileobj=counted) if compressed else counted
        yield io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


class _CountingReader(io.RawIOBase):
    def __init__(self, raw: BinaryIO, on_bytes: ProgressFn) -> None:
        self.raw, self.on_bytes = raw, on_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.on_bytes(count)
        return count


def read_cordis(
    participations_path: Path, parts_path: Path | None = None, on_bytes: ProgressFn | None = None
) -> CordisData:
    data = CordisData()
    with open_table(participations_path, on_bytes) as stream:
        _header, rows, data.errors = read_rows(stream, PARTICIPATION_COLUMNS)
        first_row: dict[str, int] = {}
        for row_number, row in rows:
            data.rows += 1
            _read_participation(data, row_number, row, first_row)
    if parts_path is not None:
        _read_parts(data, parts_path)
    return data


def _read_participation(
    data: CordisData, row_number: int, cells: dict[str, str | None], first_row: dict[str, int]
) -> None:
    errors: list[RowError] = []

    def fail(column: str, reason: str) -> None:
        errors.append(RowError(row_number, column, reason))

    if short := [column for column in PARTICIPATION_COLUMNS if cells.get(column) is None]:
        fail(short[0], f"the row ends early: no cell for {', '.join(short)}")
        data.errors += errors
        return
    row = {column: cells[column] or "" for column in PARTICIPATION_COLUMNS}

    for column in PARTICIPATION_COLUMNS:
        if (row[column] or "").strip() in MISSING and column != "country":
            data.missing_values[column] += 1
    rcn, pic = row["rcn"].strip(), row["pic"].strip()
    if not DIGITS.fullmatch(rcn) or len(rcn) > 40:
        fail("rcn", f"{rcn!r} is not a project number")
    if not DIGITS.fullmatch(pic) or len(pic) > 20:
        fail("pic", f"{pic!r} is not a Participant Identification Code (up to 20 digits)")
    try:
        role = ParticipationRole(row["role"].strip())
    except ValueError:
        fail("role", f"{row['role']!r} is not coordinator, participant or partner")
    kind = TYPE_TO_KIND.get(row["type"].strip())
    if kind is None:
        fail("type", f"{row['type']!r} is not one of {', '.join(TYPE_TO_KIND)}")
    raw_country = row["country"].strip()
    country = EUROSTAT_TO_ISO.get(raw_country, raw_country)
    if country != raw_country:
        data.countries_mapped[f"{raw_country}->{country}"] += 1
    if reason := country_error(country):
        fail("country", reason)
    values: dict[str, Any] = {}
    for column, parse in (
        ("contribution", _amount),
        ("max_contribution", _amount),
        ("total_cost", _amount),
        ("start_date", _date),
        ("end_date", _date),
        ("start_year", _year),
        ("end_year", _year),
        ("duration", _count),
    ):
        try:
            values[column] = parse(row[column])
        except ValueError as error:
            fail(column, str(error))
    if errors:
        data.errors += errors
        return
    if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
        data.errors.append(
            RowError(row_number, "end_date", f"{row['end_date']} is before {row['start_date']}")
        )
        return
    for year, day in (("start_year", "start_date"), ("end_year", "end_date")):
        if values[year] is None and values[day] is not None:
            values[year] = values[day].year
            data.years_from_dates += 1
    project = ProjectRow(
        values["start_date"],
        values["end_date"],
        values["start_year"],
        values["end_year"],
        values["duration"],
        values["total_cost"],
        values["max_contribution"],
    )
    organisation = OrganisationRow(kind, country)  # type: ignore[arg-type]
    _check_same(data, data.projects, rcn, project, "project", "rcn", row_number, first_row)
    _check_same(
        data, data.organisations, pic, organisation, "organisation", "pic", row_number, first_row
    )
    if (rcn, pic) in data.participations:
        data.errors.append(
            RowError(row_number, "pic", f"organisation {pic} is twice in project {rcn}")
        )
    data.participations[(rcn, pic)] = (role, values["contribution"])


V = TypeVar("V")


def _check_same(
    data: CordisData,
    store: dict[str, V],
    key: str,
    value: V,
    what: str,
    column: str,
    row_number: int,
    first_row: dict[str, int],
) -> None:
    """A project or organisation repeats on many rows; every row must say the same of it."""
    known = store.setdefault(key, value)
    first_row.setdefault(what + key, row_number)
    if known != value:
        data.errors.append(
            RowError(
                row_number,
                column,
                f"{what} {key} differs from row {first_row[what + key]}: {known} vs {value}",
            )
        )


def _read_parts(data: CordisData, path: Path) -> None:
    with open_table(path) as stream:
        _header, rows, errors = read_rows(stream, PARTS_COLUMNS)
        data.errors += errors
        for row_number, row in rows:
            rcn = (row["rcn"] or "").strip()
            part = (row["programme_part"] or "").strip()
            if not DIGITS.fullmatch(rcn) or not part or len(part) > 60:
                data.errors.append(
                    RowError(row_number, "rcn", f"{rcn!r}, {part!r} is not a project and part")
                )
            elif rcn in data.projects:
                data.parts.setdefault(rcn, set()).add(part)
            else:
                data.parts_for_unknown_projects += 1


def _missing(raw: str | None) -> bool:
    return raw is None or raw.strip() in MISSING


def _amount(raw: str) -> Decimal | None:
    if _missing(raw):
        return None
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not an amount in euros") from None
    if not value.is_finite() or not 0 <= value < MAX_AMOUNT:
        raise ValueError(f"{raw!r} is not an amount in euros")
    return value.quantize(Decimal("0.01"))


def _date(raw: str) -> date | None:
    if _missing(raw):
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(f"{raw!r} is not a date (YYYY-MM-DD)") from None


def _count(raw: str) -> int | None:
    if _missing(raw):
        return None
    if not DIGITS.fullmatch(raw.strip()) or len(raw.strip()) > 6:
        raise ValueError(f"{raw!r} is not a whole number below a million")
    return int(raw)


def _year(raw: str) -> int | None:
    year = _count(raw)
    if year is not None and not 1950 <= year <= 2100:
        raise ValueError(f"{raw!r} is not a plausible year")
    return year


def write_cordis(
    session: Session, data: CordisData, on_rows: ProgressFn | None = None
) -> CordisSummary:
    """Store checked data: create what is new, update what changed, leave the rest.
    The caller commits."""
    if data.errors:
        raise ValueError("refusing to write data with errors")
    progress = on_rows or (lambda _count: None)
    summary = CordisSummary()
    organisation_ids = _write_organisations(session, data, summary)
    progress(len(data.organisations))
    project_ids = _write_projects(session, data, summary)
    progress(len(data.projects))
    _write_participations(session, data, organisation_ids, project_ids, summary, progress)
    _write_parts(session, data, project_ids, summary)
    session.expire_all()
    return summary


def _write_organisations(
    session: Session, data: CordisData, summary: CordisSummary
) -> dict[str, int]:
    ids: dict[str, int] = {
        pic: organisation_id
        for pic, organisation_id in session.execute(
            select(Organisation.pic, Organisation.id).where(Organisation.pic.is_not(None))
        )
        if pic is not None
    }
    new = [
        {
            "pic": pic,
            "slug": f"pic-{pic}",
            "name": f"PIC {pic}",
            "kind": row.kind,
            "country": row.country,
            "description": "",
            "desks": 0,
            "residency_places": 0,
            "accepts_visits": False,
            "is_member": False,
            "supports_ccis": False,
            "hosts_ccis_community": False,
            "has_physical_space": False,
            "develops_community": False,
        }
        for pic, row in data.organisations.items()
        if pic not in ids
    ]
    for chunk in chunks(new, CHUNK):
        new_ids = session.scalars(
            insert(Organisation).returning(Organisation.id, sort_by_parameter_order=True), chunk
        ).all()
        ids.update(zip((str(row["pic"]) for row in chunk), new_ids, strict=True))
    summary.organisations_created = len(new)
    return ids


def _write_projects(session: Session, data: CordisData, summary: CordisSummary) -> dict[str, int]:
    columns = (
        Project.external_id,
        Project.id,
        Project.start_date,
        Project.end_date,
        Project.start_year,
        Project.end_year,
        Project.duration_months,
        Project.total_cost,
        Project.max_contribution,
    )
    stored = {
        row[0]: (row[1], ProjectRow(*row[2:]))
        for row in session.execute(select(*columns).where(Project.source == ProjectSource.CORDIS))
    }
    ids = {rcn: project_id for rcn, (project_id, _) in stored.items()}
    new = [rcn for rcn in data.projects if rcn not in stored]
    changed = [rcn for rcn, row in data.projects.items() if rcn in stored and stored[rcn][1] != row]
    for chunk in chunks(new, CHUNK):
        new_ids = session.scalars(
            insert(Project).returning(Project.id, sort_by_parameter_order=True),
            [_project_values(rcn, data.projects[rcn]) for rcn in chunk],
        ).all()
        ids.update(zip(chunk, new_ids, strict=True))
    if changed:
        session.execute(
            update(Project),
            [{"id": ids[rcn], **_project_values(rcn, data.projects[rcn])} for rcn in changed],
        )
    summary.projects_created, summary.projects_updated = len(new), len(changed)
    return ids


def _project_values(rcn: str, row: ProjectRow) -> dict[str, Any]:
    return {
        "source": ProjectSource.CORDIS,
        "external_id": rcn,
        "programme": PROGRAMME,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "start_year": row.start_year,
        "end_year": row.end_year,
        "duration_months": row.duration_months,
        "total_cost": row.total_cost,
        "max_contribution": row.max_contribution,
    }


def _write_participations(
    session: Session,
    data: CordisData,
    organisation_ids: dict[str, int],
    project_ids: dict[str, int],
    summary: CordisSummary,
    progress: ProgressFn,
) -> None:
    cordis_projects = select(Project.id).where(Project.source == ProjectSource.CORDIS)
    stored = {
        (project_id, organisation_id): (participation_id, role, contribution)
        for participation_id, project_id, organisation_id, role, contribution in session.execute(
            select(
                Participation.id,
                Participation.project_id,
                Participation.organisation_id,
                Participation.role,
                Participation.contribution,
            ).where(Participation.project_id.in_(cordis_projects))
        )
    }
    new, changed = [], []
    for (rcn, pic), (role, contribution) in data.participations.items():
        key = (project_ids[rcn], organisation_ids[pic])
        values = {"role": role, "contribution": contribution}
        if key not in stored:
            new.append({"project_id": key[0], "organisation_id": key[1], **values})
        elif stored[key][1:] != (role, contribution):
            changed.append({"id": stored[key][0], **values})
    for chunk in chunks(new, 5000):
        session.execute(insert(Participation), chunk)
        progress(len(chunk))
    if changed:
        session.execute(update(Participation), changed)
    progress(len(data.participations) - len(new))
    summary.participations_created, summary.participations_updated = len(new), len(changed)


def _write_parts(
    session: Session, data: CordisData, project_ids: dict[str, int], summary: CordisSummary
) -> None:
    """The parts file is the truth for the projects it names."""
    if not data.parts:
        return
    wanted = {(project_ids[rcn], part) for rcn, parts in data.parts.items() for part in parts}
    named = {project_ids[rcn] for rcn in data.parts}
    stored = set(
        session.execute(
            select(ProjectProgrammePart.project_id, ProjectProgrammePart.part).where(
                ProjectProgrammePart.project_id.in_(
                    select(Project.id).where(Project.source == ProjectSource.CORDIS)
                )
            )
        ).all()
    )
    stored = {pair for pair in stored if pair[0] in named}
    new, stale = sorted(wanted - stored), sorted(stored - wanted)
    for chunk in chunks(new, 5000):
        session.execute(
            insert(ProjectProgrammePart), [{"project_id": p, "part": part} for p, part in chunk]
        )
    for chunk in chunks(stale, CHUNK):
        session.execute(
            delete(ProjectProgrammePart).where(
                tuple_(ProjectProgrammePart.project_id, ProjectProgrammePart.part).in_(chunk)
            )
        )
    summary.parts_created, summary.parts_removed = len(new), len(stale)
