"""The one line a digest shows for a match: the strongest need of the requester that the
candidate's services meet, or, failing that, the disciplines they share."""

from __future__ import annotations

from collections.abc import Sequence

from matchmaker.matching.explain import entry_matches, slug_words
from matchmaker.matching.index import MatchIndex


def headlines(index: MatchIndex, requester: int, candidates: Sequence[int]) -> list[str]:
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
            lines.append(f"Their “{best.service.title}” meets your need “{best.need.title}”")
        elif shared:
            lines.append(f"You both work in {', '.join(slug_words(s) for s in shared[:3])}")
        else:
            lines.append(f"In {them.city or them.country}, open to exchanges")
    return lines
