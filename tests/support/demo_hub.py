"""A small demo network and the hub of its first manager (manager1@example.org), for the
web tests that sign in as a demo manager. Registered as a plugin in tests/conftest.py."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import Organisation, User
from tests.support.english_demo import seed_demo_in_english

DEMO_MANAGER = "manager1@example.org"


@pytest.fixture
def demo_hub(session: Session) -> Organisation:
    seed_demo_in_english(session, hubs=16, seed=7, today=date.today())
    user = session.scalar(select(User).where(User.email == DEMO_MANAGER))
    assert user is not None and user.hub is not None
    return user.hub
