"""The demo network for tests that read the English pages: the demo's accounts read
English, French, Ukrainian and German, and the web tests read the English pages (the
tests under tests/i18n/ read the others)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session

from matchmaker.demo.seed import DEFAULT_HUBS, DEFAULT_SEED, seed_demo
from matchmaker.models import User


def seed_demo_in_english(
    session: Session, hubs: int = DEFAULT_HUBS, seed: int = DEFAULT_SEED, today: date | None = None
) -> None:
    seed_demo(session, hubs=hubs, seed=seed, today=today)
    session.execute(update(User).values(language="en"))
    session.commit()
