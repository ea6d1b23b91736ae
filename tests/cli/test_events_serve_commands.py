"""`truce events` and `truce serve` as a user runs them, on a real store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

import truce.cli.events
import truce.cli.serve  # noqa: F401  (registers `serve` beside `events`)
from builders import event, populate
from truce.cli.app import app
from truce.core.models import Document, Event
from truce.reports import CSV_FIELDS, ExportPage
from truce.store import Store

TEXT = (
    "Israeli artillery shelled Kfar Kila on 6 December 2024. "
    "A rocket hit [bold]Metula[/bold] on 7 December 2024."
)
DOCUMENT = Document(id="cli-1", text=TEXT)

# Runs the two commands of this file without the rest of the CLI (`python -m truce.cli.main`
# would do the same once every command module is in place).
LAUNCH = "import truce.cli.events, truce.cli.serve; from truce.cli.app import app; app()"


def _shelling(sentence: str, **fields: object) -> Event:
    return event(
        DOCUMENT,
        sentence,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        **fields,
    )


@pytest.fixture
def db(store_url: str) -> str:
    shellings = [
        _shelling(
            "Israeli artillery shelled Kfar Kila on 6 December 2024.",
            event_date=dt.date(2024, 12, 6),
            location="Kfar Kila",
            country="LB",
            latitude=33.2833,
            longitude=35.5667,
        ),
        _shelling(
            "A rocket hit [bold]Metula[/bold] on 7 December 2024.",
            event_date=dt.date(2024, 12, 7),
            location="Metula",
            country="IL",
        ),
    ]
    populate(store_url, {DOCUMENT: shellings})
    return store_url


def run(*args: str) -> tuple[int, str, str]:
    # wide enough that rich does not fold the evidence column
    result = CliRunner().invoke(app, ["events", *args], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def test_table_lists_events_newest_first(db: str) -> None:
    code, out, _ = run("--db", db)
    assert code == 0
    assert out.index("Metula") < out.index("Kfar Kila")
    assert "[bold]Metula[/bold]" in out  # stored text is never read as rich markup
    assert "events 1–2 of 2" in out


def test_csv_json_and_geojson_exports(db: str) -> None:
    code, out, _ = run("--db", db, "--format", "csv", "--country", "IL")
    assert code == 0
    reader = csv.DictReader(io.StringIO(out))
    assert tuple(reader.fieldnames or ()) == CSV_FIELDS
    assert [row["location"] for row in reader] == ["Metula"]

    code, out, _ = run("--db", db, "--format", "json", "--limit", "1")
    assert code == 0
    page = ExportPage.model_validate_json(out)
    assert (page.total, len(page.items), page.items[0].location) == (2, 1, "Metula")

    code, out, _ = run("--db", db, "--format", "geojson", "--bbox", "35.5,33.2,35.6,33.3")
    assert code == 0
    collection = json.loads(out)
    assert collection["type"] == "FeatureCollection"
    assert [f["geometry"]["coordinates"] for f in collection["features"]] == [[35.5667, 33.2833]]


def test_bad_filters_fail_with_a_message(db: str) -> None:
    code, out, err = run("--db", db, "--bbox", "35,33")
    assert (code, out) == (2, "")
    assert "bbox" in err
    code, out, err = run("--db", db, "--event-type", "Skirmish")
    assert code != 0
    assert out == ""
    assert "Skirmish" in err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_answers_until_interrupted(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    Store.open(url).close()
    port = _free_port()
    command = [sys.executable, "-c", LAUNCH, "serve", "--port", str(port), "--db", url]
    log = tmp_path / "serve.log"
    with (
        log.open("wb") as output,
        subprocess.Popen(command, stdout=output, stderr=output) as server,
    ):
        try:
            body = None
            deadline = time.monotonic() + 30
            while body is None and time.monotonic() < deadline and server.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/events") as answer:
                        body = json.load(answer)
                except OSError:
                    time.sleep(0.2)
            assert body is not None, log.read_text()
            assert (body["total"], body["items"]) == (0, [])
        finally:
            server.send_signal(signal.SIGINT)  # as Ctrl-C
            server.wait(timeout=20)
    assert server.returncode == 0, log.read_text()


def test_serve_reports_bad_settings(tmp_path: Path) -> None:
    env = {**os.environ, "TRUCE_NODE_MODULES": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH, "serve", "--db", f"sqlite:///{tmp_path / 'x.db'}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "npm ci" in done.stderr
    assert "Traceback" not in done.stderr
