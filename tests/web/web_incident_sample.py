"""Incidents, cases and users for the web tests of the incident, case and violation pages.

- `strike`: an Israeli drone strike on Khiam told by two public news reports (Levant Wire,
  then Cedar News two hours later, whose title tries to inject markup), linked into one
  incident by the linker: a candidate violation of clause 2 by Israel.
- `secret`: an Israeli bulldozer demolishing a house in Aitaroun, known only from Lebanon's
  complaint, restricted to Lebanon: only Lebanon's delegation and the chair see it.
- `lebanon_case`: Lebanon's allegation about `secret`, restricted to Lebanon.

Users (password PASSWORD each): chair, monitor, observer, delegate-israel, delegate-lebanon.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from web_sample import IMAGE, SCRIPT

from builders import ISRAEL, SYSTEM, event, write
from truce.cases import NewAllegation, file_allegation
from truce.core.access import Classification, Principal, Role
from truce.core.models import Document, Event
from truce.incidents import IncidentQuery, link_stored_events, list_incidents
from truce.security import LoginLimiter, add_user, authenticate, start_session
from truce.store import EventQuery, Store

PASSWORD = "Truce-Web-Pass-2025"
#: username -> (role, party)
USERS = {
    "chair": (Role.CHAIR, None),
    "monitor": (Role.MONITOR, None),
    "observer": (Role.OBSERVER, None),
    "delegate-israel": (Role.DELEGATE, "israel"),
    "delegate-lebanon": (Role.DELEGATE, "lebanon"),
}
LEBANON = Principal(name="delegate-lebanon", role=Role.DELEGATE, party="lebanon")

DAY = dt.date(2025, 1, 14)
STRIKE = {
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "plover": "ASSAULT",
    "actor1": ISRAEL,
    "admin1": "Nabatieh",
    "country": "LB",
    "location": "Khiam",
    "latitude": 33.3294,
    "longitude": 35.6117,
    "event_date": DAY,
    "fatalities": 2,
}
WIRE_SENTENCE = "An Israeli drone struck a car in Khiam on Tuesday, killing two people."
CEDAR_SENTENCE = "Two people were killed when an Israeli drone struck a car in Khiam."
SECRET_SENTENCE = "An Israeli bulldozer demolished a house in Aitaroun, the army reported."
#: the second report's title: markup that must show as text
CEDAR_TITLE = f"Khiam strike {SCRIPT}{IMAGE}"
LEBANON_CASE_TITLE = "Demolition in Aitaroun, complaint of Lebanon"


def _report(
    doc_id: str, sentence: str, *, source: str, hour: int, title: str, day: dt.date = DAY
) -> Document:
    return Document(
        id=doc_id,
        text=f"{sentence} More to follow.",
        published=dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC),
        title=title,
        source=source,
    )


WIRE = _report("wire-1", WIRE_SENTENCE, source="Levant Wire", hour=15, title="Strike in Khiam")
CEDAR = _report("cedar-1", CEDAR_SENTENCE, source="Cedar News", hour=17, title=CEDAR_TITLE)
COMPLAINT = _report(
    "lb-complaint-2",
    SECRET_SENTENCE,
    source="Lebanese Armed Forces",
    hour=9,
    title="Complaint of the Lebanese delegation",
    day=DAY + dt.timedelta(days=5),
)


def _secret_event() -> Event:
    return event(
        COMPLAINT,
        SECRET_SENTENCE,
        **{
            **STRIKE,
            "event_type": "Strategic developments",
            "sub_event_type": "Looting/property destruction",
            "location": "Aitaroun",
            "latitude": 33.1167,
            "longitude": 35.4667,
            "event_date": DAY + dt.timedelta(days=5),
            "fatalities": None,
        },
    )


@dataclass(frozen=True)
class IncidentSample:
    url: str
    strike: int  # incident ids
    secret: int
    wire_event: int
    cedar_event: int
    lebanon_case: int | None


def populate_incidents(url: str, *, with_case: bool = True) -> IncidentSample:
    """Write the reports, link them, add the users and (unless told) Lebanon's case."""
    with Store.open(url) as store:
        write(
            store,
            {
                WIRE: [event(WIRE, WIRE_SENTENCE, **STRIKE)],
                CEDAR: [event(CEDAR, CEDAR_SENTENCE, **STRIKE)],
            },
        )
        write(
            store,
            {COMPLAINT: [_secret_event()]},
            classification=Classification.RESTRICTED,
            owner_party="lebanon",
        )
        link_stored_events(store, by=SYSTEM)
        for username, (role, party) in USERS.items():
            add_user(store, username=username, role=role, party=party, password=PASSWORD, by=SYSTEM)
        stored = {e.doc_id: e.id for e in store.query_events(EventQuery(), viewer=SYSTEM).items}
        incidents = list_incidents(store, IncidentQuery(), viewer=SYSTEM).items
        by_event = {member.event.id: item.id for item in incidents for member in item.members}
        strike = by_event[stored[WIRE.id]]
        assert by_event[stored[CEDAR.id]] == strike, "the two reports were not linked"
        secret = by_event[stored[COMPLAINT.id]]
        case = None
        if with_case:
            case = file_allegation(
                store,
                NewAllegation(
                    title=LEBANON_CASE_TITLE,
                    summary="A house was demolished in Aitaroun.",
                    accused_party="israel",
                    clause_id="coh-2024-02",
                    classification=Classification.RESTRICTED,
                    incident_ids=(secret,),
                ),
                by=LEBANON,
            )
    return IncidentSample(
        url=url,
        strike=strike,
        secret=secret,
        wire_event=stored[WIRE.id],
        cedar_event=stored[CEDAR.id],
        lebanon_case=case,
    )


CSRF_FIELD = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@dataclass(frozen=True)
class Visitor:
    """A client on the app, signed in (or the public's), and its session's CSRF token."""

    http: httpx.AsyncClient
    csrf: str

    async def post(self, path: str, fields: Mapping[str, str | list[str]]) -> httpx.Response:
        """Post a form the way the pages do: the CSRF token first."""
        return await self.http.post(path, data={"csrf_token": self.csrf, **fields})


@asynccontextmanager
async def visit(app: FastAPI, url: str, username: str | None = None) -> AsyncIterator[Visitor]:
    """A client of `app` signed in as `username` (a session started as the log-in form
    would), or the public's with None."""
    cookies: dict[str, str] = {}
    csrf = ""
    if username is not None:
        with Store.open(url) as store:
            user = authenticate(store, username, PASSWORD, limiter=LoginLimiter())
            issued = start_session(store, user)
        cookies["truce_session"] = issued.secret
        csrf = issued.csrf_token
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver.local", cookies=cookies
    ) as http:
        yield Visitor(http, csrf)
