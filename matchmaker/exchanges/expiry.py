"""The daily job on exchanges: expire unanswered proposals, remind hosts before, and
remind hubs whose feedback is missing. One function for the queue's schedule and for
`flask exchanges expire` (cron) alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from matchmaker.exchanges.outcomes import remind_feedback
from matchmaker.exchanges.proposals import ProposalRules, expire_and_remind


@dataclass(frozen=True)
class ExpiryReport:
    expired: int
    reminded: int
    feedback_reminded: int


def run_daily_expiry(session: Session, config: Mapping[str, Any]) -> ExpiryReport:
    """Idempotent: what was expired or reminded is not again, so running it twice (or more
    often than daily) changes nothing more."""
    expired, reminded = expire_and_remind(session, ProposalRules.from_config(config))
    return ExpiryReport(expired, reminded, remind_feedback(session))
