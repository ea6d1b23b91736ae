"""`truce db upgrade` and `truce db current` on a real database."""

from __future__ import annotations

from typer.testing import CliRunner

import truce.cli.db  # noqa: F401  (registers `truce db`)
from truce.cli.app import app
from truce.store import head_revision

runner = CliRunner()


def test_upgrade_then_current(empty_store_url: str) -> None:
    head = head_revision()
    before = runner.invoke(app, ["db", "current", "--db", empty_store_url])
    assert before.exit_code == 0, before.output
    assert f"empty (head is {head}; run `truce db upgrade`)" in before.output

    first = runner.invoke(app, ["db", "upgrade", "--db", empty_store_url])
    assert first.exit_code == 0, first.output
    assert f"upgraded empty -> {head}" in first.output

    second = runner.invoke(app, ["db", "upgrade", "--db", empty_store_url])
    assert f"already at {head}" in second.output

    after = runner.invoke(app, ["db", "current", "--db", empty_store_url])
    assert after.exit_code == 0
    assert f"{head} (head)" in after.output


def test_bad_url_exits_2_with_a_message() -> None:
    result = runner.invoke(app, ["db", "upgrade", "--db", "mysql://root@localhost/truce"])
    assert result.exit_code == 2
    assert "truce: " in result.stderr
    assert "mysql" in result.stderr
