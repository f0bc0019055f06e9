"""Reading the network's hubs for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.models import Organisation, OrganisationKind


@dataclass(frozen=True)
class NetworkCounts:
    hubs: int
    countries: int
    partners: int


def hub_page(page: int, per_page: int) -> Pagination:
    """One page of the hubs, by name, with what their cards show loaded up front."""
    query = (
        select(Organisation)
        .where(Organisation.kind == OrganisationKind.HUB)
        .options(
            selectinload(Organisation.disciplines),
            selectinload(Organisation.services),
            selectinload(Organisation.needs),
        )
        .order_by(Organisation.name, Organisation.id)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def network_counts() -> NetworkCounts:
    hub = Organisation.kind == OrganisationKind.HUB
    hubs, countries = db.session.execute(
        select(func.count(), func.count(distinct(Organisation.country))).where(hub)
    ).one()
    partners = db.session.scalar(select(func.count()).where(~hub)) or 0
    return NetworkCounts(hubs=hubs, countries=countries, partners=partners)
