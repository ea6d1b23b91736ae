"""truce.cases: allegations, their investigation, and findings.

A case starts as an allegation filed by a delegation (or opened by the chair), naming the
incidents and evidence it rests on, and moves through the states of `truce.cases.states`
(filed, investigating, concluded, withdrawn; reopened from concluded), each move recorded
with who made it. While it is investigated, monitors get tasks, file visit reports and
gather evidence. Concluding records a finding: violation confirmed, not confirmed, or
inconclusive, the clause, the party it is attributed to, the rationale, and who it is
shared with. Concluding a reopened case again keeps the earlier finding, superseded.

A case is a classified record (`truce.core.access`); its finding is classified on its own.
Everything is read for a viewer (`get_case`, `list_cases`, `findings_for_counting`) and
written by a principal, with an audit entry for every row.
"""

from truce.cases.reading import MAX_PAGE, findings_for_counting, get_case, list_cases
from truce.cases.records import (
    FILE_ACTION,
    CaseEvidence,
    CaseIncident,
    CasePage,
    CaseSummary,
    CaseTransition,
    CaseView,
    Finding,
    FindingOutcome,
    FindingRecord,
    InvestigationTask,
    NewAllegation,
    NewFinding,
    TaskStatus,
    VisitReport,
)
from truce.cases.states import (
    OPEN_STATES,
    TRANSITIONS,
    Actor,
    CaseAction,
    CaseState,
    Transition,
    actions_for,
    allowed_from,
)
from truce.cases.workflow import (
    add_task,
    add_visit_report,
    complete_task,
    file_allegation,
    link_evidence,
    link_incidents,
    transition,
)

__all__ = [
    "FILE_ACTION",
    "MAX_PAGE",
    "OPEN_STATES",
    "TRANSITIONS",
    "Actor",
    "CaseAction",
    "CaseEvidence",
    "CaseIncident",
    "CasePage",
    "CaseState",
    "CaseSummary",
    "CaseTransition",
    "CaseView",
    "Finding",
    "FindingOutcome",
    "FindingRecord",
    "InvestigationTask",
    "NewAllegation",
    "NewFinding",
    "TaskStatus",
    "Transition",
    "VisitReport",
    "actions_for",
    "add_task",
    "add_visit_report",
    "allowed_from",
    "complete_task",
    "file_allegation",
    "findings_for_counting",
    "get_case",
    "link_evidence",
    "link_incidents",
    "list_cases",
    "transition",
]
