"""Entry point of the `truce` command: imports each command module so it registers."""

from __future__ import annotations

from truce.cli import (  # noqa: F401  (each module registers its commands)
    audit,
    cases,
    classify,
    commitments,
    committee,
    db,
    delegations,
    disarmament,
    economic_zone,
    evaluate,
    events,
    evidence,
    extract,
    incidents,
    ingest,
    meetings,
    places,
    proposals,
    publish,
    serve,
    statements,
    theatre,
    tokens,
    users,
    violations,
    zones,
)
from truce.cli.app import app


def main() -> None:
    app()


if __name__ == "__main__":
    main()
