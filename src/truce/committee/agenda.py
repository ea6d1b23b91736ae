"""A meeting's agenda: drafted from what is open, then the chosen items stored.

`draft_agenda` proposes items from what is open, as its drafter may see it:

1. incidents new since the last held meeting (created after it began);
2. open cases (filed or investigating), the overdue first;
3. commitments still open past their deadline;
4. proposals tabled or under discussion;
5. joint statements in draft.

Records the agenda has already are not proposed again. Drafting writes nothing: the chair
stores the items chosen with `add_agenda_items` (a drafted item, or a new one). An item about
a record takes that record's access (owner party, classification), recomputed as it is
stored, so it is hidden wherever the record is; and a viewer is shown an item only while it
may see the record too. An item about nothing in particular (`other`) is classified as given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from truce.committee.meeting_fields import (
    MAX_NAME,
    MAX_TEXT,
    choice,
    now,
    optional_text,
    require_chair,
)
from truce.committee.meetings import (
    AgendaItem,
    AgendaKind,
    MeetingStatus,
    MeetingView,
    agenda_item_of,
    get_meeting,
)
from truce.core.access import Classification, Principal
from truce.core.errors import ConflictError, InputError, NotFoundError
from truce.store import Store
from truce.store.agenda import Referent, read_open_records, referent_in_batch
from truce.store.meetings import (
    NewAgendaRow,
    agenda_item_in_batch,
    agenda_keys,
    insert_agenda_items,
    meeting_in_batch,
    set_item_outcome,
)

#: the most records of each kind one draft proposes
MAX_PER_KIND = 50


@dataclass(frozen=True)
class NewAgendaItem:
    """An item to add. About a record: its kind and id (the title defaults to the record's;
    the access is always the record's). `other`: a title, classified as given."""

    kind: AgendaKind | str
    ref_id: int | None = None
    title: str | None = None
    classification: Classification = Classification.COMMITTEE
    owner_party: str | None = None


def draft_agenda(
    store: Store,
    meeting_id: int,
    *,
    by: Principal,
    today: dt.date | None = None,
    limit: int = MAX_PER_KIND,
) -> list[AgendaItem]:
    """Items proposed for the meeting's agenda from what is open, as `by` may see it (see the
    module docstring), numbered after the items it has; nothing is stored. NotFoundError if
    `by` may not see the meeting."""
    return meeting_draft(store, meeting_id, by=by, today=today, limit=limit).items


@dataclass(frozen=True)
class MeetingDraft:
    """A draft agenda with the meeting it is for, as its drafter sees it."""

    meeting: MeetingView
    items: list[AgendaItem]


def meeting_draft(
    store: Store,
    meeting_id: int,
    *,
    by: Principal,
    today: dt.date | None = None,
    limit: int = MAX_PER_KIND,
) -> MeetingDraft:
    """`draft_agenda`, with the meeting as `by` sees it (for pages and the API)."""
    meeting = get_meeting(store, meeting_id, viewer=by)
    moment = now()
    records = read_open_records(
        store,
        meeting_id=meeting.id,
        before=meeting.starts_at,
        viewer=by,
        until=min(moment, meeting.starts_at),
        today=today or moment.date(),
        limit=limit,
    )
    since = records.since
    day = today or moment.date()
    proposed: list[tuple[Referent, str]] = []
    for incident in records.incidents:
        reason = (
            f"new since the meeting of {since.date().isoformat()}"
            if since is not None
            else "new: no meeting was held before"
        )
        proposed.append((incident, reason))
    for case in records.cases:
        if case.date is None:
            due = ""
        elif case.date < day:
            due = f", overdue since {case.date}"
        else:
            due = f", due {case.date}"
        proposed.append((case, f"open case ({case.status}){due}"))
    for commitment in records.commitments:
        proposed.append((commitment, f"commitment overdue since {commitment.date}"))
    for proposal in records.proposals:
        proposed.append((proposal, f"proposal {proposal.status}"))
    for statement in records.statements:
        proposed.append((statement, "joint statement in draft"))
    start = max((item.position for item in meeting.agenda), default=0)
    items: list[AgendaItem] = []
    for found, reason in proposed:
        if (found.kind, found.ref_id) in records.on_agenda:
            continue
        items.append(
            AgendaItem(
                id=None,
                meeting_id=meeting.id,
                position=start + len(items) + 1,
                kind=AgendaKind(found.kind),
                ref_id=found.ref_id,
                title=referent_title(found),
                outcome=None,
                classification=found.classification,
                owner_party=found.owner_party,
                reason=reason,
            )
        )
    return MeetingDraft(meeting=meeting, items=items)


def add_agenda_items(
    store: Store,
    meeting_id: int,
    items: Sequence[NewAgendaItem | AgendaItem],
    *,
    by: Principal,
) -> list[AgendaItem]:
    """Append items (drafted or new) to a scheduled or held meeting's agenda (the chair); the
    items added, in order. Records the agenda has already are left out, so adding a draft
    again adds nothing. NotFoundError for a record `by` may not see; ConflictError for a
    cancelled meeting."""
    require_chair(by, "set agendas")
    wanted = [_checked(item, number) for number, item in enumerate(items, start=1)]
    with store.transaction(by=by) as batch:
        meeting = meeting_in_batch(batch, meeting_id)
        if meeting.status == MeetingStatus.CANCELLED.value:
            raise ConflictError(f"meeting {meeting.id} is cancelled: its agenda is closed")
        present = agenda_keys(batch, meeting.id)
        rows = []
        for item in wanted:
            if item.ref_id is None:
                key: tuple[str, int | str] = (item.kind, item.title or "")
                row = NewAgendaRow(
                    title=item.title or "",
                    kind=item.kind,
                    ref_id=None,
                    classification=item.classification,
                    owner_party=item.owner_party,
                )
            else:
                found = referent_in_batch(batch, item.kind, item.ref_id)
                if found is None:
                    raise NotFoundError(f"no {item.kind} with id {item.ref_id}")
                key = (item.kind, item.ref_id)
                row = NewAgendaRow(
                    title=item.title or referent_title(found),
                    kind=item.kind,
                    ref_id=item.ref_id,
                    classification=found.classification,
                    owner_party=found.owner_party,
                )
            if key in present:
                continue
            present.add(key)
            rows.append(row)
        written = insert_agenda_items(batch, meeting.id, rows, at=now())
    return [agenda_item_of(row) for row in written]


def set_agenda_outcome(
    store: Store, meeting_id: int, item_id: int, outcome: str | None, *, by: Principal
) -> AgendaItem:
    """Record what a held meeting decided on one of its items (the chair); None clears it."""
    require_chair(by, "record agenda outcomes")
    cleaned = optional_text(outcome, "outcome", MAX_TEXT)
    with store.transaction(by=by) as batch:
        meeting = meeting_in_batch(batch, meeting_id)
        if meeting.status != MeetingStatus.HELD.value:
            raise ConflictError(
                f"meeting {meeting.id} is {meeting.status}: outcomes are recorded once it is held"
            )
        item = agenda_item_in_batch(batch, meeting.id, item_id)
        row = set_item_outcome(batch, item, cleaned)
    return agenda_item_of(row)


def referent_title(found: Referent) -> str:
    """An item's title from the record it is about."""
    if found.kind == AgendaKind.INCIDENT:
        on = f" on {found.date.isoformat()}" if found.date else ""
        return f"Incident {found.ref_id}: {found.title}{on}"
    if found.kind == AgendaKind.COMMITMENT and found.date is not None:
        return f"Commitment {found.ref_id}: {found.title} (due {found.date.isoformat()})"
    return f"{found.kind.capitalize()} {found.ref_id}: {found.title}"


@dataclass(frozen=True)
class _Wanted:
    kind: str
    ref_id: int | None
    title: str | None
    classification: Classification
    owner_party: str | None


def _checked(item: NewAgendaItem | AgendaItem, number: int) -> _Wanted:
    where = f"items[{number}]"
    kind = choice(item.kind, AgendaKind, f"{where}.kind")
    title = optional_text(item.title, f"{where}.title")
    if kind is AgendaKind.OTHER:
        if item.ref_id is not None:
            raise InputError("an item of kind other refers to no record", source=f"{where}.ref_id")
        if title is None:
            raise InputError("an item of kind other needs a title", source=f"{where}.title")
        classification = choice(item.classification, Classification, f"{where}.classification")
        owner = optional_text(item.owner_party, f"{where}.owner_party", MAX_NAME)
        return _Wanted(kind.value, None, title, classification, owner)
    if item.ref_id is None:
        raise InputError(f"an item about a {kind} names its id", source=f"{where}.ref_id")
    return _Wanted(kind.value, item.ref_id, title, Classification.COMMITTEE, None)


def adopt_draft(
    store: Store, meeting_id: int, *, by: Principal, today: dt.date | None = None
) -> list[AgendaItem]:
    """Add everything `draft_agenda` proposes, as `by` sees it, to the meeting's agenda (the
    chair): the items added."""
    return add_agenda_items(
        store, meeting_id, draft_agenda(store, meeting_id, by=by, today=today), by=by
    )
