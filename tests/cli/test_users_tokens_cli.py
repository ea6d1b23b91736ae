"""`truce users`, `truce tokens` and `truce events --as` as an operator runs them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from typer.testing import CliRunner, Result

# each command module registers its commands on the app
import truce.cli.events
import truce.cli.tokens
import truce.cli.users
from builders import event, write
from truce.cli.app import app
from truce.core.access import Classification, Role
from truce.core.errors import AuthenticationError
from truce.core.models import Document, Event
from truce.reports import ExportPage
from truce.security import get_user, principal_for_token
from truce.store import Store
from truce.store.audit import iter_audit_entries

PASSWORD = "a perfectly long password"


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin, env={"COLUMNS": "250"})


def _add(db: str, username: str, *options: str) -> Result:
    return run("users", "add", username, *options, "--password-stdin", "--db", db,
               stdin=PASSWORD + "\n")  # fmt: skip


def test_users_add_list_disable(store_url: str) -> None:
    result = _add(store_url, "alice", "--role", "delegate", "--party", "israel", "--track",
                  "military", "--display-name", "Alice A.")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "added user alice (delegate of israel, military track)" in result.stdout
    prompted = run("users", "add", "bob", "--role", "monitor", "--db", store_url,
                   stdin=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert prompted.exit_code == 0, prompted.stderr
    assert PASSWORD not in prompted.stdout
    listed = run("users", "list", "--db", store_url)
    assert listed.exit_code == 0, listed.stderr
    assert re.search(r"alice\s*│\s*Alice A\.\s*│\s*delegate\s*│\s*israel\s*│\s*military",
                     listed.stdout)  # fmt: skip
    assert re.search(r"bob\s*│\s*│\s*monitor", listed.stdout)
    assert "$argon2" not in listed.stdout
    assert "2 users" in listed.stdout
    disabled = run("users", "disable", "bob", "--db", store_url)
    assert disabled.exit_code == 0, disabled.stderr
    assert "disabled user bob" in disabled.stdout
    with Store.open(store_url) as store:
        assert get_user(store, "bob").disabled_at is not None
        assert get_user(store, "alice").disabled_at is None
        with store.reading("test") as connection:
            entries = list(iter_audit_entries(connection))
    assert [e.action for e in entries] == ["user.add", "user.add", "user.disable"]
    assert {e.actor for e in entries} == {truce.cli.app.command_principal().name}


@pytest.mark.parametrize(
    ("options", "stdin", "message"),
    [
        (["--role", "delegate", "--party", "narnia"], PASSWORD, "unknown party 'narnia'"),
        (["--role", "delegate"], PASSWORD, "needs a party"),
        (["--role", "monitor"], "too short", "at least 12"),
    ],
)
def test_users_add_refuses_bad_input(
    store_url: str, options: list[str], stdin: str, message: str
) -> None:
    result = run("users", "add", "carol", *options, "--password-stdin", "--db", store_url,
                 stdin=stdin + "\n")  # fmt: skip
    assert result.exit_code == 2
    assert message in result.stderr
    assert stdin not in result.stderr


def test_a_mistyped_confirmation_is_asked_again(store_url: str) -> None:
    result = run("users", "add", "dave", "--role", "observer", "--db", store_url,
                 stdin=f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "added user dave (observer)" in result.stdout


def test_disabling_an_unknown_user_fails(store_url: str) -> None:
    result = run("users", "disable", "nobody", "--db", store_url)
    assert result.exit_code == 1
    assert "no user 'nobody'" in result.stderr


def test_tokens_create_list_revoke(store_url: str) -> None:
    assert _add(store_url, "alice", "--role", "monitor").exit_code == 0
    created = run("tokens", "create", "alice", "--name", "ingest", "--scope", "read", "--scope",
                  "write", "--expires-days", "30", "--db", store_url)  # fmt: skip
    assert created.exit_code == 0, created.stderr
    secret = created.stdout.strip()
    assert re.fullmatch(r"truce_[A-Za-z0-9_-]{43}", secret)
    assert secret not in created.stderr
    assert "token 1 'ingest' for alice (read write)" in created.stderr
    assert "shown only now" in created.stderr
    with Store.open(store_url) as store:
        principal = principal_for_token(store, secret)
        assert principal.name == "alice"
        assert principal.may_write
        assert principal_for_token(store, secret, now=dt.datetime.now(dt.UTC) + dt.timedelta(
            days=29))  # fmt: skip
        with pytest.raises(AuthenticationError):
            principal_for_token(store, secret, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=31))
    default = run("tokens", "create", "alice", "--name", "reader", "--db", store_url)
    assert "(read)" in default.stderr
    listed = run("tokens", "list", "--user", "alice", "--db", store_url)
    assert listed.exit_code == 0, listed.stderr
    assert secret[:12] in listed.stdout
    assert secret not in listed.stdout
    assert "2 tokens" in listed.stdout
    revoked = run("tokens", "revoke", "1", "--db", store_url)
    assert revoked.exit_code == 0, revoked.stderr
    assert "revoked token 1 'ingest' of alice" in revoked.stdout
    with Store.open(store_url) as store, pytest.raises(AuthenticationError):
        principal_for_token(store, secret)
    assert run("tokens", "revoke", "99", "--db", store_url).exit_code == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["tokens", "create", "nobody", "--name", "x"], 1, "no user 'nobody'"),
        (
            ["tokens", "create", "alice", "--name", "x", "--expires-days", "400"],
            2,
            "--expires-days",
        ),
        (["tokens", "create", "alice", "--name", "x", "--scope", "admin"], 2, "admin"),
    ],
)
def test_tokens_create_refuses(store_url: str, args: list[str], code: int, message: str) -> None:
    assert _add(store_url, "alice", "--role", "monitor").exit_code == 0
    result = run(*args, "--db", store_url)
    assert result.exit_code == code
    assert message in result.stderr
    assert result.stdout == ""


TEXT = (
    "Shelling hit Kfar Kila on 6 December 2024. "
    "Troops crossed near Metula on 7 December 2024. "
    "A drone struck Khiam on 8 December 2024. "
    "Rockets fell on Kiryat Shmona on 9 December 2024."
)


def _document(n: int, sentence: str, day: int) -> tuple[Document, list[Event]]:
    document = Document(id=f"as-{n}", text=TEXT + f" ({n})")
    found = event(
        document,
        sentence,
        event_type="Explosions/Remote violence",
        event_date=dt.date(2024, 12, day),
    )
    return document, [found]


def test_events_as_a_user_shows_what_that_user_may_see(store_url: str) -> None:
    documents = {
        "public": (_document(1, "Shelling hit Kfar Kila on 6 December 2024.", 6),
                   Classification.PUBLIC, None),
        "committee": (_document(2, "Troops crossed near Metula on 7 December 2024.", 7),
                      Classification.COMMITTEE, None),
        "israel": (_document(3, "A drone struck Khiam on 8 December 2024.", 8),
                   Classification.RESTRICTED, "israel"),
        "lebanon": (_document(4, "Rockets fell on Kiryat Shmona on 9 December 2024.", 9),
                    Classification.RESTRICTED, "lebanon"),
    }  # fmt: skip
    with Store.open(store_url) as store:
        for (document, events), classification, party in documents.values():
            write(store, {document: events}, classification=classification, owner_party=party)
    assert _add(store_url, "israeli", "--role", "delegate", "--party", "israel").exit_code == 0
    assert _add(store_url, "watcher", "--role", "observer").exit_code == 0

    def dates(*options: str) -> set[int]:
        result = run("events", "--format", "json", "--db", store_url, *options)
        assert result.exit_code == 0, result.stderr
        page = ExportPage.model_validate_json(result.stdout)
        return {item.event_date.day for item in page.items if item.event_date}

    assert dates() == {6, 7, 8, 9}  # the operator sees everything
    assert dates("--as", "israeli") == {6, 7, 8}
    assert dates("--as", "watcher") == {6, 7}
    unknown = run("events", "--as", "nobody", "--db", store_url)
    assert unknown.exit_code == 1
    assert "no user 'nobody'" in unknown.stderr
    assert Role.DELEGATE.value == "delegate"
