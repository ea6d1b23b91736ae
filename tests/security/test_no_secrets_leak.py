"""No secret (password, its hash, a token, a session secret) reaches the audit log, a log
record, an error message or a repr, through every write and failure there is."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from security_sample import PASSWORD, audit_entries

from builders import SYSTEM
from truce.core.access import Role, Scope
from truce.core.errors import TruceError
from truce.security import (
    LoginLimiter,
    add_user,
    authenticate,
    create_token,
    disable_user,
    end_session,
    list_tokens,
    list_users,
    principal_for_token,
    revoke_token,
    session_for,
    start_session,
)
from truce.store import Store
from truce.store.schema import users


def test_no_secret_in_audit_logs_errors_or_reprs(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    shown: list[str] = []  # every repr and error message of the run
    errors: list[TruceError] = []

    def expect_error(call: Callable[[], object]) -> None:
        try:
            call()
        except TruceError as error:
            errors.append(error)
        else:
            raise AssertionError("expected a refusal")

    limiter = LoginLimiter(max_failures=2)
    user = add_user(store, username="dana", role=Role.CHAIR, password=PASSWORD, by=SYSTEM)
    shown.append(repr(user))
    expect_error(lambda: add_user(store, username="dana", role=Role.CHAIR, password=PASSWORD,
                                  by=SYSTEM))  # fmt: skip
    expect_error(lambda: add_user(store, username="eve", role=Role.CHAIR, password="short pw",
                                  by=SYSTEM))  # fmt: skip
    shown.append(repr(authenticate(store, "dana", PASSWORD, limiter=limiter, address="10.0.0.1")))
    wrong = PASSWORD + " but wrong"
    for _ in range(3):  # the third is rate-limited
        expect_error(lambda: authenticate(store, "dana", wrong, limiter=limiter, address="x"))
    # a password typed into the username field must not be logged either
    expect_error(lambda: authenticate(store, wrong, wrong, limiter=LoginLimiter(), address="y"))
    token = create_token(
        store,
        "dana",
        name="ci",
        scopes=frozenset({Scope.READ}),
        expires_in=dt.timedelta(days=1),
        by=SYSTEM,
    )
    shown += [repr(token), repr(token.info), repr(principal_for_token(store, token.secret))]
    shown.append(repr(list_tokens(store, by=SYSTEM)))
    session = start_session(store, user)
    active = session_for(store, session.secret)
    shown += [repr(session), repr(active)]
    end_session(store, session.secret)
    expect_error(lambda: session_for(store, session.secret))
    other = start_session(store, user)
    revoke_token(store, token.info.id, by=SYSTEM)
    expect_error(lambda: principal_for_token(store, token.secret))
    disable_user(store, "dana", by=SYSTEM)
    expect_error(lambda: session_for(store, other.secret))
    shown.append(repr(list_users(store, by=SYSTEM)))
    shown += [str(error) for error in errors] + [repr(error) for error in errors]

    with store.reading("test") as connection:
        password_hash = connection.execute(sa.select(users.c.password_hash)).scalar_one()
    secrets = [
        PASSWORD,
        wrong,
        password_hash,
        token.secret,
        token.secret[12:],  # all of the token but the prefix lists show
        session.secret,
        other.secret,
        session.csrf_token,
    ]
    entries = audit_entries(store)
    assert {e.action for e in entries} >= {
        "user.add",
        "token.create",
        "token.revoke",
        "session.start",
        "session.end",
        "user.disable",
    }
    audit_text = [str(dataclasses.asdict(entry)) for entry in entries]
    log_text = [record.getMessage() for record in caplog.records]
    assert log_text, "the run should have logged its log-ins and changes"
    assert any("failed log-in" in line for line in log_text)
    for secret in secrets:
        for text in audit_text + log_text + shown:
            assert secret not in text
