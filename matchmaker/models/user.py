"""A person who signs in: a hub manager (of one hub), a programme coordinator or an admin."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from matchmaker.models.base import Base, TimestampMixin, UtcDateTime, str_enum

if TYPE_CHECKING:
    from matchmaker.models.organisation import Organisation


class Role(enum.StrEnum):
    MANAGER = "manager"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class User(TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role <> 'manager' OR hub_id IS NOT NULL", name="manager_has_hub"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role, "user_role"))
    hub_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Raised on every password change: signs out every session and remember-me cookie,
    # and spends any reset or invitation link issued before.
    auth_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The monthly digest: "monthly" or "off"; paused (and told so once) when inactive.
    digest: Mapped[str] = mapped_column(String(10), default="monthly", server_default="monthly")
    digest_paused_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set when a coordinator invites the person; cleared when they choose a password.
    invited_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The language pages and emails are written in for them, and the zone their times
    # show in (an IANA name); guessed from the browser at the first sign-in, then kept.
    language: Mapped[str | None] = mapped_column(String(8))
    time_zone: Mapped[str | None] = mapped_column(String(64))

    hub: Mapped[Organisation | None] = relationship()

    def set_password(self, password: str) -> None:
        # scrypt, werkzeug's default: memory-hard and salted.
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.auth_version = (self.auth_version or 0) + 1
        self.invited_at = None

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # What Flask-Login asks of a user, without importing Flask into the models.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """The session's user id carries the auth version, so a password change ends
        every other session."""
        return f"{self.id}:{self.auth_version}"

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def is_manager(self) -> bool:
        return self.role is Role.MANAGER

    @property
    def is_coordinator(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"
