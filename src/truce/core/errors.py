"""The one exception tree of truce.

Library code raises only these; the edges (CLI, API) translate them into exit codes and
HTTP statuses, and nothing else does::

    TruceError                      anything truce itself reports
    ├── ConfigError                 bad settings: database URL, missing front-end assets
    ├── InputError                  input that cannot be used; names the input and line
    │   ├── DocumentError           one document is unusable (empty, binary, bad encoding)
    │   └── FormatError             a file's format is broken or unknown
    ├── VocabularyError             a value outside ACLED / PLOVER / the contract's codes
    ├── TheatreError                a theatre pack is missing or invalid
    ├── ExtractError                the extraction pipeline is misconfigured
    ├── ConflictError               the record's state does not allow it now: a case
    │                               transition that is not valid from its state, an
    │                               incident action already undone or overtaken
    ├── StoreError                  the database refused or failed
    │   ├── MigrationError          the schema is not at the version this code needs
    │   └── NotFoundError           a record asked for by id does not exist (or the
    │                               asker may not see it: the two look the same)
    └── SecurityError               who may do what, and proof of what was done
        ├── AuthenticationError     unknown user, wrong password, expired or revoked
        │   │                       session or token
        │   └── RateLimitedError    too many failed log-ins; try again later
        ├── PermissionDeniedError   signed in, but the role, party or token scope does
        │                           not allow it (a failed CSRF check too)
        └── IntegrityError          stored history or evidence does not match its hashes
                                    or signatures
"""

from __future__ import annotations


class TruceError(Exception):
    """Base of every error truce raises on purpose."""


class ConflictError(TruceError):
    """The request is well formed but the record's current state does not allow it."""


class ConfigError(TruceError):
    """Settings are missing or contradictory."""


class InputError(TruceError):
    """Input that cannot be used. Carries where it came from so messages can name it."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class DocumentError(InputError):
    """One document is unusable; the others of the same run still go through."""


class FormatError(InputError):
    """A file's format is broken or not one truce reads."""


class VocabularyError(TruceError, ValueError):
    """A code outside the controlled vocabularies (ACLED, PLOVER, the contract's enums)."""


class TheatreError(TruceError):
    """A theatre pack cannot be found or does not validate."""


class ExtractError(TruceError):
    """The extraction pipeline is misconfigured (unknown component, unmet requirement)."""


class StoreError(TruceError):
    """The database refused an operation or is unreachable."""


class MigrationError(StoreError):
    """The database schema is not at the revision this version of truce needs."""


class NotFoundError(StoreError):
    """A record asked for by its id does not exist."""


class SecurityError(TruceError):
    """Who may do what, and the proof of what was done."""


class AuthenticationError(SecurityError):
    """The caller could not be identified: wrong credentials, expired or revoked."""


class RateLimitedError(AuthenticationError):
    """Too many failed log-ins for this user or address; `retry_after` seconds to wait."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class PermissionDeniedError(SecurityError):
    """The caller is known but may not do this."""


class IntegrityError(SecurityError):
    """Stored history or evidence no longer matches its hashes or signatures."""
