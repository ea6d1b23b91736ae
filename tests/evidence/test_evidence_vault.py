"""The vault on its own: names, types sniffed from bytes, the size limit while streaming."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from evidence_sample import html, jpeg, pdf, png, text, windows_executable, zip_archive
from truce.core.errors import ConfigError, InputError
from truce.evidence import EvidenceVault, safe_name
from truce.evidence.vault import MEGABYTE, sniffed_media_type


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (jpeg(), "image/jpeg"),
        (png(), "image/png"),
        (pdf(), "application/pdf"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 16, "image/gif"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 24, "audio/x-wav"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 16, "video/mp4"),
    ],
)
def test_accepted_types_are_read_from_the_bytes(content: bytes, media_type: str) -> None:
    # the name says .txt: only the bytes count
    assert sniffed_media_type(content, "misleading.txt") == media_type


@pytest.mark.parametrize(
    ("content", "detected"),
    [
        (text(), "not a recognised binary format"),
        (html(), "not a recognised binary format"),
        (zip_archive(), "application/zip"),
        (windows_executable(), "application/x-msdownload"),
    ],
)
def test_other_types_are_refused_naming_the_file_and_what_it_is(
    content: bytes, detected: str
) -> None:
    with pytest.raises(InputError) as refused:
        sniffed_media_type(content, "photo.jpg")  # a name that lies changes nothing
    assert "photo.jpg is not accepted as evidence" in str(refused.value)
    assert f"detected {detected}" in str(refused.value)


@pytest.mark.parametrize("name", ["../photo.jpg", "evidence/photo.jpg", "a\\b.jpg", "a\x00.jpg"])
def test_names_with_path_separators_or_nul_are_refused(name: str) -> None:
    with pytest.raises(InputError, match="not a plain file name"):
        safe_name(name)


def test_names_lose_control_and_direction_characters_and_are_cut_to_length() -> None:
    # U+202E turns "photo\u202egpj.exe" into what looks like "photoexe.jpg" on screen
    assert safe_name("photo\u202egpj.exe") == "photogpj.exe"
    assert safe_name("  line\nbreak.jpg ") == "linebreak.jpg"
    long = safe_name("ج" * 300 + ".jpeg")
    assert long.endswith(".jpeg")
    assert len(long.encode()) <= 200
    with pytest.raises(InputError, match="not a usable file name"):
        safe_name("\u200f..")


def test_vault_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRUCE_EVIDENCE_DIR", str(tmp_path / "kept"))
    monkeypatch.setenv("TRUCE_MAX_EVIDENCE_MB", "2.5")
    vault = EvidenceVault.from_env()
    assert vault.root == tmp_path / "kept"
    assert vault.max_bytes == int(2.5 * MEGABYTE)
    assert vault.limit_text == "2.5 MB"
    monkeypatch.delenv("TRUCE_MAX_EVIDENCE_MB")
    assert EvidenceVault.from_env().limit_text == "500 MB"
    for bad in ("lots", "0", "-3", "inf"):
        monkeypatch.setenv("TRUCE_MAX_EVIDENCE_MB", bad)
        with pytest.raises(ConfigError, match="TRUCE_MAX_EVIDENCE_MB"):
            EvidenceVault.from_env()


def test_an_incoming_file_is_hashed_counted_and_kept_read_only(tmp_path: Path) -> None:
    vault = EvidenceVault(tmp_path / "vault")
    content = jpeg("kept", size=50_000)
    with vault.receive("photo.jpg") as incoming:
        for start in range(0, len(content), 4096):
            incoming.write(content[start : start + 4096])
        received = incoming.finish()
        original = vault.keep(received)
    assert received.sha256 == hashlib.sha256(content).hexdigest()
    assert (received.size, received.media_type) == (len(content), "image/jpeg")
    assert original == vault.root / "originals" / received.sha256[:2] / received.sha256
    assert original.read_bytes() == content
    assert original.stat().st_mode & 0o777 == 0o444
    assert list((vault.root / "tmp").iterdir()) == []


class EndlessJpeg(io.RawIOBase):
    """A JPEG that never ends, counting how much was read of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        head = jpeg("endless")[:-2]
        chunk = (head if self.read_bytes == 0 else b"\x00" * len(buffer))[: len(buffer)]
        buffer[: len(chunk)] = chunk
        self.read_bytes += len(chunk)
        return len(chunk)


def test_a_file_past_the_limit_is_refused_as_soon_as_it_passes(tmp_path: Path) -> None:
    vault = EvidenceVault(tmp_path / "vault", max_mb=3)
    source = EndlessJpeg()

    def receive() -> None:
        with vault.receive("endless.jpg") as incoming:
            while chunk := source.read(MEGABYTE // 4):
                incoming.write(chunk)

    with pytest.raises(InputError) as refused:
        receive()
    assert str(refused.value) == (
        "endless.jpg is larger than the 3 MB limit ($TRUCE_MAX_EVIDENCE_MB)"
    )
    assert source.read_bytes <= 3 * MEGABYTE + MEGABYTE // 4  # one chunk past, no more
    assert list((vault.root / "tmp").iterdir()) == []


def test_an_unaccepted_type_is_refused_from_its_first_bytes(tmp_path: Path) -> None:
    vault = EvidenceVault(tmp_path / "vault")
    archive = zip_archive() + b"\x00" * 20_000
    written = 0

    def receive() -> None:
        nonlocal written
        with vault.receive("bundle.jpg") as incoming:
            for start in range(0, len(archive), 1000):
                incoming.write(archive[start : start + 1000])
                written += 1000

    with pytest.raises(InputError, match="detected application/zip"):
        receive()
    assert written < 9_000  # refused once the sniffed bytes were in, not at the end
    assert list((vault.root / "tmp").iterdir()) == []


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    vault = EvidenceVault(tmp_path / "vault")
    with (
        pytest.raises(InputError, match=r"^empty\.jpg is empty$"),
        vault.receive("empty.jpg") as incoming,
    ):
        incoming.finish()
    assert list((vault.root / "tmp").iterdir()) == []
