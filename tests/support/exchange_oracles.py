"""Independent oracles for residency rounds and consortia, shared by the tests and the
benchmark (swaps have theirs in `swap_oracles`).

Each one recomputes the answer its own way from the rules in the module docstrings, so a
mistake in the engine's formulation or bookkeeping shows as a mismatch.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping, Sequence

from matching.exceptions import PlayerExcludedWarning, PreferencesChangedWarning
from matching.games import HospitalResident

from matchmaker.matching.consortia import Call, Candidate
from matchmaker.matching.residency import Applicant, Host

# --- residencies ---------------------------------------------------------------------------


def library_allocation(applicants: Sequence[Applicant], hosts: Sequence[Host]) -> dict[int, int]:
    """The `matching` package's resident-optimal allocation. It cleans one-sided rankings and
    repeats itself (warning about each); ids it does not know would make it fail, and so
    would a host without places that someone ranked alone (1.4.3 drops the host after
    checking that every list is non-empty), so those are dropped here."""
    hosts = [h for h in hosts if h.places > 0]
    host_ids = {h.id for h in hosts}
    applicant_ids = {a.id for a in applicants}
    resident_prefs = {a.id: [h for h in a.hosts if h in host_ids] for a in applicants}
    hospital_prefs = {h.id: [a for a in h.applicants if a in applicant_ids] for h in hosts}
    capacities = {h.id: h.places for h in hosts}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PreferencesChangedWarning)
        warnings.simplefilter("ignore", PlayerExcludedWarning)
        game = HospitalResident.create_from_dictionaries(
            resident_prefs, hospital_prefs, capacities, clean=True
        )
        solution = game.solve(optimal="resident")
    return {resident.name: hospital.name for hospital, rs in solution.items() for resident in rs}


def allocation_problems(
    applicants: Sequence[Applicant], hosts: Sequence[Host], allocation: Mapping[int, int]
) -> list[str]:
    """Pairs not ranked both ways, hosts over their places, and blocking pairs, naively."""
    host_by_id = {h.id: h for h in hosts}
    problems = []
    held: dict[int, list[int]] = {h.id: [] for h in hosts}
    for applicant_id, host_id in allocation.items():
        held[host_id].append(applicant_id)
        applicant = next(a for a in applicants if a.id == applicant_id)
        if host_id not in applicant.hosts or applicant_id not in host_by_id[host_id].applicants:
            problems.append(f"{applicant_id} at {host_id} without both ranking each other")
    for host in hosts:
        if len(held[host.id]) > host.places:
            problems.append(f"{host.id} holds {len(held[host.id])} for {host.places} places")
    for applicant in applicants:
        for host in hosts:
            if host.places < 1 or host.id not in applicant.hosts:
                continue
            if applicant.id not in host.applicants or allocation.get(applicant.id) == host.id:
                continue
            current = allocation.get(applicant.id)
            wants = current is None or applicant.hosts.index(host.id) < applicant.hosts.index(
                current
            )
            rank = host.applicants.index
            takes = len(held[host.id]) < host.places or any(
                rank(applicant.id) < rank(other) for other in held[host.id]
            )
            if wants and takes:
                problems.append(f"blocking pair {applicant.id}, {host.id}")
    return problems


# --- consortia -----------------------------------------------------------------------------


def meets(members: Sequence[Candidate], call: Call) -> bool:
    return (
        call.min_partners <= len(members) <= call.max_size
        and len({m.country for m in members}) >= call.min_countries
        and call.required_competences <= {t for m in members for t in m.competences}
    )


def clipped(candidate: Candidate) -> float:
    return min(1.0, candidate.score) if candidate.score > 0 else 0.0


def consortia_brute_force(
    requester: Candidate, pool: Sequence[Candidate], call: Call, k: int
) -> list[float]:
    """The k best partner-score totals over every eligible consortium, best first."""
    totals = []
    for size in range(0, min(len(pool), call.max_size - 1) + 1):
        for partners in itertools.combinations(pool, size):
            if meets([requester, *partners], call):
                totals.append(sum(clipped(c) for c in partners))
    return sorted(totals, reverse=True)[:k]


def consortium_branch_and_bound(
    requester: Candidate, pool: Sequence[Candidate], call: Call
) -> float | None:
    """The best partner-score total by depth-first search over candidates, best score
    first, pruned by the best possible remaining total and by what can still be met."""
    ranked = sorted(pool, key=clipped, reverse=True)
    room = call.max_size - 1
    suffix_competences = [set[str]() for _ in range(len(ranked) + 1)]
    suffix_countries = [set[str]() for _ in range(len(ranked) + 1)]
    for i in range(len(ranked) - 1, -1, -1):
        suffix_competences[i] = suffix_competences[i + 1] | ranked[i].competences
        suffix_countries[i] = suffix_countries[i + 1] | {ranked[i].country}
    best: list[float | None] = [None]

    def search(i: int, chosen: list[Candidate], total: float) -> None:
        members = [requester, *chosen]
        if meets(members, call) and (best[0] is None or total > best[0]):
            best[0] = total
        left = room - len(chosen)
        if i == len(ranked) or left == 0:
            return
        bound = total + sum(clipped(c) for c in ranked[i : i + left])
        if best[0] is not None and bound <= best[0] + 1e-12:
            return
        held = {t for m in members for t in m.competences}
        if not call.required_competences - held <= suffix_competences[i]:
            return
        countries = {m.country for m in members}
        if len(countries | suffix_countries[i]) < call.min_countries:
            return
        if call.min_countries - len(countries) > left:
            return
        search(i + 1, [*chosen, ranked[i]], total + clipped(ranked[i]))
        search(i + 1, chosen, total)

    search(0, [], 0.0)
    return best[0]
