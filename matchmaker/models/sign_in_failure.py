"""A failed sign-in, kept for a while so repeated failures can be slowed down.

Keyed by what was attacked (`email:...` or `ip:...`), so guessing one account's password
and spraying many accounts from one address are both slowed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base, UtcDateTime


class SignInFailure(Base):
    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    failed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
