"""Consortium builder: the best partner sets for a call, around the hub that asks.

Rules, as a call states them:

- The requesting hub is always a member. `min_partners` and `max_size` count every member,
  the requesting hub included (as calls count beneficiaries); so do the countries.
- Every required competence is held by at least one member; there are at least
  `min_countries` distinct countries.
- Among the consortia that meet the call, the best have the largest sum of the partners'
  scores (scores are clipped to [0, 1]; the requester's own score does not count).

Candidates that cannot be in the k best are dropped first (`consortium_pool`), so tens of
thousands shrink to the few that can matter. Exact by integer programming
(`scipy.optimize.milp`) up to `exact_up_to` of those: the k best are found one after the
other, each solve excluding the sets already found (a no-good cut). Beyond, a greedy
construction improved by swaps (`consortium_greedy`).
When no consortium can meet the call, the one closest to it is proposed, marked not
eligible, with what is missing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from matchmaker.matching.consortia.greedy import greedy_consortia
from matchmaker.matching.consortia.pool import undominated
from matchmaker.matching.consortia.types import Call, Candidate, Consortium, ConsortiumProposals
from matchmaker.matching.message import Listed, Message, Number, said, said_n

EXACT = said("the best possible (every combination weighed)")
GREEDY = said("good ones found quickly (perhaps not the best possible)")


def _members(number: int) -> Message:
    return said_n("%(num)d member", "%(num)d members", number)


def _countries(number: int) -> Message:
    return said_n("%(num)d country", "%(num)d countries", number)


def partner_score(candidate: Candidate) -> float:
    return min(1.0, candidate.score) if candidate.score > 0 else 0.0  # NaN counts as 0


def missing_for(
    members: Sequence[Candidate], call: Call, pool: Iterable[Candidate] = ()
) -> list[Message]:
    """What `members` lack to meet the call; `pool` (everyone who could join) sharpens it."""
    everyone = [*members, *pool]
    missing = []
    if call.min_partners > call.max_size:
        missing.append(
            said(
                "the call asks for at least %(least)s members but at most %(most)s",
                least=call.min_partners,
                most=call.max_size,
            )
        )
    if len(members) < call.min_partners:
        text = said(
            "%(members)s, the call needs at least %(least)s",
            members=_members(len(members)),
            least=call.min_partners,
        )
        available = len({c.id for c in everyone})
        if available < call.min_partners:
            text = said_n(
                "%(missing)s (only %(num)d organisation could take part)",
                "%(missing)s (only %(num)d organisations could take part)",
                available,
                missing=text,
            )
        missing.append(text)
    if len(members) > call.max_size:
        missing.append(
            said(
                "%(members)s, the call allows at most %(most)s",
                members=_members(len(members)),
                most=call.max_size,
            )
        )
    countries = {c.country for c in members}
    if len(countries) < call.min_countries:
        text = said(
            "%(countries)s, the call needs %(least)s",
            countries=_countries(len(countries)),
            least=call.min_countries,
        )
        available = len({c.country for c in everyone})
        if available < call.min_countries:
            text = said_n(
                "%(missing)s (only %(num)d among all candidates)",
                "%(missing)s (only %(num)d among all candidates)",
                available,
                missing=text,
            )
        missing.append(text)
    held = {t for c in members for t in c.competences}
    offered = {t for c in everyone for t in c.competences}
    for competence in sorted(call.required_competences - held):
        name = call.name_of(competence)
        if competence in offered:
            missing.append(said("competence '%(name)s' is not covered", name=name))
        else:
            missing.append(said("no candidate offers competence '%(name)s'", name=name))
    return missing


def _meets(members: Sequence[Candidate], call: Call) -> bool:
    return not missing_for(members, call)


def propose_consortia(
    requester: Candidate,
    candidates: Sequence[Candidate],
    call: Call,
    k: int = 3,
    exact_up_to: int = 400,
    time_limit_s: float = 10.0,
) -> ConsortiumProposals:
    """Up to `k` consortia meeting the call, best first; or the closest one, not eligible."""
    unique: dict[int, Candidate] = {}
    for candidate in candidates:
        if candidate.id != requester.id:
            unique.setdefault(candidate.id, candidate)  # a repeated entry is ignored
    pool = list(unique.values())
    k = max(1, k)
    search = undominated(pool, call, k, partner_score)  # the candidates that can matter
    sets: list[list[Candidate]] = []
    method, proven = GREEDY, False
    if len(search) <= exact_up_to:
        sets, proven = _exact_consortia(requester, search, call, k, time_limit_s)
        if not proven:
            method = said("%(method)s, stopped by its time limit: not proven best", method=EXACT)
        else:
            method = EXACT
    if not sets and not proven:  # too many candidates, or the time ran out with nothing
        sets = greedy_consortia(requester, search, call, k, _meets, partner_score)
        method = (
            GREEDY
            if len(search) > exact_up_to
            else said("%(method)s, as the full search ran out of time", method=GREEDY)
        )
    eligible = [_consortium(requester, chosen, call, pool) for chosen in sets]
    eligible = [c for c in eligible if c.eligible]
    if eligible:
        return ConsortiumProposals(
            tuple(eligible), method, _found(len(eligible), k, len(pool), method)
        )
    nearest = (
        sets[0] if method.startswith(GREEDY) else _closest(requester, search, call, time_limit_s)
    )
    closest = _consortium(requester, nearest, call, pool)
    reason = said("No consortium can meet the call: %(missing)s.", missing=Listed(closest.missing))
    if not pool:
        reason = said("No candidates to partner with. %(reason)s", reason=reason)
    return ConsortiumProposals((closest,), method, reason)


def _found(found: int, asked: int, candidates: int, method: Message) -> Message:
    if found == asked:
        return said_n(
            "%(num)d consortium from %(candidates)s candidates, %(method)s.",
            "%(num)d consortia from %(candidates)s candidates, %(method)s.",
            found,
            candidates=candidates,
            method=method,
        )
    return said_n(
        "%(num)d consortium (only %(num)d meets the call) from %(candidates)s candidates, "
        "%(method)s.",
        "%(num)d consortia (only %(num)d meet the call) from %(candidates)s candidates, "
        "%(method)s.",
        found,
        candidates=candidates,
        method=method,
    )


def _consortium(
    requester: Candidate, partners: Sequence[Candidate], call: Call, pool: Sequence[Candidate]
) -> Consortium:
    partners = sorted(partners, key=lambda c: (-partner_score(c), c.id))
    members = (requester, *partners)
    missing = tuple(missing_for(members, call, pool))
    score = float(sum(partner_score(c) for c in partners))
    countries = {c.country for c in members}
    who = said("%(name)s (%(country)s)", name=requester.name, country=requester.country)
    if partners:
        others = Listed(
            tuple(
                said(
                    "%(name)s (%(country)s, %(score)s)",
                    name=c.name,
                    country=c.country,
                    score=Number(partner_score(c), 2),
                )
                for c in partners
            ),
            ", ",
        )
        who = said("%(requester)s with %(partners)s", requester=who, partners=others)
    text = said(
        "%(who)s: %(members)s from %(countries)s",
        who=who,
        members=_members(len(members)),
        countries=_countries(len(countries)),
    )
    covered = sorted(call.required_competences & {t for c in members for t in c.competences})
    if covered:
        held_by = Listed(
            tuple(
                said(
                    "'%(competence)s' (%(names)s)",
                    competence=call.name_of(t),
                    names=Listed(tuple(c.name for c in members if t in c.competences), ", "),
                )
                for t in covered
            ),
            ", ",
        )
        text = said("%(text)s; covers %(covered)s", text=text, covered=held_by)
    text = said("%(text)s; partners' score %(score)s.", text=text, score=Number(score, 2))
    if missing:
        text = said("%(text)s Not eligible: %(missing)s.", text=text, missing=Listed(missing))
    return Consortium(members, score, not missing, missing, text)


class _Program:
    """The call as linear constraints over x (one binary per candidate) and y (countries)."""

    def __init__(self, requester: Candidate, pool: Sequence[Candidate], call: Call) -> None:
        self.pool = pool
        countries = sorted({c.country for c in pool} - {requester.country})
        self.country_column = {country: len(pool) + j for j, country in enumerate(countries)}
        self.size = len(pool) + len(countries)
        self.needed = sorted(call.required_competences - requester.competences)
        self.scores = np.array([partner_score(c) for c in pool] + [0.0] * len(countries))
        self.proven = True  # False once a solve stopped at its time limit
        self.rows: list[np.ndarray] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def row(self, coefficients: dict[int, float], lower: float, upper: float) -> None:
        row = np.zeros(self.size)
        for column, value in coefficients.items():
            row[column] += value
        self.rows.append(row)
        self.lower.append(lower)
        self.upper.append(upper)

    def holders(self, competence: str) -> dict[int, float]:
        return {i: 1.0 for i, c in enumerate(self.pool) if competence in c.competences}

    def country_links(self) -> None:
        """y_country <= number of chosen candidates from it, so y counts present countries."""
        for country, column in self.country_column.items():
            links = {i: -1.0 for i, c in enumerate(self.pool) if c.country == country}
            self.row({column: 1.0, **links}, -np.inf, 0.0)

    def add_columns(self, count: int) -> int:
        """Add `count` continuous columns worth nothing by themselves; the first one's index."""
        first = self.size
        self.size += count
        self.scores = np.concatenate([self.scores, np.zeros(count)])
        return first

    def solve(self, objective: np.ndarray, time_limit_s: float) -> list[int] | None:
        """The chosen candidates' positions, or None when none was found (the call cannot
        be met, or the time limit ran out first: then `proven` turns False)."""
        from scipy.optimize import (  # slow to import: where it is used
            Bounds,
            LinearConstraint,
            milp,
        )

        integrality = np.zeros(self.size)
        integrality[: len(self.pool)] = 1
        constraints = (
            [LinearConstraint(np.array(self.rows), self.lower, self.upper)] if self.rows else []
        )
        result = milp(
            -objective,
            integrality=integrality,
            bounds=Bounds(0, 1),
            constraints=constraints,
            options={"mip_rel_gap": 0.0, "time_limit": time_limit_s},
        )
        self.proven = self.proven and result.status in (0, 2)  # optimal, or infeasible
        if result.x is None:
            return None
        return [i for i in range(len(self.pool)) if result.x[i] > 0.5]


def _exact_consortia(
    requester: Candidate, pool: Sequence[Candidate], call: Call, k: int, time_limit_s: float
) -> tuple[list[list[Candidate]], bool]:
    """The k best partner lists, and whether each solve was proven optimal."""
    if not pool:
        return [[]], True  # the requesting hub alone, eligible only if the call allows it
    program = _Program(requester, pool, call)
    everyone = range(len(pool))
    program.row(dict.fromkeys(everyone, 1.0), call.min_partners - 1, call.max_size - 1)
    for competence in program.needed:
        program.row(program.holders(competence), 1.0, np.inf)
    program.country_links()
    y_columns = dict.fromkeys(program.country_column.values(), 1.0)
    program.row(y_columns, call.min_countries - 1, np.inf)
    found: list[list[Candidate]] = []
    while len(found) < k:
        chosen = program.solve(program.scores, time_limit_s)
        if chosen is None:
            break
        found.append([pool[i] for i in chosen])
        # No-good cut: at least one chosen member out or one other candidate in.
        cut = {i: (1.0 if i in chosen else -1.0) for i in everyone}
        program.row(cut, -np.inf, len(chosen) - 1)
    return found, program.proven


def _closest(
    requester: Candidate, pool: Sequence[Candidate], call: Call, time_limit_s: float
) -> list[Candidate]:
    """The consortium nearest to the call: most competences covered plus countries and
    members counted up to what the call asks, then the best scores, within max_size."""
    if not pool or call.max_size < 2:
        return []
    program = _Program(requester, pool, call)
    offered = [t for t in program.needed if program.holders(t)]
    # Credit columns: one per offered competence, one for countries, one for members.
    base = program.add_columns(len(offered) + 2)
    program.row(dict.fromkeys(range(len(pool)), 1.0), 0, call.max_size - 1)
    for j, competence in enumerate(offered):
        program.row({base + j: 1.0, **{i: -1.0 for i in program.holders(competence)}}, -np.inf, 0)
    program.country_links()
    countries, members = base + len(offered), base + len(offered) + 1
    program.row(
        {countries: 1.0, **dict.fromkeys(program.country_column.values(), -1.0)}, -np.inf, 0
    )
    program.row({countries: 1.0}, -np.inf, max(0, call.min_countries - 1))
    program.row({members: 1.0, **dict.fromkeys(range(len(pool)), -1.0)}, -np.inf, 0)
    program.row({members: 1.0}, -np.inf, max(0, call.min_partners - 1))
    weight = math.ceil(program.scores.sum()) + 1.0  # one more rule met beats any scores
    objective = program.scores.copy()
    objective[base:] = weight
    chosen = program.solve(objective, time_limit_s)
    return [pool[i] for i in chosen or []]
