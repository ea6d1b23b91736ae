"""truce's benchmarks: one command, figures printed next to baselines measured in the same run.

    ./scripts/bench                       # 1,000,000 events, 2,000 articles
    ./scripts/bench --events 100000       # quicker

1. Ingest throughput (documents/s): `ingest_paths` (store + extraction) and the store alone,
   next to plain `sqlite3` inserts of the same documents.
2. `/api/events` latency (p50/p95 over real HTTP to uvicorn) with SQLite holding N synthetic
   events (70% public, 20% committee, 10% restricted to one party or the other), for three
   viewers: the public (no credentials), a delegate and the chair (bearer tokens), next to
   the same query in raw SQL through `sqlite3` with the same visibility condition: the
   count, then the page in the store's shape (the page's ids from the indexes, then those
   rows with their documents). The ratio is what truce's layers (authentication, the access
   condition's SQL, SQLAlchemy, pydantic, FastAPI, JSON, HTTP) add.

The machines are noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from bench.synthetic import PLACES, articles, events_for
from truce.api import create_app
from truce.core import Classification, Document, NotFoundError, Principal, Role
from truce.core.access import Scope
from truce.ingest import ingest_paths
from truce.security import add_user, create_token, get_user
from truce.store import Store
from truce.store.engine import CACHE_KIB

SYSTEM = Principal.local_system("bench")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_ingest(workdir: Path, count: int) -> None:
    docs = list(articles(count))
    jsonl = workdir / "articles.jsonl"
    jsonl.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")

    def baseline() -> None:
        conn = sqlite3.connect(workdir / "baseline.db")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, doc_id TEXT, text TEXT)")
        with conn:
            conn.executemany(
                "INSERT INTO documents (doc_id, text) VALUES (?, ?)",
                ((d["id"], d["text"]) for d in docs),
            )
        conn.close()

    def store_only() -> None:
        with (
            Store.open(f"sqlite:///{workdir / 'store.db'}") as store,
            store.transaction(by=SYSTEM) as b,
        ):
            for d in docs:
                b.add_document(Document.model_validate(d))

    def full() -> None:
        with Store.open(f"sqlite:///{workdir / 'full.db'}") as store:
            ingest_paths(store, [jsonl], by=SYSTEM)

    base_s, store_s, full_s = timed(baseline), timed(store_only), timed(full)
    print(f"\n## ingest: {count} synthetic articles of ~3.5 KB, SQLite")
    print(f"  baseline plain sqlite3 inserts   {count / base_s:10.0f} docs/s")
    print(
        f"  truce store only (hash, dedupe)  {count / store_s:10.0f} docs/s"
        f"   ({base_s / store_s:.3f}x baseline)"
    )
    print(
        f"  truce ingest (store + extract)   {count / full_s:10.1f} docs/s"
        f"   ({base_s / full_s:.4f}x baseline)"
    )


def stored_events(url: str) -> int:
    with Store.open(url) as store:
        return store.count_events(viewer=SYSTEM)


def load_events(url: str, total: int, per_doc: int = 100) -> None:
    rng = random.Random(11)
    with Store.open(url) as store:
        done = 0
        while done < total:
            with store.transaction(by=SYSTEM) as batch:
                for _ in range(100):
                    if done >= total:
                        break
                    n = min(per_doc, total - done)
                    document = Document(id=f"bench-doc-{done}", text=f"bench document {done}")
                    level, party = CLASSIFICATION_MIX[(done // per_doc) % len(CLASSIFICATION_MIX)]
                    pk, _ = batch.add_document(document, classification=level, owner_party=party)
                    batch.add_events(pk, events_for(document, n, rng))
                    done += n
            print(f"\r  loading events: {done:,}/{total:,}", end="", file=sys.stderr)
    print(file=sys.stderr)


#: documents' (classification, owner party) in turn: 14 public, 4 committee, 1 + 1 restricted
CLASSIFICATION_MIX: list[tuple[Classification, str | None]] = [
    *[(Classification.PUBLIC, None)] * 14,
    *[(Classification.COMMITTEE, None)] * 4,
    (Classification.RESTRICTED, "israel"),
    (Classification.RESTRICTED, "lebanon"),
]

#: each viewer: the role of its user (None: no credentials) and what it sees, in raw SQL
VIEWERS: list[tuple[str, Role | None, str | None, str]] = [
    ("public", None, None, "e.classification = 'public'"),
    (
        "delegate",
        Role.DELEGATE,
        "lebanon",
        "(e.classification IN ('public', 'committee') OR "
        "(e.classification = 'restricted' AND e.owner_party = 'lebanon'))",
    ),
    ("chair", Role.CHAIR, None, "1=1"),
]


def viewer_tokens(url: str) -> dict[str, str]:
    """A bearer token per signed-in viewer, for users made once per database."""
    tokens: dict[str, str] = {}
    with Store.open(url) as store:
        for name, role, party, _ in VIEWERS:
            if role is None:
                continue
            username = f"bench-{name}"
            try:
                get_user(store, username)
            except NotFoundError:
                add_user(
                    store,
                    username=username,
                    role=role,
                    party=party,
                    password="a long bench password",
                    by=SYSTEM,
                )
            issued = create_token(
                store,
                username,
                name="bench",
                scopes=frozenset({Scope.READ}),
                expires_in=dt.timedelta(days=1),
                by=SYSTEM,
            )
            tokens[name] = issued.secret
    return tokens


# Each query shape: API params, and the same filter in raw SQL (WHERE clause, params).
def query_shapes(rng: random.Random) -> list[tuple[str, dict[str, str], str, list[Any]]]:
    _, lat, lon = rng.choice(PLACES)
    year = rng.choice(["2025", "2026"])
    month = f"{rng.randrange(1, 12):02d}"
    return [
        ("newest page", {}, "1=1", []),
        (
            "one month, one type",
            {
                "start": f"{year}-{month}-01",
                "end": f"{year}-{month}-28",
                "event_type": "Battles",
            },
            "e.event_date BETWEEN ? AND ? AND e.event_type = ?",
            [f"{year}-{month}-01", f"{year}-{month}-28", "Battles"],
        ),
        (
            "bounding box",
            {"bbox": f"{lon - 0.05},{lat - 0.05},{lon + 0.05},{lat + 0.05}"},
            "e.longitude BETWEEN ? AND ? AND e.latitude BETWEEN ? AND ?",
            [lon - 0.05, lon + 0.05, lat - 0.05, lat + 0.05],
        ),
        ("country", {"country": "IL"}, "e.country = ?", ["IL"]),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def bench_api(workdir: Path, total: int, repeats: int) -> None:
    path = workdir / "events.db"
    url = f"sqlite:///{path}"
    reused = path.exists() and stored_events(url) == total  # a --workdir kept from a run
    load_s = 0.0 if reused else timed(lambda: load_events(url, total))
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    raw = sqlite3.connect(path)
    # the page cache and temp store the store's own connections use, so only the layers differ
    raw.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    raw.execute("PRAGMA temp_store=MEMORY")
    loaded = "reused from --workdir" if reused else f"loaded in {load_s:.0f} s"
    tokens = viewer_tokens(url)
    print(f"\n## /api/events over {total:,} events in SQLite ({loaded})")
    print(
        f"  {'query':22s} {'viewer':9s} {'api p50':>9s} {'api p95':>9s} {'sql p50':>9s}"
        f" {'sql p95':>9s}  ratio"
    )
    rng = random.Random(5)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            names = [shape[0] for shape in query_shapes(rng)]
            cases = [(index, viewer) for index in range(len(names)) for viewer in VIEWERS]
            for index, (viewer, _, _, visible) in cases:
                name = names[index]
                headers = {"Authorization": f"Bearer {tokens[viewer]}"} if viewer in tokens else {}
                api_ms: list[float] = []
                sql_ms: list[float] = []
                for _ in range(repeats):
                    _, params, where, args = query_shapes(rng)[index]
                    where = f"({where}) AND {visible}"
                    start = time.perf_counter()
                    response = client.get(
                        "/api/events", params={**params, "limit": "100"}, headers=headers
                    )
                    api_ms.append((time.perf_counter() - start) * 1000)
                    response.raise_for_status()
                    start = time.perf_counter()
                    raw.execute(f"SELECT count(*) FROM events e WHERE {where}", args).fetchone()
                    # the store's shape: the page's ids from the indexes, then those rows
                    raw.execute(
                        "SELECT e.*, d.title, d.source, d.url, d.published FROM events e "
                        "JOIN documents d ON d.id = e.document_pk WHERE e.id IN ("
                        f"SELECT e.id FROM events e WHERE {where} "
                        "ORDER BY e.event_date DESC, e.id DESC LIMIT 100) "
                        "ORDER BY e.event_date DESC, e.id DESC",
                        args,
                    ).fetchall()
                    sql_ms.append((time.perf_counter() - start) * 1000)
                a50, a95 = percentile(api_ms, 50), percentile(api_ms, 95)
                s50, s95 = percentile(sql_ms, 50), percentile(sql_ms, 95)
                print(
                    f"  {name:22s} {viewer:9s} {a50:8.1f}ms {a95:8.1f}ms {s50:8.1f}ms"
                    f" {s95:8.1f}ms  {a50 / s50:5.2f}x"
                )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        raw.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--docs", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=30, help="requests per query shape")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the databases here (default: temp); a kept event database is reused",
    )
    parser.add_argument("--skip-ingest", action="store_true", help="only the API benchmark")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="truce-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        if not args.skip_ingest:
            bench_ingest(workdir, args.docs)
        bench_api(workdir, args.events, args.repeats)
    print(f"\npeak resident memory of the benchmark process: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
