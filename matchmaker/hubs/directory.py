"""Reading the network's hubs for pages and the API: the directory with its filters, and
everything a hub's page shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql import Select

from matchmaker.errors import InputError
from matchmaker.extensions import db
from matchmaker.field_input import FieldReader
from matchmaker.hubs.labels import taxonomy_name
from matchmaker.hubs.search import HubSort, Origin, matches, ordering
from matchmaker.hubs.search_index import catch_up
from matchmaker.hubs.search_text import query_words
from matchmaker.i18n.names import collation_key, country_name
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.models import (
    Discipline,
    Exchange,
    ExchangeParticipant,
    ExchangeState,
    HubSearch,
    Organisation,
    OrganisationKind,
    Participation,
    Project,
    Service,
    ServiceCategory,
    organisation_disciplines,
)

MAX_SEARCH = 200
# What a hub needs to host each kind of exchange.
HOSTS = {
    ExchangeKind.SHADOWING: Organisation.accepts_visits,
    ExchangeKind.HOT_DESKING: Organisation.desks > 0,
    ExchangeKind.RESIDENCY: Organisation.residency_places > 0,
}


@dataclass(frozen=True)
class NetworkCounts:
    hubs: int
    countries: int
    partners: int


@dataclass(frozen=True)
class HubFilters:
    """The directory's search: words found anywhere in a hub's profile, services and needs
    (`search`), exact filters, and the order (None: by relevance with words, else by name)."""

    search: str = ""
    country: str = ""
    discipline: str = ""
    category: str = ""
    hosts: ExchangeKind | None = None
    sort: HubSort | None = None

    @property
    def words(self) -> list[str]:
        return query_words(self.search)

    @property
    def order(self) -> HubSort:
        if self.sort is not None:
            return self.sort
        return HubSort.RELEVANCE if self.words else HubSort.NAME

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> HubFilters:
        fields = FieldReader(data)
        hosts = fields.choice("hosts", ExchangeKind)
        filters = cls(
            search=fields.text("q", limit=MAX_SEARCH) or "",
            country=(fields.text("country", limit=2) or "").upper(),
            discipline=fields.text("discipline", limit=120) or "",
            category=fields.text("category", limit=120) or "",
            hosts=hosts if hosts is not ExchangeKind.PROJECT_PARTNERS else None,
            sort=fields.choice("sort", HubSort),
        )
        fields.done()
        return filters

    def as_args(self) -> dict[str, str]:
        args = {
            "q": self.search,
            "country": self.country,
            "discipline": self.discipline,
            "category": self.category,
            "hosts": self.hosts.value if self.hosts else "",
            "sort": self.sort.value if self.sort else "",
        }
        return {key: value for key, value in args.items() if value}

    def apply(self, query: Select[Any]) -> Select[Any]:
        if words := self.words:
            query = query.join(HubSearch, HubSearch.organisation_id == Organisation.id).where(
                matches(words)
            )
        if self.country:
            query = query.where(Organisation.country == self.country)
        if self.discipline:
            query = query.where(
                exists().where(
                    organisation_disciplines.c.organisation_id == Organisation.id,
                    organisation_disciplines.c.discipline_id == Discipline.id,
                    Discipline.slug == self.discipline,
                )
            )
        if self.category:
            query = query.where(
                exists().where(
                    Service.organisation_id == Organisation.id,
                    Service.category_id == ServiceCategory.id,
                    ServiceCategory.slug == self.category,
                )
            )
        if self.hosts is not None:
            query = query.where(HOSTS[self.hosts])
        return query


# What a hub's card shows, loaded up front.
CARD_PARTS = (
    selectinload(Organisation.disciplines),
    selectinload(Organisation.services),
    selectinload(Organisation.needs),
)


def hub_query(filters: HubFilters, origin: Origin | None = None) -> Select[Any]:
    return filters.apply(
        select(Organisation)
        .where(Organisation.kind == OrganisationKind.HUB)
        .options(*CARD_PARTS)
        .order_by(*ordering(filters.order, filters.words, origin))
    )


class FoundPage(Pagination):
    """A page of a search's hubs, from the ids of all it found in order: the hubs' text
    is read once (a count and a page would read it twice), then only the page's hubs."""

    def _query_items(self) -> list[Any]:
        ids = self._query_args["ids"][(self.page - 1) * self.per_page :][: self.per_page]
        hubs = db.session.scalars(
            select(Organisation).where(Organisation.id.in_(ids)).options(*CARD_PARTS)
        )
        by_id = {hub.id: hub for hub in hubs}
        return [by_id[id_] for id_ in ids]

    def _query_count(self) -> int:
        return len(self._query_args["ids"])


def hub_columns(filters: HubFilters, *columns: Any) -> Select[Any]:
    """Just these columns of the hubs the filters keep, in the directory's order: the
    network pictures read thousands of hubs, which as objects would take seconds."""
    if filters.words:
        catch_up(db.session())
    return filters.apply(
        select(*columns)
        .where(Organisation.kind == OrganisationKind.HUB)
        .order_by(Organisation.name, Organisation.id)
    )


def hub_page(
    page: int, per_page: int, filters: HubFilters | None = None, origin: Origin | None = None
) -> Pagination:
    """One page of the hubs in the filters' order, with what their cards show loaded up
    front. A page past the last is empty: its `total` and `pages` say how many there are.
    "Nearest" needs an `origin` (the asking manager's hub, located)."""
    filters = filters or HubFilters()
    if filters.sort is HubSort.DISTANCE and origin is None:
        raise InputError(
            {"sort": _("nearest to my hub needs a signed-in hub manager whose hub has a location")}
        )
    if not filters.words:
        return db.paginate(
            hub_query(filters, origin), page=page, per_page=per_page, error_out=False
        )
    catch_up(db.session())
    found = filters.apply(
        select(Organisation.id)
        .where(Organisation.kind == OrganisationKind.HUB)
        .order_by(*ordering(filters.order, filters.words, origin))
    )
    ids = db.session.scalars(found).all()
    return FoundPage(page=page, per_page=per_page, max_per_page=None, error_out=False, ids=ids)


def origin_of(hub: Organisation | None) -> Origin | None:
    """Where "nearest to my hub" measures from, if the hub is known and located."""
    if hub is None or hub.latitude is None or hub.longitude is None:
        return None
    return Origin(hub.latitude, hub.longitude)


def network_counts() -> NetworkCounts:
    hub = Organisation.kind == OrganisationKind.HUB
    hubs, countries = db.session.execute(
        select(func.count(), func.count(distinct(Organisation.country))).where(hub)
    ).one()
    partners = db.session.scalar(select(func.count()).where(~hub)) or 0
    return NetworkCounts(hubs=hubs, countries=countries, partners=partners)


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The values the directory's filters offer (only those some hub has), named in the
    reader's language and sorted as it sorts them."""
    session = db.session
    hub = Organisation.kind == OrganisationKind.HUB
    countries = session.scalars(select(Organisation.country).where(hub).distinct()).all()

    def named(rows: Any) -> list[tuple[str, str]]:
        pairs = [(slug, taxonomy_name(slug, name)) for slug, name in rows]
        return sorted(pairs, key=lambda pair: collation_key(pair[1]))

    return {
        "countries": sorted(
            ((c, country_name(c)) for c in countries), key=lambda c: collation_key(c[1])
        ),
        "disciplines": named(session.execute(select(Discipline.slug, Discipline.name)).all()),
        "categories": named(
            session.execute(select(ServiceCategory.slug, ServiceCategory.name)).all()
        ),
    }


@dataclass(frozen=True)
class HubHistory:
    projects: list[Project]
    exchanges: list[Exchange]


def hub_history(hub: Organisation, limit: int = 50) -> HubHistory:
    """The hub's past projects (latest first) and the exchanges it completed."""
    session = db.session
    projects = session.scalars(
        select(Project)
        .join(Participation)
        .where(Participation.organisation_id == hub.id)
        .order_by(Project.start_year.desc().nulls_last(), Project.id)
        .limit(limit)
    ).all()
    exchanges = session.scalars(
        select(Exchange)
        .join(ExchangeParticipant)
        .where(
            ExchangeParticipant.organisation_id == hub.id,
            Exchange.state == ExchangeState.COMPLETED,
        )
        .options(selectinload(Exchange.participants).selectinload(ExchangeParticipant.organisation))
        .order_by(Exchange.ends_on.desc().nulls_last(), Exchange.id)
        .limit(limit)
    ).all()
    return HubHistory(list(projects), list(exchanges))
