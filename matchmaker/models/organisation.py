"""An organisation of the network: a creative hub first, or a partner of hubs
(university, company, public body, network...).

Its membership kind is derived from the four network criteria, never typed in.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Float, Integer, String, Text, and_, case
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from matchmaker.models.base import Base, TimestampMixin, UtcDateTime, str_enum, utc_now
from matchmaker.models.discipline import Discipline, organisation_disciplines
from matchmaker.models.organisation_language import OrganisationLanguage

if TYPE_CHECKING:
    from matchmaker.models.availability_window import AvailabilityWindow
    from matchmaker.models.need import Need
    from matchmaker.models.participation import Participation
    from matchmaker.models.service import Service


class OrganisationKind(enum.StrEnum):
    HUB = "hub"
    UNIVERSITY = "university"
    RESEARCH_CENTRE = "research_centre"
    COMPANY = "company"
    PUBLIC_BODY = "public_body"
    NETWORK = "network"
    OTHER = "other"


class MembershipKind(enum.StrEnum):
    """Regular members meet all four network criteria; associates do not (no vote)."""

    REGULAR = "regular"
    ASSOCIATE = "associate"


class Organisation(TimestampMixin, Base):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("desks >= 0", name="desks_not_negative"),
        CheckConstraint("residency_places >= 0", name="residency_places_not_negative"),
        CheckConstraint("length(country) = 2", name="country_two_letters"),
        CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint(
            "longitude IS NULL OR longitude BETWEEN -180 AND 180", name="longitude_range"
        ),
        CheckConstraint(
            "(latitude IS NULL) = (longitude IS NULL)", name="coordinates_both_or_neither"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(
        str_enum(OrganisationKind, "organisation_kind"), index=True
    )
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))
    desks: Mapped[int] = mapped_column(Integer, default=0)
    residency_places: Mapped[int] = mapped_column(Integer, default=0)
    founded_year: Mapped[int | None] = mapped_column(Integer)
    accepts_visits: Mapped[bool] = mapped_column(Boolean, default=True)
    # EU Participant Identification Code: links a hub to its CORDIS project history.
    pic: Mapped[str | None] = mapped_column(String(20), unique=True)
    # When its manager last saved the profile or said it is still right (a new hub: when
    # it was added); matchmaker/hubs/freshness.py tells when that is too long ago.
    profile_confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=utc_now)
    # The name of its uploaded logo or photo in UPLOAD_DIR/logos/ (a new name each upload,
    # so the files can be cached for ever), or None (matchmaker/hubs/logos.py).
    logo_key: Mapped[str | None] = mapped_column(String(40))

    # Membership of the network, and the four criteria of a regular member.
    is_member: Mapped[bool] = mapped_column(Boolean, default=False)
    supports_ccis: Mapped[bool] = mapped_column(Boolean, default=False)
    hosts_ccis_community: Mapped[bool] = mapped_column(Boolean, default=False)
    has_physical_space: Mapped[bool] = mapped_column(Boolean, default=False)
    develops_community: Mapped[bool] = mapped_column(Boolean, default=False)

    disciplines: Mapped[list[Discipline]] = relationship(
        secondary=organisation_disciplines, order_by=Discipline.slug
    )
    language_rows: Mapped[list[OrganisationLanguage]] = relationship(
        cascade="all, delete-orphan", order_by=OrganisationLanguage.code
    )
    languages: AssociationProxy[list[str]] = association_proxy(
        "language_rows", "code", creator=lambda code: OrganisationLanguage(code=code)
    )
    services: Mapped[list[Service]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Service.id"
    )
    needs: Mapped[list[Need]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Need.id"
    )
    availability: Mapped[list[AvailabilityWindow]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="AvailabilityWindow.starts_on",
    )
    participations: Mapped[list[Participation]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @hybrid_property
    def meets_all_criteria(self) -> bool:
        return (
            self.supports_ccis
            and self.hosts_ccis_community
            and self.has_physical_space
            and self.develops_community
        )

    @meets_all_criteria.inplace.expression
    @classmethod
    def _meets_all_criteria_expression(cls) -> ColumnElement[bool]:
        return and_(
            cls.supports_ccis,
            cls.hosts_ccis_community,
            cls.has_physical_space,
            cls.develops_community,
        )

    @hybrid_property
    def membership_kind(self) -> MembershipKind | None:
        """None for non-members (project partners only)."""
        if not self.is_member:
            return None
        return MembershipKind.REGULAR if self.meets_all_criteria else MembershipKind.ASSOCIATE

    @membership_kind.inplace.expression
    @classmethod
    def _membership_kind_expression(cls) -> ColumnElement[str | None]:
        return case(
            (~cls.is_member, None),
            (cls.meets_all_criteria, MembershipKind.REGULAR.value),
            else_=MembershipKind.ASSOCIATE.value,
        )

    @property
    def discipline_slugs(self) -> list[str]:
        return [discipline.slug for discipline in self.disciplines]

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"
