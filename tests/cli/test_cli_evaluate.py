"""`truce evaluate` scoring gold files: in process through Typer, and once as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from truce.cli.main import app  # with every command registered, as `truce` has them

CORPUS = Path(__file__).parents[1] / "data" / "corpus"

GOLD = """\
documents:
- id: g1
  published: 2026-01-14
  text: An Israeli drone struck a car in Khiam on Monday. Talks were held in Naqoura.
  events:
  - {event_type: Explosions/Remote violence, sub_event_type: Air/drone strike,
     date: 2026-01-12, actor1: ISR_MIL, lat: 33.355, lon: 35.613, country: LB}
  - {event_type: Explosions/Remote violence, date: 2026-01-12, optional: true}
  - {modality: asserted, plover: CONSULT, date: 2026-01-14}
"""
EVENTS = [
    {
        "doc_id": "g1",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "modality": "asserted",
        "event_date": "2026-01-12",
        "actor1": "Military Forces of Israel (2022-)",
        "latitude": 33.328,
        "longitude": 35.613,
        "country": "LB",
        "evidence": {"text": "An Israeli drone struck a car in Khiam on Monday."},
    },
    {"doc_id": "g1", "plover": "THREATEN", "modality": "threatened", "event_date": "2026-01-14"},
]


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def truce(*args: str) -> Done:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})
    return Done(result.exit_code, result.stdout, result.stderr)


def truce_process(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "truce.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def files(tmp_path: Path) -> tuple[Path, Path]:
    gold = tmp_path / "gold.yaml"
    gold.write_text(GOLD, encoding="utf-8")
    events = tmp_path / "events.jsonl"
    events.write_text("".join(json.dumps(e) + "\n" for e in EVENTS) + "oops\n", encoding="utf-8")
    return gold, events


def test_json_gives_both_matchings(tmp_path: Path) -> None:
    gold, events = files(tmp_path)
    done = truce("evaluate", str(gold), "--predictions", str(events), "--json")
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    result = json.loads(line)
    assert result["gold"] == str(gold)
    greedy, optimal = result["greedy"], result["optimal"]
    # the optional event without a place takes the prediction under score.py's matching
    assert (greedy["material"]["tp"], greedy["material"]["fn"]) == (0, 1)
    assert (optimal["material"]["tp"], optimal["material"]["fn"]) == (1, 0)
    assert optimal["field_counts"] == {
        "actor1": "1/1",
        "country": "1/1",
        "date_exact": "1/1",
        "has_evidence": "1/1",
        "place_within_5km": "1/1",
        "sub_event_type": "1/1",
    }
    assert greedy["diplomatic"]["fn"] == 1
    assert greedy["threats"]["fp"] == 1
    assert greedy["unparsable_lines"] == 1


def test_several_files_and_a_total(tmp_path: Path) -> None:
    gold, events = files(tmp_path)
    second = tmp_path / "second.yaml"
    second.write_text(GOLD.replace("g1", "g2"), encoding="utf-8")
    done = truce("evaluate", str(gold), str(second), "--predictions", str(events), "--json")
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["gold"] for r in results] == [str(gold), str(second), "total"]
    assert results[2]["optimal"]["material"]["fn"] == 1  # g2 has no predictions
    assert results[2]["greedy"]["documents"] == 2


def test_tables_and_explanations(tmp_path: Path) -> None:
    gold, events = files(tmp_path)
    done = truce("evaluate", str(gold), "--predictions", str(events), "--explain")
    assert done.returncode == 0, done.stderr
    assert "material" in done.stdout
    assert "place_within_5km" in done.stdout
    explained = [line for line in done.stdout.splitlines() if line.startswith("g1 ")]
    assert explained[0].startswith("g1 material MISSED (line 6) {")
    assert explained[1].startswith("g1 diplomatic MISSED (line 9) {")
    assert explained[2].startswith('g1 threats FALSE {"event_type": null')
    optimal = truce("evaluate", str(gold), "--predictions", str(events), "--explain",
                    "--matching", "optimal")  # fmt: skip
    assert "material MISSED" not in optimal.stdout


def test_broken_gold_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.yaml"
    gold.write_text(GOLD.replace("CONSULT", "CONSULTS"), encoding="utf-8")
    done = truce("evaluate", str(gold), "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"truce: {gold}:9: document g1, event 3: plover:")
    assert truce("evaluate", str(tmp_path / "none.yaml")).returncode == 2
    assert truce("evaluate", str(gold), "--matching", "best").returncode == 2


def test_the_default_pipeline_on_the_samples_gold() -> None:
    done = truce_process("evaluate", str(CORPUS / "samples_gold.yaml"), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["greedy"]["documents"] == 25
    assert result["greedy"]["predicted_events"] > 25
    assert result["greedy"]["seconds"] >= 0
