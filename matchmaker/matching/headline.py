"""The one line a digest shows for a match: the strongest need of the requester that the
candidate's services meet, or, failing that, the disciplines they share."""

from __future__ import annotations

from collections.abc import Sequence

from matchmaker.matching.explain import entry_matches, slug_words
from matchmaker.matching.index import MatchIndex
from matchmaker.matching.message import Country, Message, Names, Quote, said


def headlines(index: MatchIndex, requester: int, candidates: Sequence[int]) -> list[Message]:
    """One line per candidate; `requester` and `candidates` are positions in the index.
    The similarities of all candidates come from one gathered product."""
    me = index.organisations[requester]
    similarities = index.text.needs_against_services(requester, list(candidates))
    lines = []
    for candidate, similarity in zip(candidates, similarities, strict=True):
        them = index.organisations[candidate]
        matches = entry_matches(me.needs, them.services, similarity)
        shared = sorted(set(me.disciplines) & set(them.disciplines))
        if matches:
            best = matches[0]
            service = Quote(best.service.title, best.service.language)
            need = Quote(best.need.title, best.need.language)
            lines.append(
                said("Their %(service)s meets your need %(need)s", service=service, need=need)
            )
        elif shared:
            names = Names(tuple(slug_words(s) for s in shared[:3]))
            lines.append(said("You both work in %(names)s", names=names))
        else:
            where = them.city or Country(them.country)
            lines.append(said("In %(where)s, open to exchanges", where=where))
    return lines
