"""Hub profiles as plain records, their validation, and saving many at once.

The CSV import, the demo seeder, the profile forms and the API all go through
`validate_hub` and `save_hubs`, so a hub is checked and stored the same way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any, TypeVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, selectinload

from matchmaker.i18n.detect import detect_language
from matchmaker.models import (
    Discipline,
    Need,
    NeedPriority,
    Organisation,
    OrganisationKind,
    OrganisationLanguage,
    Service,
    ServiceCategory,
    organisation_disciplines,
)
from matchmaker.validation import (
    country_error,
    founded_year_error,
    language_error,
    slug_error,
    text_error,
    url_error,
)

CHUNK = 500
T = TypeVar("T")


@dataclass(frozen=True)
class ServiceRecord:
    category: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class NeedRecord:
    category: str
    title: str
    description: str = ""
    priority: NeedPriority = NeedPriority.MEDIUM


@dataclass(frozen=True)
class HubRecord:
    """One organisation's profile with its services and needs, as imported or exported."""

    slug: str
    name: str
    country: str
    kind: OrganisationKind = OrganisationKind.HUB
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    website: str | None = None
    founded_year: int | None = None
    description: str = ""
    disciplines: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    desks: int = 0
    residency_places: int = 0
    accepts_visits: bool = True
    is_member: bool = False
    supports_ccis: bool = False
    hosts_ccis_community: bool = False
    has_physical_space: bool = False
    develops_community: bool = False
    pic: str | None = None
    services: tuple[ServiceRecord, ...] = ()
    needs: tuple[NeedRecord, ...] = ()

    def normalised(self) -> HubRecord:
        """Same hub, with sets stored as sorted tuples so equal profiles compare equal."""
        return replace(
            self,
            disciplines=tuple(sorted(set(self.disciplines))),
            languages=tuple(sorted(set(self.languages))),
        )


# The columns of `organisations` a record sets directly.
PROFILE_FIELDS = tuple(
    f.name
    for f in fields(HubRecord)
    if f.name not in {"disciplines", "languages", "services", "needs"}
)


# Longest text each column stores, read from the table so the two never disagree.
def _length(column: Any) -> int:
    length = column.type.length
    assert isinstance(length, int)
    return length


TEXT_LIMITS = {
    name: _length(Organisation.__table__.c[name]) for name in ("name", "city", "website", "pic")
}
ENTRY_TITLE_LIMIT = _length(Service.__table__.c["title"])
MAX_PLACES = 10_000


@dataclass
class Taxonomy:
    """The slugs a record may use, with their ids."""

    disciplines: dict[str, int]
    categories: dict[str, int]

    @classmethod
    def load(cls, session: Session) -> Taxonomy:
        return cls(
            disciplines=dict(session.execute(select(Discipline.slug, Discipline.id)).all()),
            categories=dict(
                session.execute(select(ServiceCategory.slug, ServiceCategory.id)).all()
            ),
        )


def validate_hub(
    record: HubRecord, taxonomy: Taxonomy, today: date | None = None
) -> list[tuple[str, str]]:
    """Every problem with a record, as (field, reason) pairs; empty when it can be saved."""
    problems: list[tuple[str, str]] = []

    def check(column: str, reason: str | None) -> None:
        if reason:
            problems.append((column, reason))

    check("slug", slug_error(record.slug))
    check("name", _("a name is required") if not record.name.strip() else None)
    for column, limit in TEXT_LIMITS.items():
        value = getattr(record, column) or ""
        if len(value) > limit:
            problems.append(
                (
                    column,
                    _(
                        "at most %(limit)s characters, this has %(length)s",
                        limit=limit,
                        length=len(value),
                    ),
                )
            )
    check("country", country_error(record.country))
    if record.pic and not re.fullmatch(r"[0-9]+", record.pic):
        problems.append(("pic", _("%(pic)s is not a PIC (digits only)", pic=repr(record.pic))))
    if record.slug.startswith("pic-") and record.slug != f"pic-{record.pic}":
        problems.append(("slug", _("slugs starting with pic- are kept for CORDIS organisations")))
    for column, one_line in (("name", True), ("city", True), ("description", False)):
        check(column, text_error(getattr(record, column) or "", one_line=one_line))
    check("website", text_error(record.website or "", one_line=True))
    if record.website:
        check("website", url_error(record.website))
    if record.founded_year is not None:
        check("founded_year", founded_year_error(record.founded_year, today))
    for column, negative, too_many in (
        (
            "desks",
            _l("desks cannot be negative (%(value)s)"),
            _l("desks above %(most)s is not plausible"),
        ),
        (
            "residency_places",
            _l("residency places cannot be negative (%(value)s)"),
            _l("residency places above %(most)s is not plausible"),
        ),
    ):
        value = getattr(record, column)
        check(column, negative % {"value": value} if value < 0 else None)
        check(column, too_many % {"most": MAX_PLACES} if value > MAX_PLACES else None)
    if (record.latitude is None) != (record.longitude is None):
        problems.append(("latitude", _("give both latitude and longitude, or neither")))
    if record.latitude is not None and not -90 <= record.latitude <= 90:
        problems.append(
            ("latitude", _("latitude %(value)s is not between -90 and 90", value=record.latitude))
        )
    if record.longitude is not None and not -180 <= record.longitude <= 180:
        problems.append(
            (
                "longitude",
                _("longitude %(value)s is not between -180 and 180", value=record.longitude),
            )
        )
    for code in record.languages:
        check("languages", language_error(code))
    for slug in record.disciplines:
        if slug not in taxonomy.disciplines:
            known = ", ".join(sorted(taxonomy.disciplines))
            problems.append(
                (
                    "disciplines",
                    _(
                        "unknown discipline %(slug)s (known: %(known)s)",
                        slug=repr(slug),
                        known=known,
                    ),
                )
            )
    entries_by_column: tuple[tuple[str, tuple[ServiceRecord | NeedRecord, ...]], ...] = (
        ("services", record.services),
        ("needs", record.needs),
    )
    for column, entries in entries_by_column:
        for number, entry in enumerate(entries, start=1):
            for _field, reason in entry_problems(entry, taxonomy):
                problems.append(
                    (column, _("entry %(number)s: %(reason)s", number=number, reason=reason))
                )
    return problems


def entry_problems(
    entry: ServiceRecord | NeedRecord, taxonomy: Taxonomy
) -> Iterator[tuple[str, str]]:
    """Each problem of a service or need, as (its field, the reason)."""
    if entry.category not in taxonomy.categories:
        known = ", ".join(sorted(taxonomy.categories))
        yield (
            "category",
            _(
                "unknown category %(slug)s (known: %(known)s)",
                slug=repr(entry.category),
                known=known,
            ),
        )
    if not entry.title.strip():
        yield "title", _("a title is required")
    if len(entry.title) > ENTRY_TITLE_LIMIT:
        yield "title", _("a title has at most %(limit)s characters", limit=ENTRY_TITLE_LIMIT)
    if "|" in entry.title:
        yield "title", _("a title cannot contain '|'")
    if reason := text_error(entry.title, one_line=True):
        yield "title", _("the title %(reason)s", reason=reason)
    if reason := text_error(entry.description, one_line=True):
        yield "description", _("the description %(reason)s", reason=reason)


@dataclass
class SaveSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: dict[str, int] = field(default_factory=dict)


def save_hubs(
    session: Session,
    records: Sequence[HubRecord],
    taxonomy: Taxonomy,
    *,
    detect_languages: bool = True,
) -> SaveSummary:
    """Create or update organisations by slug; services and needs are replaced by the record's.

    Each service's and need's language is detected from its text, as for one typed in a
    form (the demo, which knows its own, says `detect_languages=False`).

    Records must be valid (`validate_hub`). Unchanged profiles are not written again.
    The caller commits.
    """
    summary = SaveSummary()
    records = [record.normalised() for record in records]
    existing: dict[str, int] = {}
    for slugs in chunks([record.slug for record in records], CHUNK):
        existing.update(
            session.execute(
                select(Organisation.slug, Organisation.id).where(Organisation.slug.in_(slugs))
            ).all()
        )
    stored = {record.slug: record for record in load_hub_records(session, list(existing))}
    new = [record for record in records if record.slug not in existing]
    changed = [
        record for record in records if record.slug in existing and stored[record.slug] != record
    ]
    summary.unchanged = len(records) - len(new) - len(changed)
    summary.ids.update(existing)
    if new:
        for chunk in chunks(new, CHUNK):
            ids = session.scalars(
                insert(Organisation).returning(Organisation.id, sort_by_parameter_order=True),
                [_profile_row(record) for record in chunk],
            ).all()
            summary.ids.update(zip((record.slug for record in chunk), ids, strict=True))
    if changed:
        session.execute(
            update(Organisation),
            [{"id": existing[r.slug], **_profile_row(r)} for r in changed],
        )
        changed_ids = [existing[record.slug] for record in changed]
        for id_chunk in chunks(changed_ids, CHUNK):
            for model in (Service, Need, OrganisationLanguage):
                session.execute(delete(model).where(model.organisation_id.in_(id_chunk)))
            session.execute(
                delete(organisation_disciplines).where(
                    organisation_disciplines.c.organisation_id.in_(id_chunk)
                )
            )
    _insert_children(session, [*new, *changed], summary.ids, taxonomy, detect_languages)
    summary.created, summary.updated = len(new), len(changed)
    session.expire_all()
    return summary


def _profile_row(record: HubRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in PROFILE_FIELDS}


def _insert_children(
    session: Session,
    records: list[HubRecord],
    ids: dict[str, int],
    taxonomy: Taxonomy,
    detect_languages: bool,
) -> None:
    def language(entry: ServiceRecord | NeedRecord) -> str | None:
        return detect_language(f"{entry.title}. {entry.description}") if detect_languages else None

    services, needs, languages, disciplines = [], [], [], []
    for record in records:
        organisation_id = ids[record.slug]
        services += [
            {
                "organisation_id": organisation_id,
                "category_id": taxonomy.categories[s.category],
                "title": s.title,
                "description": s.description,
                "language": language(s),
            }
            for s in record.services
        ]
        needs += [
            {
                "organisation_id": organisation_id,
                "category_id": taxonomy.categories[n.category],
                "title": n.title,
                "description": n.description,
                "language": language(n),
                "priority": n.priority,
            }
            for n in record.needs
        ]
        languages += [{"organisation_id": organisation_id, "code": c} for c in record.languages]
        disciplines += [
            {"organisation_id": organisation_id, "discipline_id": taxonomy.disciplines[d]}
            for d in record.disciplines
        ]
    for model, rows in ((Service, services), (Need, needs), (OrganisationLanguage, languages)):
        if rows:
            session.execute(insert(model), rows)
    if disciplines:
        session.execute(insert(organisation_disciplines), disciplines)


def load_hub_records(
    session: Session, slugs: Iterable[str] | None = None, kinds: Iterable[OrganisationKind] = ()
) -> list[HubRecord]:
    """Stored organisations as records, ordered by slug: all, or those `slugs` names."""
    query = (
        select(Organisation)
        .options(
            selectinload(Organisation.disciplines),
            selectinload(Organisation.language_rows),
            selectinload(Organisation.services),
            selectinload(Organisation.needs),
        )
        .order_by(Organisation.slug)
    )
    if kinds:
        query = query.where(Organisation.kind.in_(list(kinds)))
    if slugs is None:
        organisations = list(session.scalars(query))
    else:
        organisations = []
        for chunk in chunks(list(slugs), CHUNK):
            organisations += session.scalars(query.where(Organisation.slug.in_(chunk))).all()
    return [hub_record(organisation) for organisation in organisations]


def hub_record(organisation: Organisation) -> HubRecord:
    return HubRecord(
        **{name: getattr(organisation, name) for name in PROFILE_FIELDS},
        disciplines=tuple(organisation.discipline_slugs),
        languages=tuple(organisation.languages),
        services=tuple(
            ServiceRecord(s.category.slug, s.title, s.description) for s in organisation.services
        ),
        needs=tuple(
            NeedRecord(n.category.slug, n.title, n.description, n.priority)
            for n in organisation.needs
        ),
    ).normalised()


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
