"""`truce audit verify|checkpoint|keygen|log` and `truce classify`, as an operator runs them."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import truce.cli.audit
import truce.cli.classify  # noqa: F401  (each registers its commands)
from builders import event, write
from truce.cli.app import app, command_principal
from truce.core.access import Classification
from truce.core.models import Document
from truce.store import Store
from truce.store.schema import audit_log

runner = CliRunner()
WIDE = {"COLUMNS": "200"}  # rich tables on one line per row

REPORT = Document(
    id="kfar-kila-1",
    text="Israeli artillery shelled Kfar Kila on 6 December 2024. Nobody was hurt.",
)


@pytest.fixture
def db(store_url: str) -> str:
    """A database with one document and its event (2 audit entries)."""
    with Store.open(store_url) as store:
        write(
            store,
            {
                REPORT: [
                    event(
                        REPORT,
                        "Israeli artillery shelled Kfar Kila on 6 December 2024.",
                        plover="ASSAULT",
                    )
                ]
            },
            classification=Classification.COMMITTEE,
        )
    return store_url


def _keygen(tmp_path: Path) -> Path:
    key = tmp_path / "mechanism.pem"
    result = runner.invoke(app, ["audit", "keygen", "--out", str(key)])
    assert result.exit_code == 0, result.output
    return key


def test_keygen_makes_a_key_pair_and_never_overwrites(tmp_path: Path) -> None:
    key = tmp_path / "mechanism.pem"
    result = runner.invoke(app, ["audit", "keygen", "--out", str(key)])
    assert result.exit_code == 0, result.output
    public = tmp_path / "mechanism.pub.pem"
    assert result.stdout.splitlines() == [
        f"private key: {key} (readable by you alone; keep it secret)",
        f"public key:  {public} (give it to whoever verifies checkpoints)",
    ]
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    again = runner.invoke(app, ["audit", "keygen", "--out", str(key)])
    assert again.exit_code == 2
    assert again.stderr == f"truce: {key}: already exists; a key is never overwritten\n"


def test_verify_an_intact_log(db: str) -> None:
    result = runner.invoke(app, ["audit", "verify", "--db", db])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"audit log intact: 2 entries, head 2 [0-9a-f]{12}…\n", result.stdout)


def test_checkpoint_then_verify_against_it(db: str, tmp_path: Path) -> None:
    key = _keygen(tmp_path)
    out = tmp_path / "2024-12-07.json"
    result = runner.invoke(
        app, ["audit", "checkpoint", "--key", str(key), "--out", str(out), "--db", db]
    )
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        rf"checkpoint of entry 2 \([0-9a-f]{{12}}…, 2 entries\) signed into {re.escape(str(out))}"
        r"; keep it outside the database\n",
        result.stdout,
    )
    verified = runner.invoke(
        app,
        [
            "audit",
            "verify",
            "--checkpoint",
            str(out),
            "--public-key",
            str(tmp_path / "mechanism.pub.pem"),
            "--db",
            db,
        ],
    )
    assert verified.exit_code == 0, verified.output
    # the checkpoint's own entry (3) follows the head it signed (2)
    assert re.fullmatch(
        r"audit log intact: 3 entries, head 3 [0-9a-f]{12}…; 1 checkpoint holds\n", verified.stdout
    )
    again = runner.invoke(
        app, ["audit", "checkpoint", "--key", str(key), "--out", str(out), "--db", db]
    )
    assert again.exit_code == 2
    assert "already exists; a checkpoint is never overwritten" in again.stderr


def test_verify_names_the_first_bad_entry_and_exits_1(db: str, tmp_path: Path) -> None:
    engine = sa.create_engine(db)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.update(audit_log).where(audit_log.c.seq == 1).values(actor="system:mallory")
            )
    finally:
        engine.dispose()
    result = runner.invoke(app, ["audit", "verify", "--db", db])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "truce: audit log broken at entry 1 (changed): "
        "entry 1 was changed: its hash does not match its content\n"
    )
    key = _keygen(tmp_path)
    refused = runner.invoke(
        app,
        ["audit", "checkpoint", "--key", str(key), "--out", str(tmp_path / "c.json"), "--db", db],
    )
    assert refused.exit_code == 1
    assert "not signing a broken audit log: entry 1 was changed" in refused.stderr
    assert not (tmp_path / "c.json").exists()


def test_verify_refuses_a_checkpoint_that_is_not_one(db: str, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.json"
    bogus.write_text("{}\n")
    result = runner.invoke(app, ["audit", "verify", "--checkpoint", str(bogus), "--db", db])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"truce: {bogus}: not a truce audit checkpoint")


def test_log_lists_entries_filtered_and_paged(db: str) -> None:
    reclassified = runner.invoke(
        app,
        ["classify", "document", "1", "--classification", "restricted", "--party", "lebanon"],
        env={"TRUCE_DATABASE_URL": db},
    )
    assert reclassified.exit_code == 0, reclassified.output
    result = runner.invoke(app, ["audit", "log", "--db", db], env=WIDE)
    assert result.exit_code == 0, result.output
    for action in ("document.add", "event.add", "document.classify", "event.classify"):
        assert action in result.stdout
    assert "entries 1–4" in result.stdout
    assert '"owner_party": "lebanon"' in result.stdout
    one = runner.invoke(
        app, ["audit", "log", "--entity", "documents", "--id", "1", "--db", db], env=WIDE
    )
    assert one.exit_code == 0, one.output
    assert "document.add" in one.stdout
    assert "document.classify" in one.stdout
    assert "event." not in one.stdout
    page = runner.invoke(app, ["audit", "log", "--limit", "2", "--db", db], env=WIDE)
    assert "entries 1–2; more with --after 2" in page.stdout
    rest = runner.invoke(app, ["audit", "log", "--after", "2", "--db", db], env=WIDE)
    assert "entries 3–4" in rest.stdout
    assert "more with" not in rest.stdout
    none = runner.invoke(app, ["audit", "log", "--after", "4", "--db", db], env=WIDE)
    assert "no entries" in none.stdout
    bad = runner.invoke(app, ["audit", "log", "--limit", "0", "--db", db])
    assert bad.exit_code == 2


def test_classify_reports_what_changed(db: str) -> None:
    result = runner.invoke(
        app,
        ["classify", "document", "1", "--classification", "restricted", "--party", "lebanon"],
        env={"TRUCE_DATABASE_URL": db},
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "document 1: 2 records changed\n"
    with Store.open(db) as store:
        stored = store.get_event(1, viewer=command_principal())
    assert (stored.classification, stored.owner_party) == ("restricted", "lebanon")
    same = runner.invoke(
        app,
        ["classify", "event", "1", "--classification", "restricted", "--party", "lebanon"],
        env={"TRUCE_DATABASE_URL": db},
    )
    assert same.stdout == "event 1: nothing changed (it already was so)\n"


def test_classify_refuses_bad_input(db: str) -> None:
    env = {"TRUCE_DATABASE_URL": db}
    party = runner.invoke(
        app,
        ["classify", "document", "1", "--classification", "restricted", "--party", "atlantis"],
        env=env,
    )
    assert party.exit_code == 2
    assert "unknown party 'atlantis'" in party.stderr
    missing = runner.invoke(app, ["classify", "event", "99", "--classification", "public"], env=env)
    assert missing.exit_code == 1
    assert missing.stderr == "truce: no event with id 99\n"
    opener = runner.invoke(app, ["classify", "event", "1", "--classification", "public"], env=env)
    assert opener.exit_code == 1
    assert "cannot be public while its document is committee" in opener.stderr
    unclassified = runner.invoke(app, ["classify", "event", "1"], env=env)
    assert unclassified.exit_code == 2
    assert "--classification" in unclassified.stderr
