"""Meetings as iCalendar: parsed back with icalendar, the UID stays while SEQUENCE rises with
each change, times in UTC, cancelled ones marked, and each viewer's calendar holds only what
it may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import icalendar
import pytest
from meetings_sample import (
    CHAIR,
    ISRAEL_DELEGATE,
    LEBANON_DELEGATE,
    NOW,
    OBSERVER,
    PUBLIC,
    meeting_at,
)

from truce.committee.agenda import NewAgendaItem, add_agenda_items
from truce.committee.calendar import PRODUCT_ID, meeting_ics, meetings_ics
from truce.committee.meetings import MeetingAction, MeetingChanges, transition_meeting
from truce.committee.meetings import update_meeting as change
from truce.core.access import Classification, Principal
from truce.core.errors import NotFoundError
from truce.store import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


def events(store: Store, viewer: Principal) -> dict[str, Any]:
    """The calendar `viewer` gets, parsed back: its events by SUMMARY."""
    calendar = icalendar.Calendar.from_ical(meetings_ics(store, viewer=viewer))
    assert str(calendar["PRODID"]) == PRODUCT_ID
    assert str(calendar["VERSION"]) == "2.0"
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_a_meeting_parses_back_with_its_times_place_and_agenda(store: Store) -> None:
    starts = dt.datetime(2026, 12, 19, 9, 30, tzinfo=dt.UTC)
    meeting = meeting_at(store, "Mechanism meeting before the new year", starts)
    add_agenda_items(
        store,
        meeting,
        [
            NewAgendaItem(kind="other", title="Reconvening, with proposals for recovery"),
            NewAgendaItem(kind="other", title="Any other business; dates, places"),
        ],
        by=CHAIR,
    )
    calendar = icalendar.Calendar.from_ical(meeting_ics(store, meeting, viewer=OBSERVER))
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == starts
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert event.decoded("DTEND") == starts + dt.timedelta(hours=2)
    assert str(event["LOCATION"]) == "UNIFIL headquarters, Naqoura"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["UID"]).endswith("@truce")
    assert str(event["DESCRIPTION"]) == (
        "Tracks: military and civilian.\nAgenda:\n"
        "1. Reconvening, with proposals for recovery\n"
        "2. Any other business; dates, places"
    )
    assert event["CATEGORIES"].cats == ["military", "civilian"]


def test_the_uid_stays_while_the_sequence_rises(store: Store) -> None:
    starts = NOW + dt.timedelta(days=5)
    meeting = meeting_at(store, "Mechanism meeting", starts)
    first = events(store, OBSERVER)["Mechanism meeting"]
    uid, sequence = str(first["UID"]), int(first["SEQUENCE"])
    assert sequence == 0
    seen = [sequence]
    for step in (
        lambda: change(store, meeting, MeetingChanges(place="Ras Naqoura"), by=CHAIR),
        lambda: add_agenda_items(
            store, meeting, [NewAgendaItem(kind="other", title="Prisoners")], by=CHAIR
        ),
        lambda: change(
            store, meeting, MeetingChanges(starts_at=starts + dt.timedelta(1)), by=CHAIR
        ),
        lambda: transition_meeting(store, meeting, MeetingAction.CANCEL, by=CHAIR),
    ):
        step()
        now = events(store, OBSERVER)["Mechanism meeting"]
        assert str(now["UID"]) == uid
        seen.append(int(now["SEQUENCE"]))
    assert seen == [0, 1, 2, 3, 4]
    assert str(now["STATUS"]) == "CANCELLED"
    assert str(now["LOCATION"]) == "Ras Naqoura"
    assert now.decoded("DTSTART") == starts + dt.timedelta(days=1)
    assert now.decoded("LAST-MODIFIED") >= first.decoded("DTSTAMP")


def test_each_viewer_s_calendar_holds_only_what_it_may_see(store: Store) -> None:
    committee = meeting_at(store, "Mechanism meeting", NOW + dt.timedelta(days=1))
    meeting_at(
        store, "Open session", NOW + dt.timedelta(days=2), classification=Classification.PUBLIC
    )
    lebanon = meeting_at(
        store,
        "Consultation with Lebanon",
        NOW + dt.timedelta(days=3),
        classification=Classification.RESTRICTED,
        owner_party="lebanon",
    )
    before = {viewer: events(store, viewer) for viewer in (ISRAEL_DELEGATE, LEBANON_DELEGATE)}
    add_agenda_items(
        store,
        committee,
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
    israel = events(store, ISRAEL_DELEGATE)
    assert sorted(israel) == ["Mechanism meeting", "Open session"]
    # Lebanon's item changes nothing of Israel's calendar, not even the sequence
    assert (
        israel["Mechanism meeting"].to_ical()
        == before[ISRAEL_DELEGATE]["Mechanism meeting"].to_ical()
    )
    assert "Wazzani" not in meetings_ics(store, viewer=ISRAEL_DELEGATE).decode()
    lebanon_events = events(store, LEBANON_DELEGATE)
    assert sorted(lebanon_events) == [
        "Consultation with Lebanon",
        "Mechanism meeting",
        "Open session",
    ]
    mine = lebanon_events["Mechanism meeting"]
    assert "Wazzani" in str(mine["DESCRIPTION"])
    assert (
        int(mine["SEQUENCE"]) == int(before[LEBANON_DELEGATE]["Mechanism meeting"]["SEQUENCE"]) + 1
    )
    assert sorted(events(store, PUBLIC)) == ["Open session"]
    for viewer in (PUBLIC, OBSERVER, ISRAEL_DELEGATE):
        with pytest.raises(NotFoundError, match=f"no meeting with id {lebanon}"):
            meeting_ics(store, lebanon, viewer=viewer)
    with pytest.raises(NotFoundError):
        meeting_ics(store, 987654321, viewer=CHAIR)


def test_an_empty_calendar_is_still_a_calendar(store: Store) -> None:
    calendar = icalendar.Calendar.from_ical(meetings_ics(store, viewer=PUBLIC))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]) == "Committee meetings"
