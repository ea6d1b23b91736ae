"""Meetings as iCalendar (RFC 5545), for the calendars of the people who attend them.

One VEVENT per meeting the viewer may see: UID the meeting's own (stable across changes, so a
calendar updates the event rather than adding another), DTSTART/DTEND in UTC, SUMMARY,
LOCATION, CATEGORIES (its tracks), DESCRIPTION with the titles of the agenda items the viewer
may see, STATUS (CONFIRMED, or CANCELLED for a cancelled meeting), DTSTAMP and LAST-MODIFIED
(the last change of the meeting itself).

SEQUENCE rises with every change: it is the meeting's own count of changes (title, times,
place, tracks, status, minutes) plus the number of agenda items the viewer sees. Items are
never removed, so each item added to what a viewer sees raises that viewer's SEQUENCE; an item
a viewer may not see changes nothing of its calendar, not even the number.
"""

from __future__ import annotations

import icalendar

from truce.committee.meetings import MeetingStatus, MeetingSummary, all_meetings
from truce.core.access import Principal
from truce.store import Store

PRODUCT_ID = "-//truce//committee meetings//EN"
CALENDAR_NAME = "Committee meetings"


def meetings_ics(store: Store, *, viewer: Principal) -> bytes:
    """Every meeting `viewer` may see, as one iCalendar file."""
    return calendar_of(all_meetings(store, viewer=viewer))


def meeting_ics(store: Store, meeting_id: int, *, viewer: Principal) -> bytes:
    """One meeting as an iCalendar file; NotFoundError if `viewer` may not see it."""
    return calendar_of(all_meetings(store, viewer=viewer, meeting_id=meeting_id))


def calendar_of(meetings: list[MeetingSummary]) -> bytes:
    """The iCalendar file of `meetings` (as one viewer sees them)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    ical: bytes = calendar.to_ical()
    return ical


def sequence_of(meeting: MeetingSummary) -> int:
    """The SEQUENCE of `meeting` as its viewer sees it (see the module docstring)."""
    return meeting.sequence + len(meeting.agenda)


def _event(meeting: MeetingSummary) -> icalendar.Event:
    event = icalendar.Event()
    changed = meeting.updated_at or meeting.created_at
    event.add("uid", meeting.uid)
    event.add("sequence", sequence_of(meeting))
    event.add("dtstamp", changed)
    event.add("created", meeting.created_at)
    event.add("last-modified", changed)
    event.add("dtstart", meeting.starts_at)
    if meeting.ends_at is not None:
        event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("categories", [track.value for track in meeting.tracks])
    event.add("status", "CANCELLED" if meeting.status is MeetingStatus.CANCELLED else "CONFIRMED")
    event.add("description", _description(meeting))
    return event


def _description(meeting: MeetingSummary) -> str:
    tracks = " and ".join(track.value for track in meeting.tracks)
    lines = [f"Tracks: {tracks}."]
    if meeting.agenda:
        lines.append("Agenda:")
        lines.extend(f"{item.position}. {item.title}" for item in meeting.agenda)
    else:
        lines.append("No agenda yet.")
    return "\n".join(lines)
