"""Use cases of the matching engine, shared by the CLI, the web pages and the API: ask for
a hub's suggestions (who may, and recording what was shown to the hub), and export the
network graph. The engine's index
comes from the door, `matchmaker.engine`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Integer, Select, String, and_, bindparam, cast, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from matchmaker.engine import current_index, load_network
from matchmaker.errors import InputError, NotFound
from matchmaker.extensions import after_reading
from matchmaker.field_input import FieldReader
from matchmaker.hubs.profiles import get_hub, no_hub
from matchmaker.i18n.messages import render
from matchmaker.matching.graph import build_graph, export_graph
from matchmaker.matching.kinds import ExchangeKind
from matchmaker.matching.query import MAX_LIMIT, MatchQuery
from matchmaker.matching.ranking import Suggestions, suggest
from matchmaker.models import Organisation, OrganisationKind, SuggestionImpression, User
from matchmaker.permissions import require_matches
from matchmaker.validation import country_error, language_error


def hub_id(session: Session, slug: str) -> int:
    found = session.scalar(select(Organisation.id).where(Organisation.slug == slug))
    if found is None:
        raise NotFound(_("no hub or organisation with the slug %(slug)s", slug=repr(slug)))
    return found


def times_shown(session: Session, organisation_id: int, kind: ExchangeKind) -> dict[int, int]:
    rows = session.execute(
        select(SuggestionImpression.candidate_id, SuggestionImpression.times_shown).where(
            SuggestionImpression.organisation_id == organisation_id,
            SuggestionImpression.kind == kind,
        )
    ).all()
    return {candidate: times for candidate, times in rows}


def hub_to_match(session: Session, user: User | None, slug: str) -> Organisation:
    """The hub whose matches (suggestions, consortia) the user asks for: their own hub's
    manager, or a coordinator or admin for any hub; `NotFound` when there is no such hub,
    before anyone is refused."""
    hub = get_hub(session, slug)
    require_matches(user, hub.id)
    return hub


def api_matches(
    session: Session, user: User | None, slug: str, data: Mapping[str, Any]
) -> Suggestions:
    """The hub's suggestions as the API asks for them (`matches_for`), with one read for
    the hub and what it was shown (`hub_and_shown`): an API call asks both every time.
    The query is read first, but its problems are told only to whoever may ask (someone
    refused is told that, not what is wrong with their query)."""
    try:
        query, problem = read_query(data), None
    except InputError as error:
        query, problem = None, error
    hub_id, shown = hub_and_shown(session, slug, query.kind if query else None)
    require_matches(user, hub_id)
    if query is None:
        assert problem is not None
        raise problem
    return matches_for(session, user, hub_id, query, shown)


def _hub_and_shown_statement() -> Select[int, OrganisationKind, str]:
    shown = SuggestionImpression
    pair = cast(shown.candidate_id, String) + ":" + cast(shown.times_shown, String)
    return (
        select(Organisation.id, Organisation.kind, func.aggregate_strings(pair, ","))
        .outerjoin(
            shown, and_(shown.organisation_id == Organisation.id, shown.kind == bindparam("kind"))
        )
        .where(Organisation.slug == bindparam("slug"))
        .group_by(Organisation.id, Organisation.kind)
    )


# Every API call for suggestions runs it: built once, with the slug and kind as parameters
# (building it and its cache key each time cost more than running it: 0.6 of 1.1 ms).
_HUB_AND_SHOWN = _hub_and_shown_statement()


def hub_and_shown(
    session: Session, slug: str, kind: ExchangeKind | None
) -> tuple[int, dict[int, int]]:
    """The hub's id, and how often each candidate was shown to it for `kind` (`times_shown`),
    in one statement; `NotFound` when no hub has the slug. The showings come as one text
    of `candidate:times` pairs: a hub asked often has hundreds of rows, each a row for
    the driver and SQLAlchemy to build."""
    found = session.execute(_HUB_AND_SHOWN, {"slug": slug, "kind": kind}).first()
    if found is None or found.kind is not OrganisationKind.HUB:
        raise no_hub(slug)
    pairs = (item.partition(":") for item in (found[2] or "").split(",") if item)
    return int(found.id), {int(candidate): int(times) for candidate, _, times in pairs}


def matches_for(
    session: Session,
    user: User | None,
    hub_id: int,
    query: MatchQuery,
    shown: Mapping[int, int] | None = None,
) -> Suggestions:
    """The hub's suggestions as the user may ask for them (`hub_to_match`). Only the hub's
    own manager's asking counts as shown to the hub (and moves the rotation on); a
    coordinator looking over its shoulder does not. `shown`: `times_shown`, when the
    caller read it already."""
    user = require_matches(user, hub_id)
    return suggestions_for(session, hub_id, query, record=user.hub_id == hub_id, shown=shown)


def suggestions_for(
    session: Session,
    organisation_id: int,
    query: MatchQuery,
    *,
    record: bool = True,
    shown: Mapping[int, int] | None = None,
) -> Suggestions:
    """Ranked, explained suggestions, for whoever may ask (`matches_for` checks who does;
    the shell's `match suggest` asks without recording); with `record`, what was shown is
    counted so the same pair is not offered again and again."""
    index = current_index(session)
    if shown is None:
        shown = times_shown(session, organisation_id, query.kind)
    result = suggest(index, organisation_id, query, shown)
    if record and result.items:
        shown_now = [s.organisation.id for s in result.items]
        # Bookkeeping of a read: done after it, so asking never waits for a write lock.
        done_later = after_reading(
            session,
            lambda write: record_impressions(write, organisation_id, query.kind, shown_now, False),
        )
        if not done_later:
            session.commit()  # recorded now (outside a reading request): kept
    return result


def record_impressions(
    session: Session,
    organisation_id: int,
    kind: ExchangeKind,
    candidate_ids: Sequence[int],
    commit: bool = True,
) -> None:
    """Count one more showing of each candidate, atomically (an upsert), then commit
    (unless the caller commits with more). Rows go in one order everywhere (by candidate),
    so two requests upserting them never deadlock."""
    now = datetime.now(UTC)
    ordered = sorted(set(candidate_ids))  # a candidate listed twice is one more showing
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # One statement and one round trip for every row: a request asks it each time.
        parameters = {"hub": organisation_id, "candidates": ordered, "kind": kind, "now": now}
        connection.execute(_upsert_unnested(), parameters)
    else:  # SQLite, in the process: executemany of one cached statement
        rows = [
            {
                "organisation_id": organisation_id,
                "candidate_id": c,
                "kind": kind,
                "times_shown": 1,
                "first_shown_at": now,
                "last_shown_at": now,
            }
            for c in ordered
        ]
        connection.execute(_upsert_rows(), rows)
    if commit:
        session.commit()


def _on_conflict(statement: Any) -> Any:
    return statement.on_conflict_do_update(
        index_elements=["organisation_id", "candidate_id", "kind"],
        set_={
            "times_shown": SuggestionImpression.times_shown + 1,
            "last_shown_at": statement.excluded.last_shown_at,
        },
    )


@functools.cache
def _upsert_rows() -> Any:
    """SQLite's upsert of one row, built once (executemany runs it for each candidate)."""
    return _on_conflict(sqlite.insert(SuggestionImpression))


@functools.cache
def _upsert_unnested() -> Any:
    """PostgreSQL's upsert of one hub's candidates, given as an array."""
    now = bindparam("now", type_=SuggestionImpression.last_shown_at.type)
    rows = select(
        bindparam("hub", type_=Integer),
        func.unnest(bindparam("candidates", type_=postgresql.ARRAY(Integer))),
        bindparam("kind", type_=SuggestionImpression.kind.type),
        literal(1),
        now,
        now,
    )
    columns = ["organisation_id", "candidate_id", "kind", "times_shown"]
    columns += ["first_shown_at", "last_shown_at"]
    return _on_conflict(postgresql.insert(SuggestionImpression).from_select(columns, rows))


def read_query(data: Mapping[str, Any], kind: ExchangeKind | None = None) -> MatchQuery:
    """A match request from a form or a JSON body; `InputError` names each bad field."""
    fields = FieldReader(data)
    chosen = kind or fields.choice("kind", ExchangeKind, required=True)
    countries = [c.upper() for c in fields.strings("country") or []]
    languages = [c.lower() for c in fields.strings("language") or []]
    for code in countries:
        if reason := country_error(code):
            fields.problem("country", reason)
    for code in languages:
        if reason := language_error(code):
            fields.problem("language", reason)
    max_km = fields.number("max_km")
    starts_on, ends_on = fields.day("starts_on"), fields.day("ends_on")
    part = fields.text("part", limit=60, one_line=True)
    limit = fields.integer("limit", minimum=1, maximum=MAX_LIMIT)
    fields.done()
    assert chosen is not None
    query = MatchQuery(
        kind=chosen,
        countries=frozenset(countries),
        disciplines=frozenset(d.lower() for d in fields.strings("discipline") or []),
        languages=frozenset(languages),
        max_distance_km=max_km,
        starts_on=starts_on,
        ends_on=ends_on,
        programme_part=part or None,
        limit=limit or 10,
    )
    if problems := query.problems():
        raise InputError({name: render(problem) for name, problem in problems.items()})
    return query


def suggestions_as_dict(result: Suggestions) -> dict[str, object]:
    """The JSON shape of a list of suggestions, for the API and `match suggest --json`."""
    return {
        "kind": result.query.kind.value,
        "hub": result.requester.slug if result.requester else None,
        "reason": render(result.reason) if result.reason else None,
        "notes": [render(note) for note in result.notes],
        "eligible": result.eligible,
        "suggestions": [
            {
                "slug": s.organisation.slug,
                "name": s.organisation.name,
                "country": s.organisation.country,
                "city": s.organisation.city,
                "score": round(s.score, 4),
                "signals": {name: round(value, 4) for name, value in s.signals.items()},
                "reasons": [{"kind": r.kind, "text": render(r.text)} for r in s.reasons],
            }
            for s in result.items
        ],
    }


def export_network_graph(session: Session, path: Path, fmt: str) -> tuple[int, int]:
    """Write the network graph; returns its node and edge counts."""
    graph = build_graph(load_network(session))
    export_graph(graph, path, fmt)
    return graph.number_of_nodes(), graph.number_of_edges()
