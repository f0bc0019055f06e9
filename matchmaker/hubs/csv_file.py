"""The hubs CSV format: one row per organisation, services and needs one per line in a cell.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first hub row 2.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TextIO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.hubs.csv_rows import read_rows
from matchmaker.hubs.records import (
    HubRecord,
    NeedRecord,
    SaveSummary,
    ServiceRecord,
    Taxonomy,
    load_hub_records,
    save_hubs,
    validate_hub,
)
from matchmaker.models import (
    NeedPriority,
    Organisation,
    OrganisationKind,
)
from matchmaker.spreadsheet import safe_cell
from matchmaker.validation import RowError, nfc, unique_slug

# Column, what it holds. The README's CSV section is written from this list.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("slug", "unique key of the hub in URLs; made from the name when empty"),
    ("name", "required"),
    ("kind", "hub (default), university, research_centre, company, public_body, network, other"),
    ("city", "city name"),
    ("country", "required: ISO 3166-1 alpha-2 code, e.g. PT, GR, GB"),
    ("latitude", "decimal degrees, -90 to 90; with longitude or not at all"),
    ("longitude", "decimal degrees, -180 to 180"),
    ("website", "http:// or https:// address"),
    ("founded_year", "a year from 1800 to this year"),
    ("description", "free text"),
    ("disciplines", "discipline slugs separated by ';', e.g. design;crafts"),
    ("languages", "ISO 639-1 codes separated by ';', e.g. pt;en"),
    ("desks", "desks for swaps, a whole number from 0 to 10,000"),
    ("residency_places", "residency places, a whole number from 0 to 10,000"),
    ("accepts_visits", "yes/no: welcomes shadowing visits (default yes)"),
    ("is_member", "yes/no: a member of the network (default no)"),
    ("supports_ccis", "yes/no: criterion 1, its focus is supporting the CCIs"),
    ("hosts_ccis_community", "yes/no: criterion 2, a base for many CCI businesses or people"),
    ("has_physical_space", "yes/no: criterion 3, a physical place where its community meets"),
    ("develops_community", "yes/no: criterion 4, develops its community professionally"),
    ("pic", "EU Participant Identification Code: links CORDIS project history"),
    ("services", "one per line: category | title | description"),
    ("needs", "one per line: category | priority (high, medium, low) | title | description"),
)
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)
REQUIRED_COLUMNS = ("name", "country")
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0"}


class CellError(ValueError):
    """A cell that cannot be read as its column's type."""


def write_hubs_csv(records: Iterable[HubRecord], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMN_NAMES)
    count = 0
    for record in records:
        writer.writerow([_format_cell(name, getattr(record, name)) for name in COLUMN_NAMES])
        count += 1
    return count


def _format_cell(column: str, value: Any) -> str:
    if column == "services":
        return "\n".join(f"{s.category} | {s.title} | {s.description}" for s in value)
    if column == "needs":
        return "\n".join(
            f"{n.category} | {n.priority} | {n.title} | {n.description}" for n in value
        )
    if isinstance(value, tuple):
        return ";".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    return str(value)


SlugTaken = Callable[[str, str], bool]


def read_hubs_csv(
    stream: TextIO, taxonomy: Taxonomy, slug_taken: SlugTaken = lambda slug, name: False
) -> tuple[list[HubRecord], list[RowError], list[str]]:
    """Every record of the file, every problem found (records are only usable if there are
    none), and the file's columns.

    A row without a slug gets one made from its name, with -2, -3... when an earlier row
    of another name has it or `slug_taken(slug, name)` says another hub (named otherwise)
    holds it."""
    header, rows, errors = read_rows(stream, REQUIRED_COLUMNS)
    errors += [
        RowError(1, name, _("unknown column (known: %(known)s)", known=", ".join(COLUMN_NAMES)))
        for name in header
        if name not in COLUMN_NAMES
    ]
    if errors:
        return [], errors, header
    records: list[HubRecord] = []
    first_row_of_slug: dict[str, int] = {}
    name_of_slug: dict[str, str] = {}
    for row_number, row in rows:
        record, row_errors = _read_row(
            row_number,
            row,
            taxonomy,
            # The same name twice is the same hub twice: the duplicate is refused below.
            lambda slug, name: name_of_slug.get(slug, name) != name or slug_taken(slug, name),
        )
        errors += row_errors
        if record is None:
            continue
        if record.slug in first_row_of_slug:
            errors.append(
                RowError(
                    row_number,
                    "slug",
                    _(
                        "%(slug)s is already used on row %(row)s",
                        slug=repr(record.slug),
                        row=first_row_of_slug[record.slug],
                    ),
                )
            )
        first_row_of_slug.setdefault(record.slug, row_number)
        name_of_slug.setdefault(record.slug, record.name)
        records.append(record)
    return records, errors, header


def _read_row(
    row_number: int, row: dict[str, Any], taxonomy: Taxonomy, slug_taken: SlugTaken
) -> tuple[HubRecord | None, list[RowError]]:
    errors: list[RowError] = []
    if "" in row:
        errors.append(
            RowError(row_number, _("(after the last)"), _("more cells than the header has"))
        )
    values: dict[str, Any] = {}
    for column, parse in PARSERS.items():
        raw = nfc((row.get(column) or "").strip())
        if not raw:
            continue
        try:
            values[column] = parse(raw)
        except CellError as error:
            errors.append(RowError(row_number, column, str(error)))
    if errors:
        return None, errors
    name = values.get("name", "")
    if "slug" not in values:
        values["slug"] = unique_slug(name, lambda slug: slug_taken(slug, name))
    record = HubRecord(**{"name": name, "country": values.pop("country", ""), **values})
    errors += [
        RowError(row_number, column, reason) for column, reason in validate_hub(record, taxonomy)
    ]
    return (None if errors else record), errors


def _integer(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise CellError(_("%(value)s is not a whole number", value=repr(raw))) from None


def _decimal(raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise CellError(_("%(value)s is not a number", value=repr(raw))) from None


def _boolean(raw: str) -> bool:
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("%(value)s is not yes or no", value=repr(raw)))


def _kind(raw: str) -> OrganisationKind:
    try:
        return OrganisationKind(raw.lower())
    except ValueError:
        known = ", ".join(kind.value for kind in OrganisationKind)
        raise CellError(
            _("unknown kind %(kind)s (known: %(known)s)", kind=repr(raw), known=known)
        ) from None


def _code_list(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(";") if part.strip())


def _services(raw: str) -> tuple[ServiceRecord, ...]:
    entries = []
    for number, line in enumerate(_lines(raw), start=1):
        parts = [part.strip() for part in line.split("|", 2)]
        if len(parts) < 2:
            raise CellError(
                _("line %(number)s is not 'category | title | description'", number=number)
            )
        entries.append(ServiceRecord(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return tuple(entries)


def _needs(raw: str) -> tuple[NeedRecord, ...]:
    entries = []
    for number, line in enumerate(_lines(raw), start=1):
        parts = [part.strip() for part in line.split("|", 3)]
        if len(parts) < 3:
            raise CellError(
                _(
                    "line %(number)s is not 'category | priority | title | description'",
                    number=number,
                )
            )
        try:
            priority = NeedPriority(parts[1].lower())
        except ValueError:
            raise CellError(
                _(
                    "line %(number)s: priority %(priority)s is not high, medium or low",
                    number=number,
                    priority=repr(parts[1]),
                )
            ) from None
        entries.append(NeedRecord(parts[0], parts[2], parts[3] if len(parts) > 3 else "", priority))
    return tuple(entries)


def _lines(raw: str) -> list[str]:
    return [line.strip() for line in raw.splitlines() if line.strip()]


def _text(raw: str) -> str:
    return raw


PARSERS: dict[str, Callable[[str], Any]] = {
    "slug": _text,
    "name": _text,
    "kind": _kind,
    "city": _text,
    "country": str.upper,
    "latitude": _decimal,
    "longitude": _decimal,
    "website": _text,
    "founded_year": _integer,
    "description": _text,
    "disciplines": _code_list,
    "languages": _code_list,
    "desks": _integer,
    "residency_places": _integer,
    "accepts_visits": _boolean,
    "is_member": _boolean,
    "supports_ccis": _boolean,
    "hosts_ccis_community": _boolean,
    "has_physical_space": _boolean,
    "develops_community": _boolean,
    "pic": _text,
    "services": _services,
    "needs": _needs,
}


@dataclass
class ImportOutcome:
    errors: list[RowError]
    summary: SaveSummary | None = None


def import_hubs_csv(session: Session, stream: TextIO) -> ImportOutcome:
    """Import a whole file or nothing: any bad row leaves the database as it was."""
    taxonomy = Taxonomy.load(session)
    records, errors, columns = read_hubs_csv(
        stream, taxonomy, lambda slug, name: _held_by_another(session, slug, name)
    )
    if not errors:
        records = _keep_absent_columns(session, records, columns)
        errors = _pic_conflicts(session, records)
    if errors:
        return ImportOutcome(sorted(errors, key=lambda error: error.row))
    try:
        summary = save_hubs(session, records, taxonomy)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportOutcome([], summary)


def _held_by_another(session: Session, slug: str, name: str) -> bool:
    """A stored hub has this slug under another name (one of the same name is the row's
    hub, imported again, and is updated)."""
    stored = session.scalar(select(Organisation.name).where(Organisation.slug == slug))
    return stored is not None and stored != name


def _keep_absent_columns(
    session: Session, records: list[HubRecord], columns: list[str]
) -> list[HubRecord]:
    """A column the file leaves out keeps each existing hub's stored value."""
    absent = [name for name in COLUMN_NAMES if name not in columns and name != "slug"]
    if not absent:
        return records
    stored = {r.slug: r for r in load_hub_records(session, [r.slug for r in records])}
    return [
        replace(record, **{name: getattr(stored[record.slug], name) for name in absent})
        if record.slug in stored
        else record
        for record in records
    ]


def _pic_conflicts(session: Session, records: list[HubRecord]) -> list[RowError]:
    """A PIC names one organisation: in the file, and against what is stored."""
    errors = []
    rows_by_pic: dict[str, tuple[int, str]] = {}
    stored = dict(
        session.execute(
            select(Organisation.pic, Organisation.slug).where(
                Organisation.pic.in_([record.pic for record in records if record.pic])
            )
        ).all()
    )
    for row_number, record in enumerate(records, start=2):
        if not record.pic:
            continue
        if record.pic in rows_by_pic:
            errors.append(
                RowError(
                    row_number, "pic", f"{record.pic} is also on row {rows_by_pic[record.pic][0]}"
                )
            )
        rows_by_pic.setdefault(record.pic, (row_number, record.slug))
        owner = stored.get(record.pic)
        if owner is not None and owner != record.slug:
            errors.append(
                RowError(
                    row_number, "pic", f"{record.pic} already belongs to organisation {owner!r}"
                )
            )
    return errors
