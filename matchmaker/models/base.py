"""The declarative base with a constraint naming convention, shared mixins and column types.

The naming convention gives every index and constraint a stable, predictable name,
so migrations can refer to them on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Enum, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def str_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR holding the member's value, guarded by a CHECK."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in time, stored in UTC and always read back as an aware UTC datetime.

    SQLite keeps no time zone and hands back naive datetimes, PostgreSQL hands them back in
    the session's zone: reading them the same way here spares every caller from patching
    `tzinfo` before comparing with `datetime.now(UTC)`. The column is still
    `DateTime(timezone=True)`, so the DDL (and the migrations) stay as they are.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Aware moments in UTC (SQLite would keep another zone's wall clock as if UTC);
        naive ones are taken to be UTC already, as the database's own `now()` is."""
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_now() -> datetime:
    """The time of a change to the microsecond (SQLite's CURRENT_TIMESTAMP keeps only the
    second, so two edits within a second would look the same to the engine's cache)."""
    return datetime.now(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        UtcDateTime, server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime, server_default=func.now(), onupdate=utc_now, nullable=False
    )
