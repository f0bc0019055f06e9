"""The exchange optimisers' inputs from the engine's index: the scores they optimise are the
engine's own suggestion scores of each kind, so a ring, a round or a consortium favours the
same pairs a manager sees suggested, for the same reasons.

- swaps: `swap_score(giver, taker)` is the hot-desking score of the giver as a suggestion
  to the taker (mutual complementarity, desks free in the taker's own desk dates, shared
  disciplines and languages, feedback), 0 where the engine rules the pair out;
- residencies: each applicant ranks its `choices` best hosts by the residency score; each
  host ranks those who listed it by the same pair score (the hosts able to teach them most
  come first), a starting point the host may reorder;
- consortia: candidates are the organisations the engine finds for project partners, with
  that score; their competences are their service categories and their disciplines.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matchmaker.matching.consortia import Candidate
from matchmaker.matching.constraints import MIN_DAYS
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.kinds import AvailabilityKind, ExchangeKind
from matchmaker.matching.network import Organisation
from matchmaker.matching.query import MatchQuery
from matchmaker.matching.residency import Applicant, Host, first_by_id, host_rankings, rank_by_score
from matchmaker.matching.scored import Scored
from matchmaker.matching.signals import score_candidates
from matchmaker.matching.swaps import SwapParticipant, participant_from


@dataclass(frozen=True)
class SwapInputs:
    participants: tuple[SwapParticipant, ...]
    scores: dict[tuple[int, int], float]  # (giver id, taker id) -> hot-desking score
    notes: dict[int, str]  # hub id -> why the engine found no desks for it


@dataclass(frozen=True)
class ResidencyInputs:
    applicants: tuple[Applicant, ...]
    hosts: tuple[Host, ...]
    scores: dict[tuple[int, int], float]  # (host id, applicant id) -> residency score
    notes: dict[int, str]  # applicant id -> why the engine suggested no host


@dataclass(frozen=True)
class ConsortiumInputs:
    requester: Candidate
    candidates: tuple[Candidate, ...]
    note: str | None  # why the engine found no partners, when it found none


def scored_rows(
    index: MatchIndex, positions: Collection[int], query: MatchQuery
) -> Iterator[tuple[int, Scored]]:
    """The engine's scores of every organisation for each requester position, in order.
    A batch of requesters: their rows are not kept (`kept_signals`), where they would push
    out those of the managers asking now."""
    for position in sorted(positions):
        yield position, score_candidates(index, position, query, keep=False)


def _eligible(index: MatchIndex, scored: Scored) -> dict[int, float]:
    """Candidate id -> score, for the candidates the engine keeps."""
    return {int(index.ids[p]): float(scored.score[p]) for p in np.flatnonzero(scored.eligible)}


def _overlaps(
    organisation: Organisation, kind: AvailabilityKind, first: date, last: date, min_days: int
) -> list[int]:
    """Places of the organisation's windows of `kind` sharing `min_days` days with the dates."""
    return [
        w.places for w in organisation.windows_of(kind) if w.overlap_days(first, last) >= min_days
    ]


def swap_inputs(
    index: MatchIndex,
    starts_on: date,
    ends_on: date,
    members: int | Mapping[int, int] = 1,
    balances: Mapping[int, float] | None = None,
) -> SwapInputs:
    """Every hub with free desks in the period, sending `members` people (one number for
    all, or per hub id), with its desk-day balance, and the engine's swap scores."""
    query = MatchQuery(ExchangeKind.HOT_DESKING, starts_on=starts_on, ends_on=ends_on)
    balances = balances or {}
    taking = {
        p
        for p, o in enumerate(index.organisations)
        if o.is_hub and o.desks > 0 and _overlaps(o, AvailabilityKind.DESKS, starts_on, ends_on, 1)
    }
    participants: list[SwapParticipant] = []
    scores: dict[tuple[int, int], float] = {}
    notes: dict[int, str] = {}
    for position, scored in scored_rows(index, taking, query):
        taker = index.organisations[position]
        count = members if isinstance(members, int) else members.get(taker.id, 0)
        participants.append(participant_from(taker, count, balances.get(taker.id, 0.0)))
        found = _eligible(index, scored)
        scores.update(((giver, taker.id), score) for giver, score in found.items())
        if not found and scored.reason:
            notes[taker.id] = scored.reason
    return SwapInputs(tuple(participants), scores, notes)


def residency_inputs(
    index: MatchIndex,
    starts_on: date,
    ends_on: date,
    applicant_ids: Collection[int] | None = None,
    choices: int = 5,
    applications: Sequence[Applicant] | None = None,
) -> ResidencyInputs:
    """A round's applications from the engine: every hub with needs applies (or those in
    `applicant_ids`), ranking its `choices` best hosts; hosts have the places of their
    residency windows open for long enough in the round. With `applications` (the ones
    managers stored), each applicant keeps its own ranked hosts, time and length, and the
    engine only scores the pairs the hosts rank them by (0 where it rules a pair out)."""
    query = MatchQuery(ExchangeKind.RESIDENCY, starts_on=starts_on, ends_on=ends_on)
    stored = {a.id: a for a in first_by_id(applications or ())}
    if applications is not None:
        applicant_ids = list(stored)
    if applicant_ids is None:
        applying = {p for p, o in enumerate(index.organisations) if o.is_hub and o.needs}
    else:
        applying = {index.position[i] for i in applicant_ids if i in index.position}
    applicants: list[Applicant] = []
    scores: dict[tuple[int, int], float] = {}
    notes: dict[int, str] = {}
    for position, scored in scored_rows(index, applying, query):
        me = index.organisations[position]
        found = _eligible(index, scored)
        if me.id in stored:
            applicants.append(stored.pop(me.id))
            ranked = applicants[-1].hosts
        else:
            ranked = rank_by_score(found, found.__getitem__)[: max(0, choices)]
            applicants.append(Applicant(me.id, me.name, ranked))
        scores.update(((host, me.id), found.get(host, 0.0)) for host in ranked)
        if not found and scored.reason:
            notes[me.id] = scored.reason
    applicants += stored.values()  # applied, but no longer in the network's index
    hosts = residency_hosts(index, starts_on, ends_on, host_rankings(applicants, scores))
    return ResidencyInputs(tuple(applicants), hosts, scores, notes)


def residency_hosts(
    index: MatchIndex,
    starts_on: date,
    ends_on: date,
    rankings: Mapping[int, tuple[int, ...]] | None = None,
) -> tuple[Host, ...]:
    """The hubs that can host residencies in a round: the places of their residency
    windows open for long enough in it, each ranking applicants as in `rankings`."""
    min_days = MIN_DAYS[ExchangeKind.RESIDENCY]
    hosts = []
    for organisation in index.organisations:
        places = _overlaps(organisation, AvailabilityKind.RESIDENCY, starts_on, ends_on, min_days)
        if organisation.is_hub and organisation.residency_places > 0 and places:
            ranking = (rankings or {}).get(organisation.id, ())
            hosts.append(Host(organisation.id, organisation.name, max(places), ranking))
    return tuple(hosts)


def competences_of(organisation: Organisation) -> frozenset[str]:
    """What a partner brings to a call: its service categories and its disciplines."""
    return frozenset({entry.category for entry in organisation.services}) | frozenset(
        organisation.disciplines
    )


def consortium_inputs(
    index: MatchIndex, requester_id: int, programme_part: str | None = None
) -> ConsortiumInputs:
    """The requesting organisation and every partner the engine finds for it, scored for
    the call's programme part."""
    me = index.organisations[index.position[requester_id]]
    requester = Candidate(me.id, me.name, me.country, competences_of(me))
    query = MatchQuery(ExchangeKind.PROJECT_PARTNERS, programme_part=programme_part)
    ((_, scored),) = scored_rows(index, [index.position[requester_id]], query)
    found = _eligible(index, scored)
    candidates = tuple(
        Candidate(o.id, o.name, o.country, competences_of(o), found[o.id])
        for o in (index.organisations[index.position[i]] for i in sorted(found))
    )
    return ConsortiumInputs(requester, candidates, None if found else scored.reason)
