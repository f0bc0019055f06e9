"""Reasons a manager can read: which of my needs meets which of their services (quoting
both), what we share, where they are, when they have room, and where the match is weak."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matchmaker.matching.constraints import FULL_DAYS, WINDOW_KIND
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.kinds import ExchangeKind, NeedPriority
from matchmaker.matching.message import (
    N_,
    Country,
    Day,
    Language,
    Message,
    Names,
    Number,
    Quote,
    Value,
    said,
    said_n,
)
from matchmaker.matching.network import Entry, Organisation
from matchmaker.matching.scored import Scored
from matchmaker.matching.signals import MUTUAL_KINDS

K = ExchangeKind
# A need and a service "meet" above this: half wording similarity, half same category.
MATCH_THRESHOLD = 0.25
FAR_KM = 2000
MAX_MATCHES = 3


@dataclass(frozen=True)
class Reason:
    """One line of explanation; `kind` groups them: match, shared, place, availability,
    history or weak. `text` reads as English; the app writes it in the reader's language
    (`matchmaker.i18n.messages.render`)."""

    kind: str
    text: Message


@dataclass(frozen=True)
class EntryMatch:
    """A need of one side met by a service of the other."""

    need: Entry
    service: Entry
    strength: float
    same_category: bool


def entry_matches(
    need_entries: Sequence[Entry], service_entries: Sequence[Entry], similarity: np.ndarray
) -> list[EntryMatch]:
    """For each need, the best service if it meets the need (`similarity` is needs ×
    services); by priority, then strength."""
    if not need_entries or not service_entries:
        return []
    wanted = np.array([n.category for n in need_entries], dtype=object)
    offered = np.array([s.category for s in service_entries], dtype=object)
    same = (wanted[:, None] == offered[None, :]).astype(float)
    strength = 0.5 * similarity + 0.5 * same
    best = strength.argmax(axis=1)
    matches = [
        EntryMatch(need, service_entries[b], float(strength[row, b]), bool(same[row, b]))
        for row, (need, b) in enumerate(zip(need_entries, best.tolist(), strict=True))
        if strength[row, b] >= MATCH_THRESHOLD
    ]
    order = {NeedPriority.HIGH: 0, NeedPriority.MEDIUM: 1, NeedPriority.LOW: 2}
    return sorted(matches, key=lambda m: (order[m.need.priority], -m.strength, m.need.id))


def _quote(entry: Entry) -> Quote:
    return Quote(entry.title, entry.language)


def _match_text(match: EntryMatch, mine: bool) -> Message:
    need, service = _quote(match.need), _quote(match.service)
    if not mine:
        if match.same_category:
            return said(
                "Their need %(need)s meets your %(service)s (same category: %(category)s)",
                need=need,
                service=service,
                category=slug_words(match.service.category),
            )
        return said(
            "Their need %(need)s meets your %(service)s (similar wording)",
            need=need,
            service=service,
        )
    if match.same_category:
        return said(
            _SAME_CATEGORY[match.need.priority],
            need=need,
            service=service,
            category=slug_words(match.service.category),
        )
    return said(_SIMILAR[match.need.priority], need=need, service=service)


_SAME_CATEGORY = {
    NeedPriority.HIGH: N_(
        "Your need %(need)s (high priority) meets their %(service)s (same category: %(category)s)"
    ),
    NeedPriority.MEDIUM: N_(
        "Your need %(need)s (medium priority) meets their %(service)s (same category: %(category)s)"
    ),
    NeedPriority.LOW: N_(
        "Your need %(need)s (low priority) meets their %(service)s (same category: %(category)s)"
    ),
}
_SIMILAR = {
    NeedPriority.HIGH: N_(
        "Your need %(need)s (high priority) meets their %(service)s (similar wording)"
    ),
    NeedPriority.MEDIUM: N_(
        "Your need %(need)s (medium priority) meets their %(service)s (similar wording)"
    ),
    NeedPriority.LOW: N_(
        "Your need %(need)s (low priority) meets their %(service)s (similar wording)"
    ),
}


def slug_words(slug: str) -> str:
    """A taxonomy slug as words in a sentence: "performing-arts" -> "performing arts"."""
    return slug.replace("-", " ")


def _slugs(values: list[str]) -> Names:
    return Names(tuple(slug_words(v) for v in values))


def explain_all(index: MatchIndex, scored: Scored, candidates: Sequence[int]) -> list[list[Reason]]:
    """The reasons of each candidate, in order of `reasons_order`."""
    me = index.organisations[scored.requester]
    text = index.text
    mine = [
        entry_matches(me.needs, index.organisations[c].services, similarity)
        for c, similarity in zip(
            candidates, text.needs_against_services(scored.requester, candidates), strict=True
        )
    ]
    theirs: list[list[EntryMatch]] = [[] for _ in candidates]
    if scored.query.kind in MUTUAL_KINDS:
        theirs = [
            entry_matches(index.organisations[c].needs, me.services, similarity)
            for c, similarity in zip(
                candidates,
                text.services_against_needs(scored.requester, candidates),
                strict=True,
            )
        ]
    return [
        sorted(explain(index, scored, c, m, t), key=lambda r: REASON_ORDER.index(r.kind))
        for c, m, t in zip(candidates, mine, theirs, strict=True)
    ]


REASON_ORDER = ("match", "shared", "place", "availability", "history", "weak")


def explain(
    index: MatchIndex,
    scored: Scored,
    candidate: int,
    mine: list[EntryMatch],
    theirs: list[EntryMatch],
) -> list[Reason]:
    me, them = index.organisations[scored.requester], index.organisations[candidate]
    kind = scored.query.kind
    reasons: list[Reason] = []
    reasons += [Reason("match", _match_text(m, mine=True)) for m in mine[:MAX_MATCHES]]
    if kind in MUTUAL_KINDS:
        reasons += [Reason("match", _match_text(m, mine=False)) for m in theirs[:2]]
        if them.needs and not theirs:
            reasons.append(Reason("weak", said("Your services answer none of their needs")))
    met = {m.need.id for m in mine}
    for need in me.needs:
        if (
            need.priority is NeedPriority.HIGH
            and need.id not in met
            and kind is not K.PROJECT_PARTNERS
        ):
            reasons.append(
                Reason(
                    "weak", said("Nothing for your high-priority need %(need)s", need=_quote(need))
                )
            )
    reasons += _shared(index, me, them, scored.requester, candidate, kind)
    if kind is K.PROJECT_PARTNERS:
        reasons += _partner_history(index, me, them, scored.query.programme_part)
    reasons += _place(me, them, scored.distances[candidate], kind)
    reasons += _availability(index, scored, candidate, kind)
    reasons += _history(index, scored, candidate)
    return reasons


def _shared(
    index: MatchIndex,
    me: Organisation,
    them: Organisation,
    mine: int,
    theirs: int,
    kind: ExchangeKind,
) -> list[Reason]:
    reasons = []
    disciplines = sorted(set(me.disciplines) & set(them.disciplines))
    if disciplines:
        reasons.append(
            Reason("shared", said("You both work in %(names)s", names=_slugs(disciplines)))
        )
    languages = sorted(set(me.languages) & set(them.languages))
    if languages:
        named = Names(tuple(Language(code) for code in languages))
        reasons.append(Reason("shared", said("You can work together in %(names)s", names=named)))
    elif me.languages and them.languages and kind is not K.PROJECT_PARTNERS:
        listed = Names(tuple(Language(code) for code in them.languages))
        reasons.append(
            Reason("weak", said("No language in common: they work in %(names)s", names=listed))
        )
    together = index.shared_projects(mine, theirs)
    if together:
        titles = Names(tuple(Quote(p.title) for p in together[:2]))
        if len(together) > 2:
            text = said_n(
                "You worked together on %(num)d projects: %(titles)s and %(more)s more",
                "You worked together on %(num)d projects: %(titles)s and %(more)s more",
                len(together),
                titles=titles,
                more=len(together) - 2,
            )
        else:
            text = said_n(
                "You worked together on %(num)d project: %(titles)s",
                "You worked together on %(num)d projects: %(titles)s",
                len(together),
                titles=titles,
            )
        reasons.append(Reason("shared", text))
    common = index.collaboration.common_neighbour_positions(mine, theirs)
    if common:
        names = Names(tuple(index.organisations[p].name for p in common[:2]))
        if len(common) > 2:
            text = said_n(
                "Partners in common: %(names)s and %(num)d more",
                "Partners in common: %(names)s and %(num)d more",
                len(common) - 2,
                names=names,
            )
        else:
            text = said("Partners in common: %(names)s", names=names)
        reasons.append(Reason("shared", text))
    return reasons


def _partner_history(
    index: MatchIndex, me: Organisation, them: Organisation, part: str | None
) -> list[Reason]:
    facts = index.partners.facts(me.id, them.id, part)
    reasons = []
    if facts.coordinated_by_requester:
        reasons.append(
            Reason(
                "history",
                said_n(
                    "Joined projects you coordinated once",
                    "Joined projects you coordinated %(num)d times",
                    facts.coordinated_by_requester,
                ),
            )
        )
    if part and facts.projects_in_part:
        partners = said_n("with %(num)d partner", "with %(num)d partners", facts.partners_in_part)
        text = said_n(
            "Active in %(part)s: %(num)d project %(partners)s",
            "Active in %(part)s: %(num)d projects %(partners)s",
            facts.projects_in_part,
            part=part,
            partners=partners,
        )
        reasons.append(Reason("history", text))
    elif part:
        reasons.append(Reason("weak", said("No projects in %(part)s yet", part=part)))
    return reasons


def _place(
    me: Organisation, them: Organisation, distance: float, kind: ExchangeKind
) -> list[Reason]:
    country = Country(them.country)
    where = said("%(city)s, %(country)s", city=them.city, country=country) if them.city else country
    values: dict[str, Value] = {"where": where, "km": Number(distance)}
    if them.country == me.country:
        if np.isnan(distance):
            text = said("In %(where)s, in your own country", where=where)
        else:
            text = said("In %(where)s, %(km)s km from you, in your own country", **values)
    else:
        values["from"], values["to"] = Country(me.country), country
        if np.isnan(distance):
            del values["km"]
            text = said("In %(where)s: a cross-border exchange (%(from)s → %(to)s)", **values)
        else:
            text = said(
                "In %(where)s, %(km)s km from you: a cross-border exchange (%(from)s → %(to)s)",
                **values,
            )
    reasons = [Reason("place", text)]
    if them.country == me.country and kind is K.PROJECT_PARTNERS:
        reasons.append(
            Reason(
                "weak", said("Same country as you: an EU consortium needs partners from several")
            )
        )
    if not np.isnan(distance) and distance > FAR_KM and kind is not K.PROJECT_PARTNERS:
        reasons.append(
            Reason("weak", said("Far away (%(km)s km): travel takes time", km=Number(distance)))
        )
    return reasons


def _availability(
    index: MatchIndex, scored: Scored, candidate: int, kind: ExchangeKind
) -> list[Reason]:
    if kind not in WINDOW_KIND or scored.overlap_window is None or scored.overlap_days is None:
        return []
    table = index.windows[WINDOW_KIND[kind]]
    window = table.window(int(scored.overlap_window[candidate]))
    days = int(scored.overlap_days[candidate])
    span = {"start": Day(window.starts_on), "end": Day(window.ends_on)}
    if kind is K.HOT_DESKING:
        overlap = said_n(
            "%(num)d day overlapping your own free desks",
            "%(num)d days overlapping your own free desks",
            days,
        )
        text = said_n(
            "%(num)d desk free %(start)s – %(end)s, %(overlap)s",
            "%(num)d desks free %(start)s – %(end)s, %(overlap)s",
            window.places,
            overlap=overlap,
            **span,
        )
    else:
        within = said_n("%(num)d day within your dates", "%(num)d days within your dates", days)
        text = said_n(
            "Residency: %(num)d place open %(start)s – %(end)s, %(within)s",
            "Residency: %(num)d places open %(start)s – %(end)s, %(within)s",
            window.places,
            within=within,
            **span,
        )
    reasons = [Reason("availability", text)]
    if days < FULL_DAYS[kind]:
        reasons.append(
            Reason(
                "weak", said_n("Only %(num)d day of overlap", "Only %(num)d days of overlap", days)
            )
        )
    return reasons


def _history(index: MatchIndex, scored: Scored, theirs: int) -> list[Reason]:
    mine, kind = scored.requester, scored.query.kind
    reasons = []
    done = index.completed.get((mine, kind), Counter())[theirs]
    if done:
        reasons.append(Reason("history", _completed(kind, done)))
    ratings = index.rating_counts[theirs]
    if ratings:
        mean = Number(float(index.mean_ratings[theirs]), 1)
        text = said_n(
            "Rated %(mean)s/5 by hubs they exchanged with (%(num)d rating)",
            "Rated %(mean)s/5 by hubs they exchanged with (%(num)d ratings)",
            int(ratings),
            mean=mean,
        )
        reasons.append(Reason("history", text))
    shown = scored.shown.get(theirs, 0)
    if shown:
        text = said_n(
            "Suggested to you once before", "Suggested to you %(num)d times before", shown
        )
        reasons.append(Reason("history", text))
    return reasons


def _completed(kind: ExchangeKind, done: int) -> Message:
    """Each kind's own sentence: a kind's name takes its plural with the count."""
    if kind is K.SHADOWING:
        return said_n(
            "You already completed %(num)d shadowing visit with them",
            "You already completed %(num)d shadowing visits with them",
            done,
        )
    if kind is K.HOT_DESKING:
        return said_n(
            "You already completed %(num)d hot-desking swap with them",
            "You already completed %(num)d hot-desking swaps with them",
            done,
        )
    if kind is K.RESIDENCY:
        return said_n(
            "You already completed %(num)d manager residency with them",
            "You already completed %(num)d manager residencies with them",
            done,
        )
    return said_n(
        "You already completed %(num)d project partnership with them",
        "You already completed %(num)d project partnerships with them",
        done,
    )
