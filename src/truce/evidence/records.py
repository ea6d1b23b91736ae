"""What the evidence functions give back: records with their custody and copies (as the
store reads them), and the report of a vault check."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from truce.core.errors import IntegrityError
from truce.store.evidence import CustodyEntry, EvidenceRecord, WorkingCopy

__all__ = [
    "CustodyAction",
    "CustodyEntry",
    "EvidenceRecord",
    "ProblemKind",
    "VaultProblem",
    "VaultReport",
    "WorkingCopy",
]


class CustodyAction(StrEnum):
    """What a custody entry records."""

    RECEIVED = "received"  # the file came in, from someone, to someone
    HANDOVER = "handover"  # it passed from one custodian to another
    COPIED = "copied"  # a working copy was made, for a stated purpose
    EXPORTED = "exported"  # the original's bytes were written out of the vault
    VERIFIED = "verified"  # the original was re-hashed and found unchanged


class ProblemKind(StrEnum):
    MISSING = "missing"  # the original is not in the vault
    ALTERED = "altered"  # its bytes no longer have the hash they were stored with
    WRITABLE = "writable"  # intact, but no longer write-protected


@dataclass(frozen=True)
class VaultProblem:
    evidence_id: int
    original_name: str
    kind: ProblemKind
    message: str  # names the evidence, its file and what is wrong


@dataclass(frozen=True)
class VaultReport:
    """The result of re-hashing every original: how many were checked, what was wrong."""

    checked: int
    problems: tuple[VaultProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def check(self) -> None:
        """Raise IntegrityError naming every problem, if there is any."""
        if self.problems:
            raise IntegrityError("; ".join(problem.message for problem in self.problems))
