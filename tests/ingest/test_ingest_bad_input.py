"""Bad input: each problem a clear error naming the file (and the line where there is one),
and nothing else of the run lost."""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from pathlib import Path

import pytest

from truce.core.errors import ConfigError, DocumentError, FormatError, InputError
from truce.core.models import Document
from truce.ingest.readers import read_path


def split(items: Iterable[Document | InputError]) -> tuple[list[Document], list[InputError]]:
    read = list(items)
    return (
        [item for item in read if isinstance(item, Document)],
        [item for item in read if isinstance(item, InputError)],
    )


def only_error(path: Path, *, max_file_mb: float | None = None) -> InputError:
    docs, errors = split(read_path(path, max_file_mb=max_file_mb))
    assert docs == []
    assert len(errors) == 1
    error = errors[0]
    assert error.source == str(path)
    assert str(error).startswith(str(path))
    return error


@pytest.mark.parametrize("name", ["empty.txt", "empty.md", "empty.jsonl", "empty.html", "empty"])
def test_an_empty_file_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")

    error = only_error(path)

    assert isinstance(error, DocumentError)
    assert "empty file" in str(error)


def test_a_file_of_white_space_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("  \n\n\t\n", encoding="utf-8")

    assert "empty file" in str(only_error(path))


@pytest.mark.parametrize("name", ["photo.txt", "photo.jsonl", "photo.png", "photo"])
def test_a_binary_file_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 40)

    error = only_error(path)

    assert isinstance(error, DocumentError)
    assert "binary file" in str(error)


def test_invalid_utf8_names_the_byte_and_line_and_guesses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    data = "First line.\nSecond line.\nCaf\u00e9 in Tyre.\n".encode("latin-1")
    path.write_bytes(data)

    error = only_error(path)

    assert isinstance(error, DocumentError)
    assert error.line == 3
    bad_byte = data.index("\u00e9".encode("latin-1"))
    assert f"not valid UTF-8 at byte {bad_byte} (e9)" in str(error)
    assert str(error).startswith(f"{path}:3:")


def test_invalid_utf8_in_a_jsonl_line_names_that_line_and_keeps_the_others(
    tmp_path: Path,
) -> None:
    path = tmp_path / "docs.jsonl"
    good = b'{"id": "1", "text": "Fine."}\n'
    path.write_bytes(good + b'{"id": "2", "text": "Caf\xe9"}\n' + good.replace(b"1", b"3"))

    docs, errors = split(read_path(path))

    assert [doc.id for doc in docs] == ["1", "3"]
    assert len(errors) == 1
    assert errors[0].line == 2
    assert f"byte {len(good) + 24}" in str(errors[0])


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_a_byte_order_mark_is_honoured_and_not_kept(
    tmp_path: Path, bom: bytes, encoding: str, suffix: str
) -> None:
    text = "Frappe près de Tyr, dit l'armée.\n"
    content = text if suffix == ".txt" else '{"id": "fr", "text": "' + text.strip() + '"}\n'
    path = tmp_path / f"bom{suffix}"
    path.write_bytes(bom + content.encode(encoding))

    docs, errors = split(read_path(path))

    assert errors == []
    assert [doc.text for doc in docs] == [text if suffix == ".txt" else text.strip()]


def test_utf16_without_a_byte_order_mark_is_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("No mark here.\n".encode("utf-16-le"))

    assert "UTF-16 without a byte-order mark" in str(only_error(path))


def test_a_file_over_the_size_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Shelling reported near Kfar Kila.\n" * 100, encoding="utf-8")  # 3.4 kB

    error = only_error(path, max_file_mb=0.002)

    assert isinstance(error, DocumentError)
    assert "file is 0.0 MB, over the limit of 0.0 MB per file" in str(error)
    assert "TRUCE_MAX_FILE_MB" in str(error)
    assert split(read_path(path, max_file_mb=1))[0][0].text.startswith("Shelling")


def test_the_size_limit_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.md"
    path.write_text("x" * 3000 + "\n", encoding="utf-8")
    monkeypatch.setenv("TRUCE_MAX_FILE_MB", "0.001")

    assert "over the limit" in str(only_error(path))

    monkeypatch.setenv("TRUCE_MAX_FILE_MB", "lots")
    with pytest.raises(ConfigError, match="TRUCE_MAX_FILE_MB='lots' is not a number"):
        list(read_path(path))


def test_a_50_mb_text_gets_a_clear_message_at_the_default_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRUCE_MAX_FILE_MB", raising=False)
    path = tmp_path / "huge.txt"
    line = b"An Israeli drone strike hit a car near Tyre on Monday, officials said.\n"
    with path.open("wb") as out:
        for _ in range(50_000_000 // len(line) + 1):
            out.write(line)

    error = only_error(path)

    assert str(error) == (
        f"{path}: file is 50.0 MB, over the limit of 20.0 MB per file "
        "(set TRUCE_MAX_FILE_MB to raise it)"
    )


def test_a_jsonl_line_over_the_limit_is_refused_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    long_text = "word " * 1000
    path.write_text(
        '{"id": "1", "text": "Short."}\n'
        + '{"id": "2", "text": "'
        + long_text
        + '"}\n'
        + '{"id": "3", "text": "Also short."}\n',
        encoding="utf-8",
    )

    docs, errors = split(read_path(path, max_file_mb=0.001))

    assert [doc.id for doc in docs] == ["1", "3"]
    assert len(errors) == 1
    assert errors[0].line == 2
    assert "line is over the limit of 0.0 MB per document" in str(errors[0])


def test_an_unknown_suffix_that_sniffs_as_nothing_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "casualties.csv"
    path.write_text("date,place,killed\n2024-12-02,Tyre,2\n", encoding="utf-8")

    error = only_error(path)

    assert isinstance(error, FormatError)
    assert "unknown format: suffix '.csv'" in str(error)
    assert ".jsonl" in str(error)


def test_xml_that_is_not_a_feed_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.xml"
    path.write_text('<?xml version="1.0"?>\n<settings><a>1</a></settings>\n', "utf-8")

    error = only_error(path)

    assert isinstance(error, FormatError)
    assert "not an RSS or Atom feed: its first element is <settings>" in str(error)


def test_a_broken_feed_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title>\n'
        "<item><title>One</title><description>Text one.</description></item>\n"
        "<item><title>Two</title><description>Text two.</description>\n"
        "</channel>\n",
        encoding="utf-8",
    )

    docs, errors = split(read_path(path))

    assert [doc.title for doc in docs] == ["One", "Two"]  # what the lenient parser recovered
    assert len(errors) == 1
    assert isinstance(errors[0], FormatError)
    assert errors[0].line == 5
    assert "not well-formed XML" in str(errors[0])


def test_a_feed_entry_without_text_is_refused_and_the_others_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>Empty</title><link>https://example.org/e</link></item>"
        "<item><title>Full</title><description>Patrol in Marjayoun.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )

    docs, errors = split(read_path(path))

    assert [doc.title for doc in docs] == ["Full"]
    assert len(errors) == 1
    assert "feed entry 1 (Empty) has no content or summary" in str(errors[0])


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("---\ntitle: [unclosed\n---\nBody.\n", 3, "front matter is not valid YAML"),
        ("---\ntitle: T\nBody without a closing line.\n", 1, "never closed"),
        ("---\ntitle: T\npublished: next week\n---\nBody.\n", 3, "is not a date"),
        ("---\n- a\n- b\n---\nBody.\n", 2, "must be 'key: value' lines"),
        ("---\ntitle: T\n---\n\n", None, "no text after the front matter"),
    ],
)
def test_bad_front_matter_names_the_line(
    tmp_path: Path, content: str, line: int | None, message: str
) -> None:
    path = tmp_path / "note.md"
    path.write_text(content, encoding="utf-8")

    error = only_error(path)

    assert error.line == line
    assert message in str(error)


def test_a_missing_path_and_an_empty_folder_are_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    (tmp_path / "empty").mkdir()

    assert "no such file or folder" in str(only_error(missing))
    assert "no files to read in this folder" in str(only_error(tmp_path / "empty"))


def test_bad_files_in_a_folder_do_not_stop_the_good_ones(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Good one.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.bin").write_bytes(b"\x00\x01\x02" * 10)
    (tmp_path / "d.md").write_text("Good two.\n", encoding="utf-8")

    docs, errors = split(read_path(tmp_path))

    assert [doc.id for doc in docs] == ["a", "d"]
    assert [Path(error.source or "").name for error in errors] == ["b.txt", "c.bin"]
