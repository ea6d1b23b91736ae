"""Records of every classification and owner party, users of every role, and signing them in
(tests/api: the access matrix, authentication, logs).

Every record carries a marker word naming its access (``MARKERrestrictedlebanon``), so a
response that shows a record it should not is caught by searching its text for the word; and
a search word (``SEEKrestrictedlebanon``) that finds it without the query itself echoing the
marker.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy.engine import make_url

from builders import SYSTEM, event, write
from truce.core.access import Classification, Principal, Role, Track
from truce.core.models import Document
from truce.security import User, add_user
from truce.store import Store

#: (classification, owner party) of each seeded record set
ACCESS_LEVELS: tuple[tuple[Classification, str | None], ...] = (
    (Classification.PUBLIC, None),
    (Classification.COMMITTEE, None),
    (Classification.RESTRICTED, "israel"),
    (Classification.RESTRICTED, "lebanon"),
    (Classification.RESTRICTED, None),
)

#: the marker families: documents with their events (and the incidents made of them),
#: evidence files, cases, and cases' findings
RECORDS = "MARKER"
FILES = "VAULT"
CASES = "DOSSIER"
VERDICTS = "VERDICT"

#: the backends of tests/conftest.py's store_url, for fixtures that keep one store a module
BACKENDS = [b for b in os.environ.get("TRUCE_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]

#: whether the evidence vault exists yet (helper "evidence" is writing it)
HAS_EVIDENCE = importlib.util.find_spec("truce.evidence") is not None


def module_database(backend: str, folder: Path, postgres_admin: str | None) -> Iterator[str]:
    """An empty database on `backend` (a file in `folder`, or a fresh PostgreSQL database
    dropped afterwards), like tests/conftest.py's function-scoped ``store_url``."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'truce.db'}"
        return
    assert postgres_admin is not None
    dsn = make_url(postgres_admin).set(drivername="postgresql")
    name = f"truce_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(postgres_admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn.render_as_string(hide_password=False), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def level_name(classification: Classification, owner_party: str | None) -> str:
    if classification is Classification.RESTRICTED:
        return f"restricted{owner_party or 'none'}"
    return classification.value


def marker(family: str, classification: Classification, owner_party: str | None) -> str:
    return family + level_name(classification, owner_party)


def search_word(classification: Classification, owner_party: str | None) -> str:
    return "SEEK" + level_name(classification, owner_party)


@dataclass(frozen=True)
class Record:
    """One seeded record: its kind (a route parameter's), id, access and marker."""

    kind: str  # "events", "documents", "evidence", "incidents", "cases", "findings"
    id: int
    classification: Classification
    owner_party: str | None
    marker: str

    def visible_to(self, principal: Principal) -> bool:
        return principal.may_see(self.classification, self.owner_party)


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: Role
    party: str | None = None
    track: Track | None = None

    @property
    def password(self) -> str:
        return f"{self.username}-Correct-Horse-7"


USERS: tuple[UserSpec, ...] = (
    UserSpec("admin", Role.ADMIN),
    UserSpec("chair", Role.CHAIR),
    UserSpec("delegate-israel", Role.DELEGATE, "israel", Track.MILITARY),
    UserSpec("delegate-lebanon", Role.DELEGATE, "lebanon", Track.CIVILIAN),
    UserSpec("monitor", Role.MONITOR),
    UserSpec("observer", Role.OBSERVER),
)


def add_users(store: Store) -> dict[str, User]:
    """One user of every role (delegates of both parties), added by the local system."""
    return {
        spec.username: add_user(
            store,
            username=spec.username,
            role=spec.role,
            password=spec.password,
            by=SYSTEM,
            party=spec.party,
            track=spec.track,
        )
        for spec in USERS
    }


def access_document(
    classification: Classification, owner_party: str | None, day: int, *, copy: str = ""
) -> tuple[Document, list[Any]]:
    """A document and its one event, every text field carrying the level's marker (`copy`:
    another such document, for another incident)."""
    mark = marker(RECORDS, classification, owner_party)
    seek = search_word(classification, owner_party)
    sentence = f"On {day} December 2024 the {mark} unit shelled {seek} positions near Khiam."
    document = Document(
        id=f"access-{level_name(classification, owner_party)}{copy}",
        text=f"Report {mark}. {sentence} Nothing else happened.",
        published=dt.date(2024, 12, day),
        title=f"Shelling report {mark}",
        source=f"Wire {mark}",
    )
    found = event(
        document,
        sentence,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        plover="ASSAULT",
        event_date=dt.date(2024, 12, day),
        actor1=f"Unit {mark}",
        location="Khiam",
        country="LB",
        latitude=33.3271,
        longitude=35.6136,
    )
    return document, [found]


def seed_records(store: Store, evidence_dir: Path | None = None) -> tuple[Record, ...]:
    """A document and its event at every access level; and an evidence file at each when
    the vault exists (in `evidence_dir`). Returns every record as stored."""
    records: list[Record] = []
    for day, (classification, owner) in enumerate(ACCESS_LEVELS, start=1):
        document, events = access_document(classification, owner, day)
        write(
            store,
            {document: events},
            origin="tests/api/access",
            classification=classification,
            owner_party=owner,
        )
        stored = store.document_by_sha(document.sha256, viewer=SYSTEM)
        assert stored is not None
        mark = marker(RECORDS, classification, owner)
        records.append(Record("documents", stored.pk, classification, owner, mark))
        for stored_event in store.iter_events(viewer=SYSTEM):
            if stored_event.document_pk == stored.pk:
                records.append(Record("events", stored_event.id, classification, owner, mark))
    if HAS_EVIDENCE and evidence_dir is not None:
        records.extend(_seed_evidence(store, evidence_dir))
    return tuple(records)


def seed_incidents_and_cases(store: Store) -> tuple[Record, ...]:
    """Incidents and cases at every access level, after `seed_records`.

    Each seeded event is on a day of its own, so linking makes one incident per access
    level, shown by its members' marker. One more incident merges a public report with one
    restricted to Lebanon: everyone sees it, and only Lebanon and the chair see its second
    member (whose marker the matrix then must find nowhere else). A case at every level
    links the incident of its level; the public case is concluded with a finding restricted
    to Lebanon, so the public case must not show it to anyone else.
    """
    from truce.cases import (
        FindingOutcome,
        NewAllegation,
        NewFinding,
        file_allegation,
        transition,
    )
    from truce.incidents import iter_incident_views, link_stored_events, merge_incidents

    shared = [(Classification.PUBLIC, None), (Classification.RESTRICTED, "lebanon")]
    for classification, owner in shared:
        document, events = access_document(classification, owner, 20, copy="-shared")
        write(
            store,
            {document: events},
            origin="tests/api/access",
            classification=classification,
            owner_party=owner,
        )
    link_stored_events(store, by=SYSTEM)
    incident_of = {
        member.doc_id: view.id
        for view in iter_incident_views(store, viewer=SYSTEM)
        for member in view.members
    }
    together = sorted({incident_of[f"access-{level_name(*level)}-shared"] for level in shared})
    if len(together) > 1:
        merge_incidents(store, together, by=SYSTEM, reason="one shelling, two reports")
    records = [
        Record(
            "incidents",
            min(together),
            Classification.PUBLIC,
            None,
            marker(RECORDS, Classification.PUBLIC, None),
        )
    ]
    for classification, owner in ACCESS_LEVELS:
        incident = incident_of[f"access-{level_name(classification, owner)}"]
        mark = marker(RECORDS, classification, owner)
        records.append(Record("incidents", incident, classification, owner, mark))
        title = marker(CASES, classification, owner)
        case_id = file_allegation(
            store,
            NewAllegation(
                title=f"Allegation {title}",
                summary=f"The shelling reported by {title}.",
                filed_for_party=owner,
                accused_party="israel",
                clause_id="coh-2024-02",
                classification=classification,
                incident_ids=(incident,),
            ),
            by=SYSTEM,
        )
        records.append(Record("cases", case_id, classification, owner, title))
        if classification is Classification.PUBLIC:
            verdict = marker(VERDICTS, Classification.RESTRICTED, "lebanon")
            transition(store, case_id, "investigate", by=SYSTEM)
            concluded = transition(
                store,
                case_id,
                "conclude",
                by=SYSTEM,
                finding=NewFinding(
                    outcome=FindingOutcome.CONFIRMED,
                    rationale=f"Confirmed, as {verdict} shows.",
                    classification=Classification.RESTRICTED,
                    owner_party="lebanon",
                ),
            )
            assert concluded.finding is not None
            records.append(
                Record(
                    "findings",
                    concluded.finding.id,
                    Classification.RESTRICTED,
                    "lebanon",
                    verdict,
                )
            )
    return tuple(records)


def _seed_evidence(store: Store, evidence_dir: Path) -> Iterator[Record]:
    from truce.evidence import EvidenceVault, add_evidence

    vault = EvidenceVault(evidence_dir)
    for classification, owner in ACCESS_LEVELS:
        mark = marker(FILES, classification, owner)
        found = add_evidence(
            store,
            vault,
            io.BytesIO(b"%PDF-1.4\n% " + mark.encode() + b"\n%%EOF\n"),
            original_name=f"log-{mark}.pdf",
            received_from=f"Field team {mark}",
            received_by="committee secretariat",
            description=f"Log of {mark}",
            by=SYSTEM,
            classification=classification,
            owner_party=owner,
        )
        yield Record("evidence", found.id, classification, owner, mark)


async def log_in(client: httpx.AsyncClient, spec: UserSpec) -> str:
    """Sign `client` in through the log-in form; the session's CSRF token (from the page)."""
    response = await post_login(client, spec.username, spec.password)
    assert response.status_code == 303, response.text
    page = await client.get("/login")
    return csrf_of(page.text)


async def post_login(
    client: httpx.AsyncClient, username: str, password: str, **extra: str
) -> httpx.Response:
    """Log in as a browser does: open the form (which sets its login cookie), then post it
    with the form's login token and `extra` fields (``next``, ``csrf_token``)."""
    form = await client.get("/login")
    assert form.status_code == 200, form.text
    fields = {"login_token": login_token_of(form.text), **extra}
    return await client.post("/login", data={**fields, "username": username, "password": password})


def post_login_sync(
    client: httpx.Client, username: str, password: str, **extra: str
) -> httpx.Response:
    """`post_login` for a synchronous client (a live server)."""
    form = client.get("/login")
    assert form.status_code == 200, form.text
    fields = {"login_token": login_token_of(form.text), **extra}
    return client.post("/login", data={**fields, "username": username, "password": password})


def csrf_of(html: str) -> str:
    """The csrf_token value of the first form of a page that has one."""
    return field_of(html, "csrf_token")


def login_token_of(html: str) -> str:
    """The login_token value of a log-in form."""
    return field_of(html, "login_token")


def field_of(html: str, name: str) -> str:
    """The value of the first hidden field `name` of a page."""
    prefix = f'name="{name}" value="'
    start = html.index(prefix) + len(prefix)
    return html[start : html.index('"', start)]
