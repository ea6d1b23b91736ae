"""Drafting a meeting's agenda from what is open, storing the chosen items, and who sees
which item: a delegate never sees the other party's restricted items, in the meeting, in its
draft, or in its calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import icalendar
import pytest
import sqlalchemy as sa
from meetings_sample import (
    CHAIR,
    ISRAEL_DELEGATE,
    LEBANON_DELEGATE,
    LEBANON_WORDS,
    NOW,
    OBSERVER,
    PUBLIC,
    TODAY,
    OpenWork,
    meeting_at,
    open_work,
)

from builders import SYSTEM
from truce.committee.agenda import (
    NewAgendaItem,
    add_agenda_items,
    draft_agenda,
    set_agenda_outcome,
)
from truce.committee.calendar import meeting_ics
from truce.committee.meetings import AgendaItem, MeetingAction, get_meeting, transition_meeting
from truce.core.access import Classification
from truce.core.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
)
from truce.security.audit import verify_chain
from truce.store import Store
from truce.store.audit import read_chain
from truce.store.schema import cases


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture
def work(store: Store) -> OpenWork:
    return open_work(store)


def refs(items: list[AgendaItem]) -> list[tuple[str, int | None]]:
    return [(item.kind.value, item.ref_id) for item in items]


def test_the_chair_s_draft_lists_what_is_open(store: Store, work: OpenWork) -> None:
    # in ten days the case due tomorrow is overdue, so it comes before Lebanon's
    later = TODAY + dt.timedelta(days=10)
    draft = draft_agenda(store, work.next, by=CHAIR, today=later)
    assert refs(draft) == [
        # incidents created since the held meeting began, the newest first
        ("incident", work.incidents["mixed"]),
        ("incident", work.incidents["lebanon_only"]),
        ("incident", work.incidents["new"]),
        ("case", work.cases["due"]),
        ("case", work.cases["lebanon"]),
        ("commitment", work.commitments["overdue"]),
        ("proposal", work.proposals["discussed"]),
        ("proposal", work.proposals["lebanon_tabled"]),
        ("statement", work.statements["draft"]),
    ]
    assert [item.position for item in draft] == list(range(1, 10))
    assert all(item.id is None for item in draft)
    by_ref = {(item.kind.value, item.ref_id): item for item in draft}
    due = by_ref["case", work.cases["due"]]
    assert due.title == f"Case {work.cases['due']}: Drone strike on Khiam"
    assert due.reason == f"open case (filed), overdue since {TODAY + dt.timedelta(days=1)}"
    new = by_ref["incident", work.incidents["new"]]
    assert new.title == (
        f"Incident {work.incidents['new']}: Air/drone strike in Khiam on "
        f"{TODAY - dt.timedelta(days=2)}"
    )
    held_day = (NOW - dt.timedelta(days=10)).date()
    assert new.reason == f"new since the meeting of {held_day}"
    commitment = by_ref["commitment", work.commitments["overdue"]]
    assert commitment.title.endswith(
        f"Reconvene before the new year (due {TODAY - dt.timedelta(3)})"
    )
    assert by_ref["proposal", work.proposals["discussed"]].reason == "proposal under-discussion"


def test_today_s_draft_has_the_new_incident_open_case_overdue_commitment_and_proposal(
    store: Store, work: OpenWork
) -> None:
    draft = draft_agenda(store, work.next, by=ISRAEL_DELEGATE)
    assert refs(draft) == [
        ("incident", work.incidents["mixed"]),  # seen through its public report
        ("incident", work.incidents["new"]),
        ("case", work.cases["due"]),
        ("commitment", work.commitments["overdue"]),
        ("proposal", work.proposals["discussed"]),
        ("statement", work.statements["draft"]),
    ]
    # the incident Lebanon's complaint shares with a public wire is public, and told from
    # the wire alone
    mixed = draft[0]
    assert (mixed.classification, mixed.owner_party) == (Classification.PUBLIC, None)
    assert "Houla" in mixed.title
    assert not any(word in item.title for item in draft for word in LEBANON_WORDS)


def test_lebanon_drafts_with_its_own_restricted_work(store: Store, work: OpenWork) -> None:
    draft = draft_agenda(store, work.next, by=LEBANON_DELEGATE)
    restricted = {
        ref: (item.classification, item.owner_party)
        for item in draft
        for ref in [(item.kind.value, item.ref_id)]
        if item.classification is Classification.RESTRICTED
    }
    assert restricted == {
        ("incident", work.incidents["lebanon_only"]): (Classification.RESTRICTED, "lebanon"),
        ("case", work.cases["lebanon"]): (Classification.RESTRICTED, "lebanon"),
        ("proposal", work.proposals["lebanon_tabled"]): (Classification.RESTRICTED, "lebanon"),
    }


def test_a_delegate_never_sees_the_other_party_s_restricted_items(
    store: Store, work: OpenWork
) -> None:
    added = add_agenda_items(store, work.next, draft_agenda(store, work.next, by=CHAIR), by=CHAIR)
    secret = add_agenda_items(
        store,
        work.next,
        [
            NewAgendaItem(
                kind="other",
                title="Lebanon's briefing on the Wazzani works",
                classification=Classification.RESTRICTED,
                owner_party="lebanon",
            )
        ],
        by=CHAIR,
    )
    assert len(added) == 9
    assert len(secret) == 1
    lebanon_case = ("case", work.cases["lebanon"])
    for viewer, sees_lebanon in ((ISRAEL_DELEGATE, False), (LEBANON_DELEGATE, True)):
        meeting = get_meeting(store, work.next, viewer=viewer)
        assert (lebanon_case in refs(list(meeting.agenda))) is sees_lebanon
        titles = [item.title for item in meeting.agenda]
        assert any(word in title for title in titles for word in LEBANON_WORDS) is sees_lebanon
        # numbered among what the viewer sees: no gap tells of a hidden item
        assert [item.position for item in meeting.agenda] == list(range(1, len(titles) + 1))
        calendar = icalendar.Calendar.from_ical(meeting_ics(store, work.next, viewer=viewer))
        (event,) = calendar.walk("VEVENT")
        description = str(event["DESCRIPTION"])
        assert all(title in description for title in titles)
        assert any(word in description for word in LEBANON_WORDS) is sees_lebanon
        redraft = draft_agenda(store, work.next, by=viewer)
        assert redraft == []  # everything open is on the agenda already
    israel = get_meeting(store, work.next, viewer=ISRAEL_DELEGATE)
    assert len(israel.agenda) == 6
    assert len(get_meeting(store, work.next, viewer=LEBANON_DELEGATE).agenda) == 10
    assert len(get_meeting(store, work.next, viewer=OBSERVER).agenda) == 6
    # the public sees neither the committee meeting nor its items
    with pytest.raises(NotFoundError):
        get_meeting(store, work.next, viewer=PUBLIC)
    with pytest.raises(NotFoundError):
        draft_agenda(store, work.next, by=PUBLIC)


def test_adding_a_draft_again_adds_nothing(store: Store, work: OpenWork) -> None:
    draft = draft_agenda(store, work.next, by=CHAIR)
    assert len(add_agenda_items(store, work.next, draft, by=CHAIR)) == len(draft)
    assert add_agenda_items(store, work.next, draft, by=CHAIR) == []
    other = NewAgendaItem(kind="other", title="Any other business")
    assert len(add_agenda_items(store, work.next, [other, other], by=CHAIR)) == 1
    assert len(get_meeting(store, work.next, viewer=CHAIR).agenda) == len(draft) + 1


def test_an_item_takes_the_access_of_its_record_whatever_it_is_told(
    store: Store, work: OpenWork
) -> None:
    (item,) = add_agenda_items(
        store,
        work.next,
        [
            NewAgendaItem(
                kind="case",
                ref_id=work.cases["lebanon"],
                classification=Classification.PUBLIC,
            )
        ],
        by=CHAIR,
    )
    assert (item.classification, item.owner_party) == (Classification.RESTRICTED, "lebanon")
    assert item.title.startswith(f"Case {work.cases['lebanon']}: Demolition")
    assert get_meeting(store, work.next, viewer=ISRAEL_DELEGATE).agenda == ()


def test_the_next_draft_starts_from_the_last_held_meeting(store: Store, work: OpenWork) -> None:
    # a meeting held yesterday: only incidents created since are new for the next one
    yesterday = meeting_at(store, "Extraordinary meeting", NOW - dt.timedelta(hours=30))
    transition_meeting(store, yesterday, MeetingAction.HOLD, by=CHAIR)
    draft = draft_agenda(store, work.next, by=CHAIR)
    incidents = [ref for kind, ref in refs(draft) if kind == "incident"]
    assert incidents == [work.incidents["mixed"], work.incidents["lebanon_only"]]
    # the meeting held ten days ago had no meeting before it: everything up to its start
    earlier = draft_agenda(store, work.held, by=CHAIR)
    assert [ref for kind, ref in refs(earlier) if kind == "incident"] == [work.incidents["old"]]
    assert earlier[0].reason == "new: no meeting was held before"


def test_only_the_chair_sets_the_agenda(store: Store, work: OpenWork) -> None:
    item = NewAgendaItem(kind="other", title="Any other business")
    for who in (LEBANON_DELEGATE, OBSERVER, PUBLIC):
        with pytest.raises(PermissionDeniedError, match="the chair does"):
            add_agenda_items(store, work.next, [item], by=who)
    with pytest.raises(NotFoundError, match=f"no case with id {work.cases['lebanon'] + 99}"):
        add_agenda_items(
            store, work.next, [NewAgendaItem(kind="case", ref_id=work.cases["lebanon"] + 99)],
            by=CHAIR,
        )  # fmt: skip
    with pytest.raises(InputError, match=r"items\[1\].kind"):
        add_agenda_items(store, work.next, [NewAgendaItem(kind="rumour", ref_id=1)], by=CHAIR)
    with pytest.raises(InputError, match=r"items\[2\].title"):
        add_agenda_items(store, work.next, [item, NewAgendaItem(kind="other")], by=CHAIR)
    with pytest.raises(InputError, match=r"items\[1\].ref_id"):
        add_agenda_items(store, work.next, [NewAgendaItem(kind="proposal")], by=CHAIR)
    assert get_meeting(store, work.next, viewer=CHAIR).agenda == ()


def test_outcomes_are_recorded_once_the_meeting_is_held(store: Store, work: OpenWork) -> None:
    starts = NOW - dt.timedelta(hours=1)
    meeting = meeting_at(store, "Mechanism meeting today", starts)
    (item,) = add_agenda_items(
        store, meeting, [NewAgendaItem(kind="commitment", ref_id=work.commitments["overdue"])],
        by=CHAIR,
    )  # fmt: skip
    assert item.id is not None
    with pytest.raises(ConflictError, match="is scheduled: outcomes are recorded once"):
        set_agenda_outcome(store, meeting, item.id, "Agreed to meet on 19 December", by=CHAIR)
    transition_meeting(store, meeting, MeetingAction.HOLD, by=CHAIR)
    done = set_agenda_outcome(store, meeting, item.id, "Agreed to meet on 19 December", by=CHAIR)
    assert done.outcome == "Agreed to meet on 19 December"
    assert get_meeting(store, meeting, viewer=OBSERVER).agenda[0].outcome == done.outcome
    with pytest.raises(NotFoundError):
        set_agenda_outcome(store, work.held, item.id, "another meeting's item", by=CHAIR)
    cancelled = meeting_at(store, "Called off", NOW + dt.timedelta(days=3))
    transition_meeting(store, cancelled, MeetingAction.CANCEL, by=CHAIR)
    with pytest.raises(ConflictError, match="cancelled: its agenda is closed"):
        add_agenda_items(store, cancelled, [NewAgendaItem(kind="other", title="x")], by=CHAIR)
    report = verify_chain(read_chain(store))
    assert report.ok, report.problem


def test_an_item_follows_its_record_out_of_sight(store: Store, work: OpenWork) -> None:
    """A case made restricted after it was put on the agenda takes its item with it."""
    add_agenda_items(
        store, work.next, [NewAgendaItem(kind="case", ref_id=work.cases["due"])], by=CHAIR
    )
    assert len(get_meeting(store, work.next, viewer=ISRAEL_DELEGATE).agenda) == 1
    with store.transaction(by=SYSTEM) as batch:
        batch.connection.execute(
            sa.update(cases)
            .where(cases.c.id == work.cases["due"])
            .values(classification="restricted", owner_party="lebanon")
        )
    assert get_meeting(store, work.next, viewer=ISRAEL_DELEGATE).agenda == ()
    assert len(get_meeting(store, work.next, viewer=LEBANON_DELEGATE).agenda) == 1
