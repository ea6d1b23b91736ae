"""The extract contract's input: one JSON object a line, each a document; events out.

A line that is not JSON, not an object, or lacks a usable `id` or `text` becomes a
`DocumentError` naming the source and line number, and the following lines go on. A document
that is read but looks wrong for the extractor (HTML left in, not English, right-to-left
script, control characters, a huge text) is still extracted, and each such problem, like each
note a pipeline component leaves in `Doc.problems`, becomes a `DocumentProblem` naming the
source, line and document id.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from truce.core import Document, DocumentError, Event, InputError
from truce.extract.pipeline import Pipeline, default_pipeline

OPTIONAL_FIELDS = ("published", "title", "source", "url", "language")
STDIN = "-"

#: texts longer than this are reported (an article is a few KB)
LONG_TEXT_CHARS = 1_000_000
#: how much of a text the script and language checks read
SAMPLE_CHARS = 20_000

_HTML_TAG = re.compile(
    r"</?(?:a|article|b|body|br|div|em|font|h[1-6]|head|header|hr|html|i|iframe|img|li|link"
    r"|meta|nav|ol|p|script|section|span|strong|style|table|td|th|tr|ul)\b[^<>]{0,500}>"
    r"|&(?:amp|lt|gt|quot|apos|nbsp|#\d{1,7}|#x[0-9a-fA-F]{1,6});",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_RIGHT_TO_LEFT = re.compile(
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_OTHER_LETTER = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f\u1e00-\u1eff]")  # a non-Latin letter
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_WORD = re.compile(r"[A-Za-z]+")  # the same words in an ASCII text, found faster
# function words: common in any English news copy, and in French, Spanish, German, Italian,
# Portuguese and Dutch (none of them an English word too)
_COMMON_ENGLISH = (
    "the a an of in on at to and or but for with from by as is are was were be been has have had"
    " it its this that which who he she they their said after over"
)
_COMMON_FOREIGN = (
    "le la les des du et est une un dans pour que qui au aux sur pas par avec ce cette il elle ont"
    " selon été el los las del y en por con una se su al lo según fue der die das und ist nicht"
    " mit von zu den dem ein eine im auf sich wurde di che è per non della nel sono o os da do"
    " das dos em não uma com para foi het een van niet op zijn"
)
_ENGLISH_WORDS = frozenset(_COMMON_ENGLISH.split())
_FOREIGN_WORDS = frozenset(_COMMON_FOREIGN.split())


@dataclass(frozen=True, slots=True)
class DocumentProblem:
    """Something wrong with a document that was still extracted; printed as a warning."""

    source: str
    line: int
    doc_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: document {self.doc_id}: {self.message}"


def _script(char: str) -> str:
    """The script a character's Unicode name starts with ("Arabic", "Hebrew", ...)."""
    return unicodedata.name(char, "UNKNOWN").split()[0].title()


def text_problems(document: Document) -> list[str]:
    """What in a document's text the extractor (English plain text) is not made for."""
    text = document.text
    problems: list[str] = []
    if len(text) > LONG_TEXT_CHARS:
        problems.append(
            f"very long text ({len(text) / 1_000_000:.1f} million characters; articles are "
            "a few thousand): extraction is slow and every event is looked for in all of it"
        )
    if tag := _HTML_TAG.search(text):
        problems.append(
            f"HTML left in the text ({tag.group()[:40]!r} at offset {tag.start()}): "
            "the extractor reads plain text; markup may hide or split sentences"
        )
    if first := _CONTROL.search(text):
        count = len(_CONTROL.findall(text))
        problems.append(
            f"{count} control character{'s' if count > 1 else ''} "
            f"(the first, U+{ord(first.group()):04X}, at offset {first.start()})"
        )
    if bidi := _BIDI_CONTROL.search(text):
        problems.append(
            f"bidirectional control characters (U+{ord(bidi.group()):04X} at offset "
            f"{bidi.start()}): the text shows in another order than it is stored"
        )
    sample = text[:SAMPLE_CHARS]
    rtl = _RIGHT_TO_LEFT.findall(sample)
    # a place's Arabic or Hebrew name quoted in an English article is no problem
    if rtl and len(rtl) >= 0.2 * len(_LETTER.findall(sample)):
        scripts = sorted({_script(char) for char in rtl})
        problems.append(
            f"right-to-left script ({', '.join(scripts)}: {len(rtl)} characters): "
            "only English is extracted"
        )
    language = _not_english(document, sample)
    if language:
        problems.append(f"{language}: the extractor reads English only")
    return problems


def _not_english(document: Document, sample: str) -> str | None:
    """Why the text seems not to be English, or None."""
    declared = document.language.strip().lower()
    if declared and declared.split("-")[0] not in ("en", "eng"):
        return f"language {document.language!r}"
    # most English copy has no letter outside the Latin ranges: count them all only if it does
    other = [] if sample.isascii() else _OTHER_LETTER.findall(sample)
    if other:
        letters = len(_LETTER.findall(sample))
        latin = len(_LATIN_LETTER.findall(sample))
        if letters >= 20 and latin < letters / 2:
            scripts = sorted({_script(c) for c in other})
            return f"mostly non-Latin letters ({', '.join(scripts[:3])})"
    found = (_ASCII_WORD if sample.isascii() else _WORD).findall(sample)
    words = " ".join(found).lower().split(" ")  # one lower() for them all
    if len(words) >= 12:
        english = sum(map(_ENGLISH_WORDS.__contains__, words))
        foreign = sum(map(_FOREIGN_WORDS.__contains__, words))
        if foreign >= 3 and foreign > english:
            return (
                f"does not read as English ({foreign} of {len(words)} words are common French, "
                f"Spanish, German, Italian, Portuguese or Dutch ones, {english} English)"
            )
    return None


@contextmanager
def open_jsonl(path: str | Path) -> Iterator[tuple[Iterable[bytes], str]]:
    """The lines of a JSON Lines file (or of standard input for "-") and the name to report.

    Lines stay bytes so that one line in a wrong encoding is one bad document, not a failed
    run. InputError when the file cannot be opened.
    """
    if str(path) == STDIN:
        yield sys.stdin.buffer, "<stdin>"
        return
    try:
        handle = open(path, "rb")  # noqa: SIM115  (closed below, after the caller is done)
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a JSON Lines file", source=str(path)) from None
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror})", source=str(path)) from None
    with handle:
        yield handle, str(path)


def read_document(line: str | bytes, *, source_name: str, line_number: int) -> Document | None:
    """The document on one input line; None for a blank line; DocumentError if unusable."""

    def problem(message: str) -> DocumentError:
        return DocumentError(message, source=source_name, line=line_number)

    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise problem(f"not UTF-8 ({error.reason} at byte {error.start})") from None
    line = line.removeprefix("\ufeff")  # a byte-order mark some editors write first
    if not line.strip():
        return None
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as error:
        raise problem(f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(data, dict):
        raise problem(f"expected a JSON object, got {type(data).__name__}")
    doc_id = data.get("id")
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int) or str(doc_id) == "":
        raise problem('no "id" (a non-empty string or number)')
    text = data.get("text")
    if not isinstance(text, str):
        raise problem(f'document {doc_id!s}: no "text" string')
    if not text.strip():
        raise problem(f'document {doc_id!s}: "text" is empty')
    fields = {name: data[name] for name in OPTIONAL_FIELDS if data.get(name) is not None}
    try:
        return Document(id=str(doc_id), text=text, **fields)
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
            for item in error.errors()
        )
        raise problem(f"document {doc_id!s}: {details}") from None


def run_jsonl(
    lines: Iterable[str | bytes], *, source_name: str, pipeline: Pipeline | None = None
) -> Iterator[Event | DocumentError | DocumentProblem]:
    """Events of every document in `lines`; a DocumentError for each unusable line, and a
    DocumentProblem for each problem of a document that was still extracted."""
    pipeline = pipeline or default_pipeline()
    for line_number, line in enumerate(lines, start=1):
        try:
            document = read_document(line, source_name=source_name, line_number=line_number)
        except DocumentError as error:
            yield error
            continue
        if document is None:
            continue

        here = (source_name, line_number, document.id)
        for message in text_problems(document):
            yield DocumentProblem(*here, message)
        try:
            doc = pipeline(document)
        except Exception as error:  # a bug in one component must not end the whole run
            failed = f"extraction failed, no events ({type(error).__name__}: {error})"
            yield DocumentProblem(*here, failed)
            continue
        for message in doc.problems:
            yield DocumentProblem(*here, message)
        yield from doc.events
