"""truce.evidence: evidence files (photos, PDFs, videos, audio) kept by SHA-256 with a chain
of custody, following the preservation rules of the Berkeley Protocol on Digital Open Source
Investigations (OHCHR and UC Berkeley, 2022):

- **hash at acquisition**: a file is hashed (SHA-256) as it arrives, before anything else is
  done with it, and stored under that hash; the hash is the file's identity from then on;
- **the original preserved unaltered and write-protected**: originals are written once,
  read-only, never replaced (the same bytes received again are not written again);
- **all analysis on copies**: working copies live apart from the originals, each made for a
  stated purpose and recorded;
- **every transfer and access logged, with who, when and why**: a custody entry for each
  receipt, hand-over, copy and export (from whom, to whom, when, recorded by whom, a note),
  and an entry in the hash-chained audit log for every row written;
- **periodic integrity verification**: hand-overs, copies and exports re-hash the original
  first and refuse a changed one; `verify_vault` re-hashes every original (run it on a
  schedule: `truce evidence verify`) and records each that is intact.

Files are accepted by the type their bytes show (never their name or a client's say),
within a size limit, and are records like any other: an owner party and a classification
decide who sees them (truce.core.access).
"""

from truce.evidence.custody import (
    add_evidence,
    add_received_evidence,
    check_may_add,
    export_original,
    get_evidence,
    list_evidence,
    make_working_copy,
    record_handover,
    verify_vault,
)
from truce.evidence.records import (
    CustodyAction,
    CustodyEntry,
    EvidenceRecord,
    ProblemKind,
    VaultProblem,
    VaultReport,
    WorkingCopy,
)
from truce.evidence.vault import (
    ACCEPTED_MEDIA_TYPES,
    MAX_EVIDENCE_MB,
    EvidenceVault,
    IncomingFile,
    ReceivedFile,
    safe_name,
)

__all__ = [
    "ACCEPTED_MEDIA_TYPES",
    "MAX_EVIDENCE_MB",
    "CustodyAction",
    "CustodyEntry",
    "EvidenceRecord",
    "EvidenceVault",
    "IncomingFile",
    "ProblemKind",
    "ReceivedFile",
    "VaultProblem",
    "VaultReport",
    "WorkingCopy",
    "add_evidence",
    "add_received_evidence",
    "check_may_add",
    "export_original",
    "get_evidence",
    "list_evidence",
    "make_working_copy",
    "record_handover",
    "safe_name",
    "verify_vault",
]
