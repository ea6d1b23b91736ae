"""The evidence folder on disk: originals by SHA-256, working copies apart, incoming files.

Layout under the vault's root (``$TRUCE_EVIDENCE_DIR``, default ``./evidence``)::

    originals/ab/<sha256>                  the bytes as received, read-only (0444), never
                                           written twice nor replaced
    working/<sha256>/<copy id>-<name>      copies made for analysis, which may change
    tmp/                                   files being received, hashed as they arrive

A file is received into ``tmp/`` while it is hashed, counted and its type sniffed from its
first bytes; past the size limit or of a type not accepted it is refused at once and its
partial file removed. A complete file is flushed to disk, then hard-linked into
``originals/`` (atomic, and never over an existing original).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Final, Self

import filetype

from truce.core.errors import ConfigError, InputError

#: where the vault is, and how large one file may be (in MB of 2**20 bytes)
EVIDENCE_DIR_VARIABLE: Final = "TRUCE_EVIDENCE_DIR"
MAX_SIZE_VARIABLE: Final = "TRUCE_MAX_EVIDENCE_MB"
DEFAULT_EVIDENCE_DIR: Final = Path("evidence")
MAX_EVIDENCE_MB: Final = 500
MEGABYTE: Final = 2**20

#: the media types accepted, as `filetype` names them from a file's first bytes
ACCEPTED_MEDIA_TYPES: Final = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/tiff",
        "image/heic",
        "application/pdf",
        "video/mp4",
        "video/quicktime",
        "video/webm",
        "video/x-matroska",
        "video/x-msvideo",
        "audio/mpeg",
        "audio/x-wav",
        "audio/ogg",
        "audio/mp4",
    }
)
#: how many leading bytes `filetype` looks at
SNIFF_BYTES: Final = 8192
#: longest file name kept (in UTF-8 bytes), so "<copy id>-<name>" fits any file system
MAX_NAME_BYTES: Final = 200
CHUNK_BYTES: Final = 1024 * 1024
ORIGINAL_MODE: Final = 0o444
FOLDER_MODE: Final = 0o750


def safe_name(name: str) -> str:
    """The base name kept for a received file: refused if it has path separators or NUL
    characters; invisible and control characters dropped; cut to MAX_NAME_BYTES."""
    if "\x00" in name or "/" in name or "\\" in name:
        raise InputError(
            f"{name!r} is not a plain file name (path separators and NUL are not allowed)",
            source="file name",
        )
    # Control and format characters (C*) include right-to-left overrides that disguise
    # "gpj.exe" as "exe.jpg".
    kept = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    kept = unicodedata.normalize("NFC", kept).strip()
    if kept in {"", ".", ".."}:
        raise InputError(f"{name!r} is not a usable file name", source="file name")
    stem, suffix = os.path.splitext(kept)
    if len(suffix.encode()) > 16:
        stem, suffix = kept, ""
    room = MAX_NAME_BYTES - len(suffix.encode())
    stem = stem.encode()[:room].decode(errors="ignore")
    return stem + suffix


def sniffed_media_type(head: bytes, name: str) -> str:
    """The media type of a file from its first bytes; InputError naming the file and what
    it looks like when the type is not one ACCEPTED_MEDIA_TYPES holds."""
    kind = filetype.guess(bytearray(head))
    detected = None if kind is None else str(kind.mime)
    if detected in ACCEPTED_MEDIA_TYPES:
        assert detected is not None
        return detected
    what = detected or "not a recognised binary format (text, HTML or unknown)"
    raise InputError(
        f"{name} is not accepted as evidence: detected {what}; accepted are photos (JPEG, "
        "PNG, GIF, WebP, TIFF, HEIC), PDF, video (MP4, QuickTime, WebM, Matroska, AVI) and "
        "audio (MP3, WAV, Ogg, M4A)"
    )


@dataclass(frozen=True)
class ReceivedFile:
    """A file received whole into the vault's tmp folder, not yet kept."""

    name: str  # the safe base name
    sha256: str
    size: int
    media_type: str
    path: Path  # in tmp/


class EvidenceVault:
    """The folder holding evidence files (see the module docstring for its layout)."""

    def __init__(self, root: Path, *, max_mb: float = MAX_EVIDENCE_MB) -> None:
        self.root = Path(root)
        self.max_mb = max_mb
        self.max_bytes = int(max_mb * MEGABYTE)

    @classmethod
    def from_env(cls) -> EvidenceVault:
        """The vault at $TRUCE_EVIDENCE_DIR (default ./evidence), files up to
        $TRUCE_MAX_EVIDENCE_MB (default 500)."""
        root = Path(os.environ.get(EVIDENCE_DIR_VARIABLE) or DEFAULT_EVIDENCE_DIR)
        text = os.environ.get(MAX_SIZE_VARIABLE, "").strip()
        if not text:
            return cls(root)
        try:
            megabytes = float(text)
        except ValueError:
            megabytes = 0.0
        if not megabytes > 0 or megabytes == float("inf"):
            raise ConfigError(
                f"${MAX_SIZE_VARIABLE} must be a positive number of megabytes, not {text!r}"
            )
        return cls(root, max_mb=megabytes)

    def __repr__(self) -> str:
        return f"EvidenceVault({str(self.root)!r}, max_mb={self.max_mb:g})"

    @property
    def limit_text(self) -> str:
        """The size limit as people read it: "500 MB"."""
        return f"{self.max_mb:g} MB"

    def original_path(self, sha256: str) -> Path:
        return self.root / "originals" / sha256[:2] / sha256

    def working_path(self, sha256: str, copy_id: int, name: str) -> str:
        """Where working copy `copy_id` of a file lives, relative to the root."""
        return f"working/{sha256}/{copy_id}-{name}"

    def working_folder(self, sha256: str) -> Path:
        return self._folder("working", sha256)

    def _folder(self, *parts: str) -> Path:
        """A folder of the vault, made (each level 0750, not world-readable) if need be."""
        self.root.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        folder = self.root
        for part in parts:
            folder = folder / part
            folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
        return folder

    def receive(self, original_name: str) -> IncomingFile:
        """Start receiving a file named `original_name` (its safe name is kept); use as a
        context manager, so the partial file goes whatever happens."""
        name = safe_name(original_name)
        return IncomingFile(self, name, self._folder("tmp"))

    def keep(self, received: ReceivedFile) -> Path:
        """Make a received file the original of its hash, read-only; a file already kept
        for that hash is left as it is (originals are never written twice)."""
        target = self.original_path(received.sha256)
        self._folder("originals", received.sha256[:2])
        if not target.exists():
            os.chmod(received.path, ORIGINAL_MODE)
            # atomic, and never replaces a file (one kept by a concurrent writer meanwhile)
            with contextlib.suppress(FileExistsError):
                os.link(received.path, target)
            _sync_folder(target.parent)
        received.path.unlink(missing_ok=True)
        return target

    def hash_original(self, sha256: str) -> str | None:
        """The SHA-256 of the original's bytes as they are now; None if it is missing."""
        digest = hashlib.sha256()
        try:
            with self.original_path(sha256).open("rb") as original:
                while chunk := original.read(CHUNK_BYTES):
                    digest.update(chunk)
        except FileNotFoundError:
            return None
        return digest.hexdigest()

    def copy_original(self, sha256: str, destination: Path) -> str | None:
        """Copy the original to `destination` (a new file), hashing what was copied; the
        hash, or None (and no file) if the original is missing."""
        digest = hashlib.sha256()
        try:
            source = self.original_path(sha256).open("rb")
        except FileNotFoundError:
            return None
        with source, destination.open("xb") as copy:
            while chunk := source.read(CHUNK_BYTES):
                digest.update(chunk)
                copy.write(chunk)
            copy.flush()
            os.fsync(copy.fileno())
        return digest.hexdigest()

    def partial_path(self, folder: Path, name: str) -> Path:
        """A fresh name for a file being written into `folder`, hidden until complete."""
        return folder / f".{name}.partial-{secrets.token_hex(6)}"


class IncomingFile:
    """A file arriving in the vault's tmp folder: `write` its chunks, then `finish`.

    Each chunk is hashed and counted as it comes; the file is refused (InputError, partial
    file removed) as soon as it passes the size limit or its first bytes show a type that is
    not accepted.
    """

    def __init__(self, vault: EvidenceVault, name: str, folder: Path) -> None:
        self.name = name
        self._vault = vault
        self.path = folder / f"incoming-{secrets.token_hex(8)}"
        # O_EXCL: a fresh file of ours, readable by nobody else while it arrives
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._file = os.fdopen(descriptor, "wb")
        self._digest = hashlib.sha256()
        self._size = 0
        self._head = bytearray()
        self._media_type: str | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.discard()

    def write(self, chunk: bytes) -> None:
        try:
            self._size += len(chunk)
            if self._size > self._vault.max_bytes:
                raise InputError(
                    f"{self.name} is larger than the {self._vault.limit_text} limit "
                    f"(${MAX_SIZE_VARIABLE})"
                )
            if self._media_type is None:
                self._head += chunk[: SNIFF_BYTES - len(self._head)]
                if len(self._head) >= SNIFF_BYTES:
                    self._media_type = sniffed_media_type(bytes(self._head), self.name)
            self._digest.update(chunk)
            self._file.write(chunk)
        except BaseException:
            self.discard()
            raise

    def finish(self) -> ReceivedFile:
        """The file received whole, flushed to disk; refused if empty or not accepted."""
        try:
            if self._size == 0:
                raise InputError(f"{self.name} is empty")
            if self._media_type is None:
                self._media_type = sniffed_media_type(bytes(self._head), self.name)
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
        except BaseException:
            self.discard()
            raise
        return ReceivedFile(
            name=self.name,
            sha256=self._digest.hexdigest(),
            size=self._size,
            media_type=self._media_type,
            path=self.path,
        )

    def discard(self) -> None:
        """Close and remove the partial file (nothing happens once it has been kept)."""
        self._file.close()
        self.path.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries, so a file linked into it survives a crash."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
