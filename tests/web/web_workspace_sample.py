"""The committee's workspace with restricted items of every kind for each party, for the
browser test of the isolation rule.

On top of `web_incident_sample` (users, the public strike in Khiam) each party has, restricted
to it: an incident (a report of its own, inside the economic zone) and a case about it, a
proposal, a commitment, a site, a position and a project in the zone, a version of the zone,
a phase update, a delegation, a meeting, a statement, a comment on the committee's statement,
and an agenda item about its case on the committee's meeting. Each carries a marker word
naming its kind and party (``PROPOSALMARKisrael``), in what the pages show of it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from web_incident_sample import DAY, populate_incidents

from builders import SYSTEM, event, write
from truce.cases import NewAllegation, file_allegation
from truce.committee.agenda import NewAgendaItem, add_agenda_items
from truce.committee.commitments import NewCommitment, create_commitment
from truce.committee.delegations import DelegationKind, NewDelegation, add_delegation
from truce.committee.disarmament import NewSite, record_phase_update, report_site
from truce.committee.economic_zone import NewProject, add_project, add_zone_version
from truce.committee.meetings import NewMeeting, schedule_meeting
from truce.committee.positions import NewPosition, add_position
from truce.committee.proposals import NewProposal, create_proposal
from truce.committee.statements import NewStatement, comment_on_statement, draft_statement
from truce.core.access import Classification, Principal, Role
from truce.core.models import Document
from truce.incidents import IncidentQuery, link_stored_events, list_incidents
from truce.store import Store

PARTIES = ("israel", "lebanon")
KINDS = (
    "INCIDENT",
    "CASE",
    "PROPOSAL",
    "COMMITMENT",
    "SITE",
    "POSITION",
    "PROJECT",
    "VERSION",
    "PHASE",
    "DELEGATION",
    "MEETING",
    "STATEMENT",
    "COMMENT",
    "AGENDA",
)
#: each party's point, inside the pack's economic zone: Kfar Kila, Aitaroun
POINTS = {"israel": (33.27722, 35.55167), "lebanon": (33.1167, 35.4667)}
#: days far apart, so the linker never joins the parties' reports into one incident
DAYS = {"israel": DAY + dt.timedelta(days=40), "lebanon": DAY + dt.timedelta(days=80)}
#: the committee's meeting and statement, which every member sees
COMMITTEE_MEETING = "Committee meeting in Naqoura"
COMMITTEE_STATEMENT = "Joint statement on the return of residents"


def marker(kind: str, party: str) -> str:
    return f"{kind}MARK{party}"


def markers_of(party: str) -> set[str]:
    return {marker(kind, party) for kind in KINDS}


def markers_in(text: str, party: str) -> set[str]:
    """The markers of `party` that `text` holds."""
    return set(re.findall(rf"[A-Z]+MARK{party}", text)) & markers_of(party)


@dataclass(frozen=True)
class PartyItems:
    """The ids of one party's restricted items."""

    incident: int
    case: int
    proposal: int
    site: int
    meeting: int
    statement: int
    project: int


@dataclass(frozen=True)
class WorkspaceSample:
    url: str
    strike: int  # the public incident in Khiam (two reports), inside the parties' zones
    committee_meeting: int
    committee_statement: int
    items: dict[str, PartyItems]


def delegate(party: str) -> Principal:
    return Principal(name=f"delegate-{party}", role=Role.DELEGATE, party=party)


def _square(lat: float, lon: float, half: float) -> dict[str, Any]:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _write_reports(store: Store) -> dict[str, int]:
    """Each party's restricted report and event, linked into incidents; incident by party."""
    event_ids: dict[str, str] = {}
    for party in PARTIES:
        mark = marker("INCIDENT", party)
        sentence = f"Armed men were seen near the village of {mark} at night."
        report = Document(
            id=f"{party}-report",
            text=f"{sentence} The delegation asks for a visit.",
            published=dt.datetime.combine(DAYS[party], dt.time(8), tzinfo=dt.UTC),
            title=f"Report of the delegation: {mark}",
            source=f"Delegation of {party}",
        )
        lat, lon = POINTS[party]
        write(
            store,
            {
                report: [
                    event(
                        report,
                        sentence,
                        event_type="Strategic developments",
                        sub_event_type="Other",
                        plover="MOBILIZE",
                        country="LB",
                        location=mark,
                        latitude=lat,
                        longitude=lon,
                        event_date=DAYS[party],
                    )
                ]
            },
            classification=Classification.RESTRICTED,
            owner_party=party,
        )
        event_ids[party] = report.id
    link_stored_events(store, by=SYSTEM)
    incidents = list_incidents(store, IncidentQuery(), viewer=SYSTEM).items
    by_doc = {member.event.doc_id: item.id for item in incidents for member in item.members}
    return {party: by_doc[event_ids[party]] for party in PARTIES}


def populate_workspace(url: str) -> WorkspaceSample:
    public = populate_incidents(url, with_case=False)
    with Store.open(url) as store:
        incidents = _write_reports(store)
        delegations = {
            party: add_delegation(
                store,
                NewDelegation(
                    kind=DelegationKind.PARTY, name=f"Delegation of {party}", party=party
                ),
                by=SYSTEM,
            ).id
            for party in PARTIES
        }
        meeting = schedule_meeting(
            store,
            NewMeeting(
                title=COMMITTEE_MEETING,
                starts_at=dt.datetime(2026, 12, 18, 9, tzinfo=dt.UTC),
                place="UNIFIL headquarters, Naqoura",
            ),
            by=SYSTEM,
        )
        statement = draft_statement(
            store,
            NewStatement(title=COMMITTEE_STATEMENT, text="The committee met in Naqoura."),
            by=SYSTEM,
        )
        items = {}
        for party in PARTIES:
            items[party] = _seed_party(
                store, party, incidents[party], delegations[party], meeting.id, statement.id
            )
    return WorkspaceSample(url, public.strike, meeting.id, statement.id, items)


def _seed_party(
    store: Store,
    party: str,
    incident: int,
    delegation: int,
    committee_meeting: int,
    committee_statement: int,
) -> PartyItems:
    by = delegate(party)
    restricted = Classification.RESTRICTED
    lat, lon = POINTS[party]

    def mark(kind: str) -> str:
        return marker(kind, party)

    case = file_allegation(
        store,
        NewAllegation(
            title=f"Allegation {mark('CASE')}",
            classification=restricted,
            incident_ids=(incident,),
        ),
        by=by,
    )
    add_agenda_items(
        store,
        committee_meeting,
        [NewAgendaItem(kind="case", ref_id=case, title=f"Item {mark('AGENDA')}")],
        by=SYSTEM,
    )
    comment_on_statement(
        store,
        committee_statement,
        f"Our view: {mark('COMMENT')}",
        by=by,
        delegation_id=delegation,
        classification=restricted,
    )
    proposal = create_proposal(
        store,
        NewProposal(
            title=f"Proposal {mark('PROPOSAL')}",
            kind="confidence-building",
            classification=restricted,
            meeting_id=committee_meeting,
        ),
        by=by,
    )
    create_commitment(
        store,
        NewCommitment(
            title=f"Commitment {mark('COMMITMENT')}",
            deadline=dt.date(2025, 12, 31),
            meeting_id=committee_meeting,
            proposal_id=proposal.id,
            classification=restricted,
        ),
        by=by,
    )
    site = report_site(
        store,
        NewSite(
            kind="cache",
            name=f"Cache {mark('SITE')}",
            reported_on=DAYS[party],
            latitude=lat,
            longitude=lon,
            classification=restricted,
        ),
        by=by,
    )
    add_position(
        store,
        NewPosition(
            name=f"Post {mark('POSITION')}",
            holder_party="lebanon",
            latitude=lat + 0.002,
            longitude=lon,
            established_on=DAYS[party],
            supported_by="UNIFIL",
            classification=restricted,
        ),
        by=by,
    )
    project = add_project(
        store,
        NewProject(
            title=f"Orchard {mark('PROJECT')}",
            kind="agriculture",
            sponsor=f"Fund {mark('PROJECT')}",
            latitude=lat,
            longitude=lon + 0.002,
            classification=restricted,
        ),
        by=by,
    )
    # wide enough to hold both parties' points: each party's map keeps its own items
    add_zone_version(
        store,
        _square(33.2, 35.5, 0.19 if party == "israel" else 0.18),
        by=by,
        note=f"Drawn by {mark('VERSION')}",
        classification=restricted,
    )
    record_phase_update(
        store,
        "arms-plan-2",
        "in-progress",
        by=by,
        as_of=DAYS[party],
        note=f"Seen by {mark('PHASE')}",
        classification=restricted,
    )
    add_delegation(
        store,
        NewDelegation(
            kind="observer",
            name=f"Observers {mark('DELEGATION')}",
            classification=restricted,
            owner_party=party,
        ),
        by=SYSTEM,
    )
    meeting = schedule_meeting(
        store,
        NewMeeting(
            title=f"Delegation meeting {mark('MEETING')}",
            starts_at=dt.datetime.combine(DAYS[party], dt.time(10), tzinfo=dt.UTC),
            classification=restricted,
            owner_party=party,
            invite=False,
        ),
        by=SYSTEM,
    )
    statement = draft_statement(
        store,
        NewStatement(
            title=f"Statement {mark('STATEMENT')}",
            text=f"Only for {mark('STATEMENT')}.",
            classification=restricted,
            owner_party=party,
        ),
        by=SYSTEM,
    )
    return PartyItems(
        incident=incident,
        case=case,
        proposal=proposal.id,
        site=site.id,
        meeting=meeting.id,
        statement=statement.id,
        project=project.id,
    )
