"""Reasons a manager can read: which of my needs meets which of their services (quoting
both), what we share, where they are, when they have room, and where the match is weak."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matchmaker.matching.constraints import FULL_DAYS, WINDOW_KIND, day
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.kinds import ExchangeKind, NeedPriority
from matchmaker.matching.names import country_name, language_name
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
    history or weak."""

    kind: str
    text: str


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


def _quote(entry: Entry) -> str:
    return f"“{entry.title}”"


def _match_text(match: EntryMatch, mine: bool) -> str:
    category = slug_words(match.service.category)
    how = f"same category: {category}" if match.same_category else "similar wording"
    if mine:
        priority = f" ({match.need.priority.value} priority)"
        return (
            f"Your need {_quote(match.need)}{priority} meets their {_quote(match.service)} ({how})"
        )
    return f"Their need {_quote(match.need)} meets your {_quote(match.service)} ({how})"


def slug_words(slug: str) -> str:
    """A taxonomy slug as words in a sentence: "performing-arts" -> "performing arts"."""
    return slug.replace("-", " ")


def _names(values: list[str]) -> str:
    values = [slug_words(v) for v in values]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


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
            reasons.append(Reason("weak", "Your services answer none of their needs"))
    met = {m.need.id for m in mine}
    for need in me.needs:
        if (
            need.priority is NeedPriority.HIGH
            and need.id not in met
            and kind is not K.PROJECT_PARTNERS
        ):
            reasons.append(Reason("weak", f"Nothing for your high-priority need {_quote(need)}"))
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
        reasons.append(Reason("shared", f"You both work in {_names(disciplines)}"))
    languages = sorted(set(me.languages) & set(them.languages))
    if languages:
        named = _names([language_name(code) for code in languages])
        reasons.append(Reason("shared", f"You can work together in {named}"))
    elif me.languages and them.languages and kind is not K.PROJECT_PARTNERS:
        listed = _names([language_name(code) for code in them.languages])
        reasons.append(Reason("weak", f"No language in common: they work in {listed}"))
    together = index.shared_projects(mine, theirs)
    if together:
        titles = ", ".join(f"“{p.title}”" for p in together[:2])
        more = f" and {len(together) - 2} more" if len(together) > 2 else ""
        count = f"{len(together)} project" + ("s" if len(together) > 1 else "")
        reasons.append(Reason("shared", f"You worked together on {count}: {titles}{more}"))
    common = index.collaboration.common_neighbour_positions(mine, theirs)
    if len(common):
        names = _names([index.organisations[p].name for p in common[:2]])
        extra = f" and {len(common) - 2} more" if len(common) > 2 else ""
        reasons.append(Reason("shared", f"Partners in common: {names}{extra}"))
    return reasons


def _partner_history(
    index: MatchIndex, me: Organisation, them: Organisation, part: str | None
) -> list[Reason]:
    facts = index.partners.facts(me.id, them.id, part)
    reasons = []
    if facts.coordinated_by_requester:
        times = (
            "once"
            if facts.coordinated_by_requester == 1
            else (f"{facts.coordinated_by_requester} times")
        )
        reasons.append(Reason("history", f"Joined projects you coordinated {times}"))
    if part and facts.projects_in_part:
        projects = f"{facts.projects_in_part} project" + ("s" if facts.projects_in_part > 1 else "")
        partners = f"{facts.partners_in_part} partner" + (
            "s" if facts.partners_in_part != 1 else ""
        )
        reasons.append(Reason("history", f"Active in {part}: {projects} with {partners}"))
    elif part:
        reasons.append(Reason("weak", f"No projects in {part} yet"))
    return reasons


def _place(
    me: Organisation, them: Organisation, distance: float, kind: ExchangeKind
) -> list[Reason]:
    where = ", ".join(x for x in (them.city, country_name(them.country)) if x)
    away = "" if np.isnan(distance) else f", {distance:,.0f} km from you"
    if them.country == me.country:
        text = f"In {where}{away}, in your own country"
    else:
        crossing = f"{country_name(me.country)} → {country_name(them.country)}"
        text = f"In {where}{away}: a cross-border exchange ({crossing})"
    reasons = [Reason("place", text)]
    if them.country == me.country and kind is K.PROJECT_PARTNERS:
        reasons.append(
            Reason("weak", "Same country as you: an EU consortium needs partners from several")
        )
    if not np.isnan(distance) and distance > FAR_KM and kind is not K.PROJECT_PARTNERS:
        reasons.append(Reason("weak", f"Far away ({distance:,.0f} km): travel takes time"))
    return reasons


def _availability(
    index: MatchIndex, scored: Scored, candidate: int, kind: ExchangeKind
) -> list[Reason]:
    if kind not in WINDOW_KIND or scored.overlap_window is None or scored.overlap_days is None:
        return []
    table = index.windows[WINDOW_KIND[kind]]
    window = table.windows[int(scored.overlap_window[candidate])]
    days = int(scored.overlap_days[candidate])
    what = f"{window.places} desk" if kind is K.HOT_DESKING else f"{window.places} place"
    what += "s" if window.places > 1 else ""
    span = f"{day(window.starts_on)} – {day(window.ends_on)}"
    if kind is K.HOT_DESKING:
        text = f"{what} free {span}, {days} days overlapping your own free desks"
    else:
        text = f"Residency: {what} open {span}, {days} days within your dates"
    reasons = [Reason("availability", text)]
    if days < FULL_DAYS[kind]:
        reasons.append(Reason("weak", f"Only {days} days of overlap"))
    return reasons


def _history(index: MatchIndex, scored: Scored, theirs: int) -> list[Reason]:
    mine, kind = scored.requester, scored.query.kind
    reasons = []
    done = index.completed.get((mine, kind), Counter())[theirs]
    if done:
        what = kind.label if done == 1 else kind.plural_label
        reasons.append(Reason("history", f"You already completed {done} {what} with them"))
    ratings = index.rating_counts[theirs]
    if ratings:
        mean = index.mean_ratings[theirs]
        count = f"{int(ratings)} rating" + ("s" if ratings > 1 else "")
        reasons.append(
            Reason("history", f"Rated {mean:.1f}/5 by hubs they exchanged with ({count})")
        )
    shown = scored.shown.get(theirs, 0)
    if shown:
        times = "once" if shown == 1 else f"{shown} times"
        reasons.append(Reason("history", f"Suggested to you {times} before"))
    return reasons
