"""`truce.sentences.v1`: split the text into sentences with exact offsets.

Rule-based and fast: a line break always ends a sentence (headlines and paragraphs come one
a line); inside a line, `.`, `!` or `?` ends one when the next word does not start in lower
case, unless the word before the stop is an abbreviation ("Nov.", "Dr.", "St.") or an
initial. Dotted acronyms ("U.S.") end a sentence only before a word that usually starts one.
Very long runs without a stop are cut at a space so later steps stay linear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from truce.extract.doc import Doc, Sentence, Span, within
from truce.extract.lowered import CaseFree
from truce.extract.registry import Component, component

if TYPE_CHECKING:
    from truce.theatre import TheatrePack

MAX_SENTENCE_CHARS = 1200


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ABBREVIATIONS = _words(
    """
    mr mrs ms dr prof gen lt col maj capt sgt cpl pvt adm brig cmdr cdr gov sen rep rev st mt
    ft sr jr hon amb pres supt insp jan feb mar apr jun jul aug sep sept oct nov dec
    no nos vs approx est dept univ inc corp ltd co fig vol
    """
)

#: words that start a sentence after a dotted acronym ("... the U.S. The envoy ...")
SENTENCE_STARTERS = _words(
    """
    the a an this that these those it its he she they we i in on at after before but and
    however meanwhile earlier later separately also there his her their our when while
    """
)

_STOP = re.compile(r"[.!?\u2026\u061f]+[\"'\u201d\u2019\u00bb)\]]*(?=\s+(\S))")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_NEXT_WORD = re.compile(r"[\"'\u201c\u2018\u00ab(\[]*(\w+)")
_DOTTED_ACRONYM = re.compile(r"^(?:\w\.){2,}$")

#: where a clause ends inside a sentence: punctuation and subordinating words
_CLAUSE_BREAK = re.compile(
    r"[;:\u2014\u2013]|,\s|\s-\s|\b(?:after|before|while|whereas|although|though|because|"
    r"since|following|despite|that|which|who|where|when|as well as|but)\b",
    re.IGNORECASE,
)
_ANY_CASE_CLAUSE_BREAK = CaseFree(_CLAUSE_BREAK)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text`, stripped of surrounding white space, in order."""
    found: list[Sentence] = []
    paragraph = 0
    line_start = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        pieces = list(_line_pieces(body))
        for start, end in pieces:
            for chunk_start, chunk_end in _chunks(body, start, end):
                found.append(Sentence(line_start + chunk_start, line_start + chunk_end, paragraph))
        if pieces:
            paragraph += 1
        line_start += len(line)
    return found


def _line_pieces(line: str) -> Iterator[tuple[int, int]]:
    start = 0
    for stop in _STOP.finditer(line):
        if _ends_sentence(line, stop):
            yield from _stripped(line, start, stop.end())
            start = stop.end()
    yield from _stripped(line, start, len(line))


def _ends_sentence(line: str, stop: re.Match[str]) -> bool:
    next_char = stop.group(1)
    if next_char.islower():
        return False
    if not stop.group().startswith("."):
        return True
    before = _WORD_BEFORE.search(line, max(0, stop.start() - 40), stop.start() + 1)
    if before is None:
        return True
    word = before.group(1)
    bare = word.rstrip(".").lower()
    if "." not in word.rstrip(".") and (bare in ABBREVIATIONS or len(bare) == 1):
        return False
    if _DOTTED_ACRONYM.match(word):
        following = _NEXT_WORD.match(line, stop.start(1))
        return following is not None and following.group(1).lower() in SENTENCE_STARTERS
    return True


def _stripped(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _chunks(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut an over-long sentence at spaces, so that no piece exceeds MAX_SENTENCE_CHARS."""
    while end - start > MAX_SENTENCE_CHARS:
        cut = start + MAX_SENTENCE_CHARS
        space = line.rfind(" ", start + MAX_SENTENCE_CHARS // 2, cut)
        cut = space if space > start else cut
        yield from _stripped(line, start, cut)
        start = cut
    yield from _stripped(line, start, end)


def clause_around(doc: Doc, sentence: Sentence, offset: int) -> Span:
    """The clause of `sentence` holding `offset`: between the nearest breaks on each side."""
    start, end = sentence.start, sentence.end
    for break_start, break_end in _clause_breaks(doc, sentence):
        if break_end <= offset:
            start = break_end
        elif break_start > offset:
            end = break_start
            break
    return Span(start, end)


def _clause_breaks(doc: Doc, sentence: Sentence) -> list[tuple[int, int]]:
    """The sentence's clause breaks, less those inside a date ("the day before"); kept on the
    doc until a component finds more dates."""
    key = (sentence.start, len(doc.dates))
    breaks = doc.clause_breaks.get(key)
    if breaks is None:
        # only the sentence's own dates: every date of the document would make a long
        # document's extraction quadratic
        dates = within(doc.dates, sentence.start, sentence.end)
        breaks = [
            (found.start(), found.end())
            for found in _ANY_CASE_CLAUSE_BREAK.finditer(
                doc.text, doc.lower, sentence.start, sentence.end
            )
            if not any(d.start < found.end() and found.start() < d.end for d in dates)
        ]
        doc.clause_breaks[key] = breaks
    return breaks


@component("truce.sentences.v1", assigns=("sents",))
def sentences(pack: TheatrePack) -> Component:
    def run(doc: Doc) -> Doc:
        doc.sents = split_sentences(doc.text)
        return doc

    return run
