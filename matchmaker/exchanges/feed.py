"""A person's subscribable calendar feed: a secret address, made, replaced and ended from
the account page, that serves every agreed exchange of their hub (a coordinator's: of the
network) as one calendar, with the same events as the exchange's own calendar file.

The secret is random (256 bits) and only its SHA-256 is stored, as for API tokens, so the
address is shown once; a lost one is replaced by a new one, which ends the old.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from matchmaker.accounts.tokens import hash_secret
from matchmaker.errors import NotFound
from matchmaker.exchanges.calendar import CALLED_OFF, calendar_file
from matchmaker.exchanges.visibility import AGREED
from matchmaker.extensions import after_reading
from matchmaker.i18n import for_reader
from matchmaker.models import CalendarFeed, Exchange, ExchangeParticipant, ExchangeState, User
from matchmaker.permissions import signed_in

PREFIX = "cal_"
# How far back the feed reaches: calendars keep what they have seen anyway.
PAST_DAYS = 365
MAX_EVENTS = 2000
IN_FEED = AGREED | CALLED_OFF | {ExchangeState.NO_SHOW}
LAST_USE_PRECISION = timedelta(hours=1)  # calendar apps poll often; note it seldom


def feed_of(session: Session, user: User | None) -> CalendarFeed | None:
    """The user's feed, if they have one (the account page says since when)."""
    user = signed_in(user)
    return session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def new_feed(session: Session, user: User | None) -> str:
    """A new secret address for the user's feed, replacing any earlier one (which stops
    working); returned once, never stored. Two at once leave one feed: the unique user
    makes the slower one replace the faster one's."""
    user = signed_in(user)
    secret = PREFIX + secrets.token_urlsafe(32)
    for attempt in range(2):
        session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
        session.add(CalendarFeed(user_id=user.id, token_hash=hash_secret(secret)))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            if attempt:
                raise
        else:
            break
    return secret


def end_feed(session: Session, user: User | None) -> bool:
    """End the user's feed: its address answers 404 from now on. False if there was none."""
    user = signed_in(user)
    gone = session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    session.commit()
    return bool(getattr(gone, "rowcount", 0))


def feed_calendar(session: Session, secret: str, base_url: str, today: date | None = None) -> str:
    """The calendar behind a feed's secret: the agreed exchanges of its owner's hub (the
    network's for a coordinator), cancelled ones marked so; `NotFound` for an unknown or
    ended secret, or an account switched off, so a guess learns nothing."""
    feed = None
    if secret.startswith(PREFIX):
        feed = session.scalar(
            select(CalendarFeed)
            .where(CalendarFeed.token_hash == hash_secret(secret))
            .options(selectinload(CalendarFeed.user))
        )
    if feed is None or not feed.user.is_active:
        raise NotFound(_("there is no calendar at this address"))
    user = feed.user
    today = today or datetime.now(UTC).date()
    query = (
        select(Exchange)
        .where(
            Exchange.state.in_(IN_FEED),
            Exchange.starts_on.is_not(None),
            Exchange.ends_on >= today - timedelta(days=PAST_DAYS),
        )
        .options(selectinload(Exchange.participants).selectinload(ExchangeParticipant.organisation))
        .order_by(Exchange.starts_on.desc(), Exchange.id)
        .limit(MAX_EVENTS)
    )
    if not user.is_coordinator:
        query = query.where(
            Exchange.id.in_(
                select(ExchangeParticipant.exchange_id).where(
                    ExchangeParticipant.organisation_id == user.hub_id
                )
            )
        )
    now = datetime.now(UTC)
    if feed.last_used_at is None or feed.last_used_at < now - LAST_USE_PRECISION:
        feed_id = feed.id  # read now: the write runs after the read's commit
        after_reading(session, lambda write: _note_use(write, feed_id, now))
    # A calendar app asks with no session and no language: the feed is written in its
    # owner's language and zone, as their emails are.
    with for_reader(user.language, user.time_zone):
        if user.hub:
            name = _("matchmaker: %(hub)s", hub=user.hub.name)
        else:
            name = _("matchmaker: the network's exchanges")
        return calendar_file(session.scalars(query), base_url, now, name=name)


def _note_use(session: Session, feed_id: int, now: datetime) -> None:
    """When the feed was last read, to the hour, for the account page."""
    session.execute(update(CalendarFeed).where(CalendarFeed.id == feed_id).values(last_used_at=now))
