"""Violation counts from the store, as one viewer may see them (see `counts` for the rules).

Candidate violations come from each visible incident's agreement check, computed from the
members the viewer sees; confirmed violations from the current findings the viewer may see
(a finding is shared on its own classification, which may be more open than its case's), over
the incidents their cases link that the viewer sees. Nothing hidden from the viewer moves a
number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from truce.agreement import AgreementChecker, CandidateViolation
from truce.agreement.words import party_name
from truce.analytics.counts import (
    Basis,
    CountableIncident,
    CountedViolation,
    Granularity,
    ViolationCounts,
    tally,
)
from truce.cases import FindingOutcome, findings_for_counting
from truce.core.access import Principal
from truce.core.errors import InputError
from truce.incidents import IncidentView, iter_incident_views
from truce.store import Store
from truce.theatre import TheatrePack, load_pack

BASES: tuple[Basis, ...] = ("candidate", "finding")


def count_violations(
    store: Store,
    *,
    by: Sequence[str],
    viewer: Principal,
    basis: str = "candidate",
    granularity: Granularity = "month",
    start: dt.date | None = None,
    end: dt.date | None = None,
    key: Sequence[str] | None = None,
    pack: TheatrePack | None = None,
) -> ViolationCounts:
    """Violations by the `by` dimensions over [start, end]; with `key`, one row's incidents."""
    if basis not in BASES:
        raise InputError(f"unknown basis {basis!r}: choose candidate or finding")
    pack = pack if pack is not None else load_pack(None)
    counted = (
        _candidates(store, viewer, pack) if basis == "candidate" else _findings(store, viewer, pack)
    )
    return tally(
        counted,
        by=by,
        basis="candidate" if basis == "candidate" else "finding",
        granularity=granularity,
        start=start,
        end=end,
        key=key,
    )


def _candidates(store: Store, viewer: Principal, pack: TheatrePack) -> Iterator[CountableIncident]:
    for view in iter_incident_views(store, viewer=viewer, pack=pack):
        violations = tuple(
            _counted(candidate, pack)
            for candidate in view.violations
            if candidate.effect == "violation"
        )
        if violations:
            yield _countable(view, violations)


def _findings(store: Store, viewer: Principal, pack: TheatrePack) -> Iterator[CountableIncident]:
    checker = AgreementChecker.for_pack(pack)
    labels = {clause.id: f"{clause.number}. {clause.title}" for clause in checker.clauses}
    confirmed: dict[int, list[CountedViolation]] = {}
    for record in findings_for_counting(store, viewer=viewer):
        finding = record.finding
        if finding.outcome != FindingOutcome.CONFIRMED:
            continue
        if finding.clause_id is None or finding.attributed_party is None:
            continue
        violation = CountedViolation(
            clause_id=finding.clause_id,
            clause_label=labels.get(finding.clause_id, finding.clause_id),
            party=finding.attributed_party,
            party_name=party_name(pack.parties, finding.attributed_party),
        )
        for incident_id in record.incident_ids:
            confirmed.setdefault(incident_id, []).append(violation)
    if not confirmed:
        return
    for view in iter_incident_views(store, viewer=viewer, pack=pack):
        if view.id in confirmed:
            yield _countable(view, tuple(confirmed[view.id]))


def _countable(view: IncidentView, violations: tuple[CountedViolation, ...]) -> CountableIncident:
    summary = view.summary
    return CountableIncident(
        id=view.id,
        start=summary.start,
        kind=summary.sub_event_type or summary.plover,
        area=summary.admin1,
        violations=violations,
    )


def _counted(candidate: CandidateViolation, pack: TheatrePack) -> CountedViolation:
    zones = []
    for zone_id in candidate.zones:
        zone = pack.zone(zone_id)
        # governorates are the "area" dimension already
        if zone.admin_level is None:
            zones.append((zone.id, zone.name))
    return CountedViolation(
        clause_id=candidate.clause_id,
        clause_label=f"{candidate.clause_number}. {candidate.clause_title}",
        party=candidate.party,
        party_name=candidate.party_name,
        zones=tuple(zones),
    )
