"""`truce statements` as the committee's people run it, on a real store (SQLite and
PostgreSQL): the chair drafts from a file, Lebanon comments, the chair revises, both
delegations approve, the chair issues and publishes; who may do what holds, and a tampered
text fails `verify`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner, Result

import truce.cli.statements  # noqa: F401  (registers `statements`)
from builders import SYSTEM
from truce.cli.app import app
from truce.committee.delegations import DelegationKind, NewDelegation, add_delegation
from truce.core.access import Role
from truce.security import add_user
from truce.store import Store
from truce.store.committee_schema import statement_versions

DRAFT_1 = "The Mechanism met in Naqoura.\nThe parties agreed to reconvene before the new year.\n"
DRAFT_2 = "The Mechanism met in Naqoura with civilian envoys; they will reconvene in January."
USERS = {
    "chair": (Role.CHAIR, None),
    "observer": (Role.OBSERVER, None),
    "delegate-israel": (Role.DELEGATE, "israel"),
    "delegate-lebanon": (Role.DELEGATE, "lebanon"),
}


def run(url: str, *args: str) -> Result:
    """`truce ARGS... --db URL`, as the operator types it."""
    return CliRunner().invoke(app, [*args, "--db", url], env={"COLUMNS": "250"})


def ok(url: str, *args: str) -> str:
    result = run(url, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def run_json(url: str, *args: str) -> Any:
    return json.loads(ok(url, *args, "--json"))


@pytest.fixture
def db(store_url: str) -> str:
    """Users of the committee, and its delegations (Israel 1, Lebanon 2, the chair's 3)."""
    with Store.open(store_url) as store:
        for username, (role, party) in USERS.items():
            add_user(
                store,
                username=username,
                role=role,
                password=f"{username}-Correct-Horse-7",
                by=SYSTEM,
                party=party,
            )
        for kind, name, party in (
            (DelegationKind.PARTY, "Israel", "israel"),
            (DelegationKind.PARTY, "Lebanon", "lebanon"),
            (DelegationKind.CHAIR, "Chair", None),
        ):
            add_delegation(store, NewDelegation(kind=kind, name=name, party=party), by=SYSTEM)
    return store_url


def test_a_statement_from_draft_to_publication(db: str, tmp_path: Path) -> None:
    text_file = tmp_path / "draft.txt"
    text_file.write_text(DRAFT_1, encoding="utf-8")
    out = ok(db, "statements", "draft", "--title", "Joint statement", "--file", str(text_file),
             "--by", "chair")  # fmt: skip
    assert out.startswith("drafted statement 1, version 1 (sha256 ")
    assert run(db, "statements", "show", "1", "--as", "observer").exit_code == 0

    out = ok(db, "statements", "comment", "1", "--text", "Name the envoys.", "--by",
             "delegate-lebanon")  # fmt: skip
    assert out.strip() == "comment 1 of Lebanon on version 1 of statement 1 (committee)"
    out = ok(db, "statements", "revise", "1", "--text", DRAFT_2, "--note", "envoys named")
    assert out.startswith("statement 1: version 2 (sha256 ")

    refused = run(db, "statements", "issue", "1", "--by", "chair")
    assert refused.exit_code == 1
    assert "version 2 is not approved by Israel, Lebanon" in refused.stderr
    for username in ("delegate-lebanon", "delegate-israel"):
        out = ok(db, "statements", "approve", "1", "--version", "2", "--by", username)
        assert out.strip().endswith(f"approved by {username.split('-')[1].capitalize()}")

    sha = hashlib.sha256(DRAFT_2.encode()).hexdigest()
    assert ok(db, "statements", "issue", "1", "--by", "chair").strip() == (
        f"statement 1: issued version 2, sha256 {sha}"
    )
    assert "published (public)" in ok(db, "statements", "publish", "1", "--by", "chair")

    public = run_json(db, "statements", "list", "--status", "published")
    assert [(item["id"], item["sha256"]) for item in public["items"]] == [(1, sha)]
    shown = run_json(db, "statements", "show", "1", "--as", "observer")
    assert [v["number"] for v in shown["versions"]] == [1, 2]
    assert [c["text"] for c in shown["comments"]] == ["Name the envoys."]
    table = ok(db, "statements", "show", "1")
    assert "Name the envoys." in table
    assert sha in table
    assert ok(db, "statements", "verify", "1").strip() == (
        f"statement 1: intact (versions 1, 2; issued sha256 {sha})"
    )
    late = run(db, "statements", "revise", "1", "--text", "New words")
    assert late.exit_code == 1
    assert "statement 1 is published" in late.stderr


def test_who_may_do_what(db: str) -> None:
    ok(db, "statements", "draft", "--title", "Joint statement", "--text", DRAFT_2)
    other = run(db, "statements", "approve", "1", "--delegation", "2", "--by", "delegate-israel")
    assert other.exit_code == 1
    assert "delegate of israel and may not approve for Lebanon" in other.stderr
    observer = run(db, "statements", "comment", "1", "--text", "A view", "--by", "observer")
    assert observer.exit_code == 1
    assert "may not comment" in observer.stderr
    both = run(db, "statements", "draft", "--title", "T", "--text", "x", "--file", "f.txt")
    assert both.exit_code == 2
    assert "--text or --file" in both.stderr
    # the operator is the chair: it names the delegation whose word it records
    unnamed = run(db, "statements", "approve", "1")
    assert unnamed.exit_code == 2
    assert "delegation_id: name the delegation" in unnamed.stderr
    ok(db, "statements", "approve", "1", "--delegation", "1")
    ok(db, "statements", "comment", "1", "--text", "Private note", "--restricted", "--by",
       "delegate-israel")  # fmt: skip
    lebanon = run_json(db, "statements", "show", "1", "--as", "delegate-lebanon")
    assert lebanon["comments"] == []
    assert lebanon["approved_by"] == ["Israel"]
    assert lebanon["awaiting"] == ["Lebanon"]
    assert lebanon["actions"] == ["comment", "approve"]
    withdrawn = ok(db, "statements", "withdraw-approval", "1", "--by", "delegate-israel")
    assert withdrawn.strip() == "statement 1: Israel withdrew its approval of version 1"
    restricted = run(db, "statements", "draft", "--title", "T", "--text", "x", "--classification",
                     "restricted", "--party", "nowhere")  # fmt: skip
    assert restricted.exit_code == 2
    assert "--party" in restricted.stderr


def test_the_chair_shares_a_restricted_draft(db: str) -> None:
    ok(db, "statements", "draft", "--title", "Lebanese draft", "--text", DRAFT_1,
       "--classification", "restricted", "--party", "lebanon")  # fmt: skip
    assert run(db, "statements", "show", "1", "--as", "delegate-israel").exit_code == 1
    refused = run(db, "statements", "share", "1", "--by", "delegate-lebanon")
    assert refused.exit_code == 1
    assert "may not share statement 1: the chair may" in refused.stderr
    assert ok(db, "statements", "share", "1", "--by", "chair").strip() == (
        "statement 1: shared (committee)"
    )
    israel = run_json(db, "statements", "show", "1", "--as", "delegate-israel")
    assert israel["awaiting"] == ["Israel", "Lebanon"]
    again = run(db, "statements", "share", "1", "--by", "chair")
    assert again.exit_code == 1
    assert "it is shared already" in again.stderr


def test_verify_fails_on_a_tampered_text(db: str) -> None:
    ok(db, "statements", "draft", "--title", "Joint statement", "--text", DRAFT_2)
    with Store.open(db) as store, store.transaction(by=SYSTEM) as batch:
        batch.connection.execute(sa.update(statement_versions).values(text="Other words"))
    result = run(db, "statements", "verify", "1")
    assert result.exit_code == 1
    assert "the stored text of version 1 does not match its SHA-256" in result.stderr
