"""`truce.attribution.v1`: who each sentence's report is attributed to.

"X said", "X told Y" (both X and the outlet Y), "according to X", "said X", "a statement
from X said". The source is the short noun phrase next to the reporting verb; pronouns
and long clauses are not sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from truce.extract.doc import Attribution, Doc, Sentence
from truce.extract.registry import Component, component
from truce.extract.starts import WordPatterns

if TYPE_CHECKING:
    from truce.theatre import TheatrePack

MAX_SOURCE_WORDS = 7

_VERB = (
    r"said|says|say|told|tells|reported|reports|announced|stated|confirmed|added|"
    r"quoted|cited"
)
_BEFORE_VERB = re.compile(rf"\b(?:{_VERB})\b", re.I)
_AFTER_VERB = re.compile(
    r"(?:^|[,;]\s*)(?:said|says|reported|according\s+to)\s+(?P<src>[^,;.\u201c\"]{2,80})"
    r"(?=[,;.]|$)",
    re.I,
)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<src>[^,;.:\u201c\"]{2,80})", re.I)
_TOLD = re.compile(r"\btold\s+(?P<src>(?:[A-Z][\w&.'\u2019-]*\s*){1,4})")
_BREAK = re.compile(r"[,;:()\u201c\u201d\"\u2014\u2013]|\b(?:that|and|but|while|as)\s", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|be|being)\s*$", re.I)
_LEADING = re.compile(
    r"^(?:(?:also|meanwhile|separately|later|earlier|but|and|in\s+a\s+statement|"
    r"a\s+statement\s+(?:from|by)|statements?\s+(?:from|by)|the|a|an)\s+)+",
    re.I,
)
_PRONOUNS = frozenset({
    "he", "she", "it", "they", "we", "i", "you", "who", "which", "this", "that", "one",
    "others", "some", "many", "both", "no", "none", "nobody",
})  # fmt: skip
_FUNCTION_WORDS = re.compile(r"\b(?:has|have|had|is|are|was|were|would|will|could|did)\b", re.I)


def attributions(doc: Doc) -> list[Attribution]:
    """Every attribution in the document, in text order."""
    found: list[Attribution] = []
    for index, sentence in enumerate(doc.sents):
        seen: set[str] = set()
        for start, end in _spans(doc, sentence):
            source = _clean(doc.text[start:end])
            if source and source.lower() not in seen:
                seen.add(source.lower())
                found.append(Attribution(start, end, source, index))
    found.sort(key=lambda a: a.start)
    return found


#: the patterns of a source, each tried only at the words that may begin it
_SOURCE_PATTERNS = WordPatterns(_BEFORE_VERB, _ACCORDING, _AFTER_VERB, _TOLD)


def _spans(doc: Doc, sentence: Sentence) -> Iterator[tuple[int, int]]:
    text = doc.text
    verbs, *sources = _SOURCE_PATTERNS.finditer(text, doc.lower, sentence.start, sentence.end)
    for verb in verbs:
        lead = text[sentence.start : verb.start()]
        if _PASSIVE.search(lead):
            continue
        breaks = list(_BREAK.finditer(lead))
        start = sentence.start + (breaks[-1].end() if breaks else 0)
        yield start, verb.start()
    for found in sources:
        for match in found:
            yield match.start("src"), match.end("src")


def _clean(phrase: str) -> str | None:
    phrase = " ".join(phrase.split())
    phrase = _LEADING.sub("", phrase).strip(" '\u2019")
    words = phrase.split(" ")
    if not phrase or len(words) > MAX_SOURCE_WORDS:
        return None
    if words[0].lower() in _PRONOUNS or _FUNCTION_WORDS.search(phrase):
        return None
    if not any(char.isalpha() for char in phrase):
        return None
    return phrase


@component("truce.attribution.v1", requires=("sents",), assigns=("attributions",))
def attribution(pack: TheatrePack) -> Component:
    def run(doc: Doc) -> Doc:
        doc.attributions = attributions(doc)
        return doc

    return run
