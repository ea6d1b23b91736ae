"""What the incident, case and violation API tests run on: the real app on a store holding
reports of three strikes, linked into incidents, and users of every role with API tokens.

- `khiam`: an Israeli drone strike reported by two public outlets and in Lebanon's own
  complaint, restricted to Lebanon: everyone sees the incident, only Lebanon's delegation and
  the chair see the complaint in it;
- `kfar_kila`: a strike reported by two public outlets;
- `aitaroun`: a demolition known only from Lebanon's restricted complaint: only Lebanon's
  delegation and the chair see that incident at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from access_sample import USERS, add_users, log_in

from builders import ISRAEL, SYSTEM, event, write
from truce.api import create_app
from truce.core.access import Classification, Scope
from truce.core.models import Document, Event
from truce.incidents import iter_incident_views, link_stored_events
from truce.security import create_token
from truce.store import EventQuery, Store

DAY = dt.date(2025, 1, 14)
KHIAM = {"location": "Khiam", "latitude": 33.3294, "longitude": 35.6117}
KFAR_KILA = {"location": "Kfar Kila", "latitude": 33.2833, "longitude": 35.5667}
AITAROUN = {"location": "Aitaroun", "latitude": 33.1167, "longitude": 35.4667}
STRIKE = {
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "plover": "ASSAULT",
    "actor1": ISRAEL,
    "admin1": "Nabatieh",
    "country": "LB",
}
#: the word only Lebanon's complaints use: a response that has it shows a restricted member
SECRET_WORD = "bulldozer"
COMPLAINT_OUTLET = "Lebanese Armed Forces"


def report(
    doc_id: str,
    sentence: str,
    *,
    source: str,
    place: dict[str, object],
    day: dt.date = DAY,
    **fields: object,
) -> tuple[Document, Event]:
    """A one-sentence article and its one event: an Israeli drone strike unless told."""
    document = Document(
        id=doc_id,
        text=f"{sentence} More to follow.",
        published=dt.datetime.combine(day, dt.time(15), tzinfo=dt.UTC),
        title=sentence[:40],
        source=source,
    )
    return document, event(document, sentence, **{**STRIKE, **place, "event_date": day, **fields})


PUBLIC_REPORTS = (
    report(
        "wire-1",
        "An Israeli drone struck a car in Khiam on Tuesday, killing two people.",
        source="Levant Wire",
        place=KHIAM,
        fatalities=2,
    ),
    report(
        "cedar-1",
        "Two people were killed when an Israeli drone struck a car in Khiam.",
        source="Cedar News",
        place=KHIAM,
        fatalities=2,
    ),
    report(
        "wire-2",
        "An Israeli drone struck a house in Kfar Kila on Wednesday, wounding three.",
        source="Levant Wire",
        place=KFAR_KILA,
        day=DAY + dt.timedelta(days=1),
    ),
    report(
        "cedar-2",
        "Three people were wounded when an Israeli drone struck a house in Kfar Kila.",
        source="Cedar News",
        place=KFAR_KILA,
        day=DAY + dt.timedelta(days=1),
    ),
)
LEBANON_REPORTS = (
    report(
        "lb-complaint-1",
        "An Israeli drone struck a car in Khiam, killing five civilians, the army reported.",
        source=COMPLAINT_OUTLET,
        place=KHIAM,
        fatalities=5,
    ),
    report(
        "lb-complaint-2",
        f"An Israeli {SECRET_WORD} demolished a house in Aitaroun, the army reported.",
        source=COMPLAINT_OUTLET,
        place=AITAROUN,
        day=DAY + dt.timedelta(days=5),
        event_type="Strategic developments",
        sub_event_type="Looting/property destruction",
    ),
)


@dataclass
class Site:
    """The app, its store, and who is who."""

    client: httpx.AsyncClient
    transport: httpx.ASGITransport
    store: Store
    tokens: dict[str, str]  # username: secret; "reader": the chair's read-only token
    incidents: dict[str, int]  # khiam, kfar_kila, aitaroun
    events: dict[str, int]  # doc_id: event id

    def as_user(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    @asynccontextmanager
    async def browser(self, username: str) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
        """A client signed in through the log-in form, and its session's CSRF token."""
        spec = next(spec for spec in USERS if spec.username == username)
        async with httpx.AsyncClient(
            transport=self.transport, base_url="https://testserver"
        ) as http:
            yield http, await log_in(http, spec)


def _populate(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    write(store, {document: [found] for document, found in PUBLIC_REPORTS})
    write(
        store,
        {document: [found] for document, found in LEBANON_REPORTS},
        classification=Classification.RESTRICTED,
        owner_party="lebanon",
    )
    link_stored_events(store, by=SYSTEM)
    events = {
        e.doc_id: e.id for e in store.query_events(EventQuery(limit=100), viewer=SYSTEM).items
    }
    incident_of = {
        member.doc_id: view.id
        for view in iter_incident_views(store, viewer=SYSTEM)
        for member in view.members
    }
    incidents = {
        "khiam": incident_of["wire-1"],
        "kfar_kila": incident_of["wire-2"],
        "aitaroun": incident_of["lb-complaint-2"],
    }
    assert incident_of["lb-complaint-1"] == incidents["khiam"]
    return incidents, events


@asynccontextmanager
async def open_site(store_url: str) -> AsyncIterator[Site]:
    """The sample written and linked, users of every role with a token each, the app started."""
    with Store.open(store_url) as store:
        incidents, events = _populate(store)
        users = add_users(store)
        tokens = {
            name: create_token(
                store,
                name,
                name="api tests",
                scopes=user.principal.scopes,
                expires_in=dt.timedelta(hours=1),
                by=SYSTEM,
            ).secret
            for name, user in users.items()
        }
        tokens["reader"] = create_token(
            store,
            "chair",
            name="read only",
            scopes=frozenset({Scope.READ}),
            expires_in=dt.timedelta(hours=1),
            by=SYSTEM,
        ).secret
        app = create_app(store_url)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="https://testserver") as http,
        ):
            yield Site(http, transport, store, tokens, incidents, events)
