"""The access matrix: every GET route of the app × every principal × every record.

The routes are read from ``app.routes``, so a route added tomorrow is checked the day it is
added: a path parameter the matrix does not know fails the test, naming the parameter to
register in PARAMETER_KINDS; a mounted app or a new route that shows no records must be
added to SKIPPED_PATHS by hand, in review. Each principal (every role, delegates of both
parties, signed in through the log-in form and by API token; and the public) requests every
list route with no filters and with a search for each record, and every detail route for
each record and for a missing id. No response may carry the marker word of a record the
principal may not see (``Principal.may_see`` decides); a detail route answers an invisible
record exactly as it answers a missing one (404); and every record the principal may see
shows up in some list, so the test cannot pass by showing nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from access_disarmament_sample import seed_disarmament
from access_meetings_sample import seed_meetings
from access_proposals_sample import seed_proposals
from access_sample import (
    ACCESS_LEVELS,
    BACKENDS,
    CASES,
    FILES,
    HAS_EVIDENCE,
    RECORDS,
    USERS,
    VERDICTS,
    Record,
    add_users,
    log_in,
    marker,
    module_database,
    search_word,
    seed_incidents_and_cases,
    seed_records,
)
from access_statements_sample import seed_statements
from fastapi import FastAPI, HTTPException, Request
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount, Route

from builders import SYSTEM
from truce.api import create_app
from truce.core.access import Principal
from truce.core.errors import NotFoundError
from truce.security import User, create_token
from truce.store import Store
from truce.web.viewer import request_viewer

pytestmark = pytest.mark.anyio

#: GET paths that show no records, so are not requested: files, and the API's description
SKIPPED_PATHS = frozenset({"/static", "/assets/{path:path}", "/docs", "/openapi.json"})
#: which records a path parameter names; a route with a parameter not here fails the test
PARAMETER_KINDS = {
    "event_id": "events",
    "document_pk": "documents",
    "evidence_id": "evidence",
    "incident_id": "incidents",
    "case_id": "cases",
    "delegation_id": "delegations",
    "meeting_id": "meetings",
    "statement_id": "statements",
    "proposal_id": "proposals",
    "commitment_id": "commitments",
    "site_id": "sites",
    "position_id": "positions",
    "project_id": "projects",
    # named by write routes only today; a GET route naming them must seed such records
    "action_id": "incident actions",
    "task_id": "investigation tasks",
}
#: kinds of records no path names, shown only within others (a case's findings)
NESTED_KINDS = frozenset({"findings", "phase updates", "zone versions", "agenda items"})
MISSING_ID = 987654321


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@dataclass(frozen=True)
class ReadRoute:
    """A GET route the matrix requests: a list (no parameter) or a record's detail."""

    path: str
    parameter: str | None

    def url(self, record_id: int | None = None) -> str:
        return PATH_PARAMETER.sub(str(record_id), self.path)


PATH_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


def read_routes(app: FastAPI) -> tuple[list[ReadRoute], set[str]]:
    """The app's GET routes to request, and the paths skipped; AssertionError for a route
    the matrix cannot check yet, saying what to do.

    FastAPI keeps included routers as routes of their own in ``app.routes``; its
    `iter_route_contexts` (what its OpenAPI schema is made from) gives the routes within.
    """
    routes: list[ReadRoute] = []
    skipped: set[str] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = str(context.path)
        if path in SKIPPED_PATHS:
            skipped.add(path)
            continue
        if isinstance(route, Mount):
            raise AssertionError(
                f"{path} is a mounted app the access matrix cannot enumerate: if it can show "
                "no records add it to SKIPPED_PATHS in tests/api/test_access_matrix.py, else "
                "put its routes on the app itself"
            )
        if not isinstance(route, Route):
            raise AssertionError(f"{path}: a {type(route).__name__} the access matrix can't test")
        if "GET" not in (context.methods or set()):
            continue
        parameters = PATH_PARAMETER.findall(path)
        unknown = [name for name in parameters if name not in PARAMETER_KINDS]
        if unknown:
            raise AssertionError(
                f"GET {path}: path parameter {', '.join(unknown)} is not registered in "
                "PARAMETER_KINDS of tests/api/test_access_matrix.py: map it to the kind of "
                "record it names (and seed such records in tests/api/access_sample.py) so the "
                "access matrix checks who may see them"
            )
        if len(parameters) > 1:
            raise AssertionError(
                f"GET {path}: more than one record in a path; teach the access matrix which "
                "of them decides visibility"
            )
        routes.append(ReadRoute(path, parameters[0] if parameters else None))
    return routes, skipped


@dataclass(frozen=True)
class Seeded:
    url: str
    evidence_dir: Path
    users: dict[str, User]
    tokens: dict[str, str]
    records: tuple[Record, ...]


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """One store per backend for the module: records of every access level, users of every
    role, and an API token of each."""
    backend = request.param
    admin = request.getfixturevalue("postgres_admin") if backend != "sqlite" else None
    folder = tmp_path_factory.mktemp("matrix")
    for url in module_database(backend, folder, admin):
        with Store.open(url) as store:
            records = seed_records(store, folder / "evidence")
            records += seed_incidents_and_cases(store)
            records += seed_statements(store)
            records += seed_proposals(store)
            records += seed_disarmament(store)
            records += seed_meetings(store)
            users = add_users(store)
            tokens = {
                name: create_token(
                    store,
                    name,
                    name="access matrix",
                    scopes=user.principal.scopes,
                    expires_in=dt.timedelta(hours=1),
                    by=SYSTEM,
                ).secret
                for name, user in users.items()
            }
        yield Seeded(url, folder / "evidence", users, tokens, records)


@dataclass(frozen=True)
class Credential:
    label: str
    principal: Principal
    client: httpx.AsyncClient


async def _credentials(app: FastAPI, seeded: Seeded, stack: AsyncExitStack) -> list[Credential]:
    """The public, then each user signed in through the form and by its token."""

    async def client(**headers: str) -> httpx.AsyncClient:
        made = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://testserver", headers=headers
        )
        return await stack.enter_async_context(made)

    credentials = [Credential("public", Principal.public(), await client())]
    for spec in USERS:
        principal = seeded.users[spec.username].principal
        by_session = await client()
        await log_in(by_session, spec)
        credentials.append(Credential(f"{spec.username} (session)", principal, by_session))
        token = await client(Authorization=f"Bearer {seeded.tokens[spec.username]}")
        credentials.append(Credential(f"{spec.username} (token)", principal, token))
    return credentials


@pytest.fixture
async def app(seeded: Seeded) -> AsyncIterator[FastAPI]:
    made = create_app(seeded.url)
    if HAS_EVIDENCE:
        from truce.api.evidence import VAULT_STATE
        from truce.evidence import EvidenceVault

        setattr(made.state, VAULT_STATE, EvidenceVault(seeded.evidence_dir))
    async with made.router.lifespan_context(made):
        yield made


def _markers_in(response: httpx.Response, markers: set[str]) -> set[str]:
    text = _everything(response)
    return {word for word in markers if word.lower() in text}


def _everything(response: httpx.Response) -> str:
    """The body and headers, lower-cased: a marker anywhere in them is shown."""
    headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
    return f"{headers}\n{response.text}".lower()


@dataclass(frozen=True)
class MatrixCount:
    routes: int
    lists: int
    credentials: int
    principals: int
    records: int
    requests: int

    @property
    def checks(self) -> int:
        """(route, credential, record) triples checked: every response against every record."""
        return self.requests * self.records

    def __str__(self) -> str:
        return (
            f"access matrix: {self.routes} GET routes ({self.lists} lists, "
            f"{self.routes - self.lists} details) × {self.credentials} credentials "
            f"({self.principals} principals, by session and by token) × {self.records} "
            f"records: {self.requests} requests, {self.checks} route × credential × record "
            "checks"
        )


async def run_matrix(app: FastAPI, seeded: Seeded) -> MatrixCount:
    """Request every GET route as every credential; AssertionError at the first leak."""
    routes, skipped = read_routes(app)
    assert skipped == SKIPPED_PATHS
    records = seeded.records
    kinds = {record.kind for record in records}
    assert {"events", "documents", "incidents", "cases", "findings"} <= kinds
    assert ("evidence" in kinds) is HAS_EVIDENCE
    # every kind seeded is named by some route parameter (but those shown only within other
    # records), and every route's kind is seeded
    assert {PARAMETER_KINDS[r.parameter] for r in routes if r.parameter} == kinds - NESTED_KINDS
    markers = {record.marker for record in records}
    searches = [search_word(level, owner) for level, owner in ACCESS_LEVELS]

    requests = 0
    async with AsyncExitStack() as stack:
        credentials = await _credentials(app, seeded, stack)
        for credential in credentials:
            visible = {r.marker for r in records if r.visible_to(credential.principal)}
            hidden = markers - visible
            listed: set[str] = set()
            for route in routes:
                where = f"{credential.label}: GET {route.path}"
                if route.parameter is None:
                    for params in [{}, *({"q": word} for word in searches)]:
                        response = await credential.client.get(route.url(), params=params)
                        requests += 1
                        assert response.status_code == 200, f"{where} {params}"
                        shown = _markers_in(response, markers)
                        assert not shown & hidden, f"{where} {params} shows {shown & hidden}"
                        listed |= shown
                    continue
                kind = PARAMETER_KINDS[route.parameter]
                missing = await credential.client.get(route.url(MISSING_ID))
                requests += 1
                assert missing.status_code == 404, where
                assert not _markers_in(missing, markers), where
                for record in (r for r in records if r.kind == kind):
                    response = await credential.client.get(route.url(record.id))
                    requests += 1
                    shown = _markers_in(response, markers)
                    assert not shown & hidden, f"{where} {record} shows {shown & hidden}"
                    if record.marker in visible:
                        assert response.status_code == 200, f"{where} {record}"
                        assert record.marker in shown, f"{where} {record}"
                    else:
                        # exactly the answer for an id that does not exist
                        assert response.status_code == 404, f"{where} {record}"
                        assert response.text == _with_id(missing.text, record.id), where
            assert listed == visible, f"{credential.label}: lists show {listed}, not {visible}"

    lists = sum(1 for r in routes if r.parameter is None)
    per_kind = {kind: sum(1 for r in records if r.kind == kind) for kind in kinds}
    details = [PARAMETER_KINDS[r.parameter] for r in routes if r.parameter]
    expected = len(credentials) * (
        lists * (1 + len(searches)) + sum(1 + per_kind[kind] for kind in details)
    )
    assert requests == expected
    return MatrixCount(
        routes=len(routes),
        lists=lists,
        credentials=len(credentials),
        principals=len({c.principal for c in credentials}),
        records=len(records),
        requests=requests,
    )


async def test_no_route_shows_a_record_to_whom_may_not_see_it(app: FastAPI, seeded: Seeded) -> None:
    count = await run_matrix(app, seeded)
    print(f"\n{count}")
    assert count.principals == len(USERS) + 1
    assert count.credentials == 2 * len(USERS) + 1
    assert count.routes >= 10
    assert count.checks == count.requests * len(seeded.records)


async def test_a_leaking_list_is_caught(app: FastAPI, seeded: Seeded) -> None:
    """The matrix finds a route that forgets the viewer (here: lists what the chair sees)."""

    @app.get("/api/careless")
    def careless(request: Request) -> list[str]:
        page = request.app.state.store.query_events(viewer=SYSTEM)
        return [event.evidence.text for event in page.items]

    with pytest.raises(AssertionError, match=r"public: GET /api/careless .* shows"):
        await run_matrix(app, seeded)


async def test_a_detail_telling_hidden_from_missing_is_caught(app: FastAPI, seeded: Seeded) -> None:
    """A 403 for a record that exists but is hidden tells that it exists: caught."""

    @app.get("/api/telling/{event_id}")
    def telling(request: Request, event_id: int) -> dict[str, int]:
        store = request.app.state.store
        store.get_event(event_id, viewer=SYSTEM)  # a missing one: 404
        try:
            store.get_event(event_id, viewer=request_viewer(request))
        except NotFoundError:
            raise HTTPException(403, "not yours") from None
        return {"id": event_id}

    with pytest.raises(AssertionError, match=r"public: GET /api/telling/\{event_id\} Record"):
        await run_matrix(app, seeded)


def _with_id(missing_text: str, record_id: int) -> str:
    return missing_text.replace(str(MISSING_ID), str(record_id))


def test_markers_are_distinct_words() -> None:
    """No marker is part of another (a leak of one cannot pass for another's presence)."""
    words = [
        marker(family, level, owner)
        for family in (RECORDS, FILES, CASES, VERDICTS)
        for level, owner in ACCESS_LEVELS
    ]
    words += [search_word(level, owner) for level, owner in ACCESS_LEVELS]
    for word in words:
        assert re.fullmatch(r"[A-Za-z]+", word)
        assert [other for other in words if word.lower() in other.lower()] == [word]


def test_an_unregistered_parameter_fails_the_matrix(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'x.db'}")

    @app.get("/api/evidence/{evidence_id}/copies/{copy_id}")
    def copy(evidence_id: int, copy_id: int) -> dict[str, int]:
        return {"copy": copy_id}

    with pytest.raises(AssertionError, match="copy_id is not registered in PARAMETER_KINDS"):
        read_routes(app)


def test_a_new_mount_fails_the_matrix(tmp_path: Path) -> None:
    from fastapi.staticfiles import StaticFiles

    app = create_app(f"sqlite:///{tmp_path / 'x.db'}")
    app.mount("/exports", StaticFiles(directory=tmp_path), name="exports")
    with pytest.raises(AssertionError, match="/exports is a mounted app"):
        read_routes(app)


def test_the_registry_covers_the_routes_of_today(tmp_path: Path) -> None:
    routes, skipped = read_routes(create_app(f"sqlite:///{tmp_path / 'x.db'}"))
    assert skipped == SKIPPED_PATHS
    assert {
        "/",
        "/login",
        "/api/events",
        "/api/events/{event_id}",
        "/events/{event_id}",
        "/api/incidents",
        "/api/incidents/{incident_id}",
        "/api/cases",
        "/api/cases/{case_id}",
        "/api/delegations",
        "/api/delegations/{delegation_id}",
        "/api/meetings",
        "/api/meetings.ics",
        "/api/meetings/{meeting_id}",
        "/api/meetings/{meeting_id}.ics",
        "/api/meetings/{meeting_id}/draft-agenda",
        "/api/statements",
        "/api/statements/{statement_id}",
        "/api/statements/{statement_id}/verification",
        "/api/violations/counts",
        "/api/violations/incidents",
        "/api/agreement/clauses",
        "/api/proposals",
        "/api/proposals/{proposal_id}",
        "/api/commitments",
        "/api/commitments/{commitment_id}",
        "/api/committee/dashboard",
        "/api/disarmament/plan",
        "/api/disarmament/figures",
        "/api/disarmament/sites",
        "/api/disarmament/sites/{site_id}",
        "/api/disarmament/positions",
        "/api/disarmament/positions/{position_id}",
        "/api/economic-zone",
        "/api/economic-zone.geojson",
        "/api/economic-zone/activity",
        "/api/economic-zone/projects",
        "/api/economic-zone/projects/{project_id}",
        "/incidents",
        "/incidents/{incident_id}",
        "/cases",
        "/cases/{case_id}",
        "/violations",
        "/violations/incidents",
        "/committee",
        "/delegations",
        "/meetings",
        "/meetings/{meeting_id}",
        "/meetings/{meeting_id}/agenda/draft",
        "/statements",
        "/statements/{statement_id}",
        "/proposals",
        "/proposals/{proposal_id}",
        "/commitments",
        "/commitments/{commitment_id}",
        "/disarmament",
        "/disarmament/sites/{site_id}",
        "/economic-zone",
    } <= {route.path for route in routes}
