"""`truce.numbers.v1`: how many people the text says were killed or wounded.

Counts come in words or digits ("killing two people", "3 soldiers were wounded", "one
person was killed", "the death toll rose to 12"), as a singular victim ("killed a
shepherd", "assassinated senior commander X"), or as none ("no casualties", "no injuries
were reported"). Wounded people are counted apart and never as fatalities.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from truce.extract.doc import Casualty, Doc
from truce.extract.lowered import CaseFree
from truce.extract.registry import Component, component
from truce.extract.starts import WordPatterns

if TYPE_CHECKING:
    from truce.theatre import TheatrePack

NUMBER_WORDS = {
    word: value
    for value, word in enumerate((
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen", "twenty",
    ))
}  # fmt: skip
NUMBER_WORDS.update(
    {"a": 1, "an": 1, "another": 1, "thirty": 30, "forty": 40, "fifty": 50, "dozen": 12}
)
NUMBER_WORDS["a dozen"] = 12

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_AT_LEAST = r"(?:at\s+least\s+|more\s+than\s+|over\s+|some\s+|about\s+|around\s+|nearly\s+)?"
_KILL = r"kill(?:ed|ing|s)?|assassinat(?:ed|ing|es)|shot\s+dead"
_DEAD = r"killed|dead|died|assassinated|slain|shot\s+dead|lost\s+their\s+lives"
_WOUND = r"wound(?:ed|ing|s)?|injur(?:ed|ing|es)|hurt"
_WOUNDED = r"wounded|injured|hurt"
_PERSON = (
    r"(?:person|man|woman|boy|girl|child|civilian|resident|shepherd|farmer|fisherman|"
    r"soldier|officer|fighter|militant|member|commander|official|leader|operative|"
    r"journalist|paramedic|rescuer|worker|driver|motorcyclist|citizen|teenager|elder|rider|"
    r"brother|sister|son|daughter|gunman|attacker|bomber|villager|guard|policeman|peacekeeper)"
)
_PEOPLE = (
    r"(?:people|persons|men|women|children|civilians|residents|shepherds|farmers|fishermen|"
    r"soldiers|officers|fighters|militants|members|commanders|officials|journalists|"
    r"paramedics|rescuers|workers|others|of\s+them|brothers|sisters|sons|daughters|gunmen|"
    r"attackers|guards|villagers|policemen|peacekeepers|riders|drivers)"
)

_VERB_THEN_COUNT = re.compile(
    rf"\b(?P<verb>{_KILL}|{_WOUND})\s+{_AT_LEAST}(?P<num>{_NUM})\b(?!\s*(?:%|percent|times))"
    rf"(?=\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE}|{_PERSON})\b|\s*(?:and|,|\.|$|in\b|on\b))",
    re.I,
)
_BE = r"(?:were|was|have\s+been|has\s+been|had\s+been|are|is)"
_COUNT_THEN_VERB = re.compile(
    rf"\b{_AT_LEAST}(?P<num>{_NUM})\s+"
    rf"(?:(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE}|{_PERSON}s?)\s+(?:{_BE}\s+)?|{_BE}\s+)"
    rf"(?:(?:reportedly|also|later)\s+)?(?P<verb>{_DEAD}|{_WOUNDED})\b",
    re.I,
)
_NAMED_VICTIM = re.compile(
    rf"\b(?P<verb>{_KILL})\s+(?:(?:senior|top|prominent|veteran|local|a|an|the|its|their|his|"
    rf"her)\s+)?"
    rf"(?:[A-Z][\w'\u2019-]*\s+){{0,3}}(?:{_PERSON}\b(?!s)\s*(?:[A-Z][\w'\u2019-]*\s*){{0,4}}"
    r"|[A-Z][\w'\u2019-]+\b(?=\s*[,.;]|\s+(?:in|on|at|with|and|near|inside|during)\b))"
)
_ONE = r"(?:a|an|one|the|its|their|his|her)"
#: "a soldier and two gunmen were killed", "killing the attacker and four members of ..."
_COMPOUND_THEN_VERB = re.compile(
    rf"\b(?P<num>{_NUM}|{_ONE})\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE}|{_PERSON}s?)\s+and\s+"
    rf"{_AT_LEAST}(?P<num2>{_NUM})\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE}|{_PERSON}s?)\s+"
    rf"(?:{_BE}\s+)?(?P<verb>{_DEAD}|{_WOUNDED})\b",
    re.I,
)
_VERB_THEN_COMPOUND = re.compile(
    rf"\b(?P<verb>{_KILL}|{_WOUND})\s+{_AT_LEAST}(?P<num>{_NUM}|{_ONE})\s+(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{_PEOPLE}|{_PERSON}s?)\s+and\s+{_AT_LEAST}(?P<num2>{_NUM})\s+(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{_PEOPLE}|{_PERSON}s?)\b",
    re.I,
)
_TOLL = re.compile(rf"\bdeath\s+toll\s+(?:\w+\s+){{0,3}}?(?:to|of|at)\s+(?P<num>{_NUM})\b", re.I)
_NONE = re.compile(
    r"\b(?:no\s+(?P<what>casualties|injuries|deaths|fatalities|one\s+was\s+(?:hurt|injured|"
    r"killed|wounded))|(?P<nobody>nobody|none)\s+was\s+(?:hurt|injured|killed|wounded))\b",
    re.I,
)


def number_value(word: str) -> int | None:
    """The value of a count as written: "two" → 2, "1,200" → 1200."""
    word = " ".join(word.lower().split())
    if word.replace(",", "").isdigit():
        return int(word.replace(",", ""))
    return NUMBER_WORDS.get(word)


def casualties(doc: Doc) -> list[Casualty]:
    found: list[Casualty] = []
    for index, sentence in enumerate(doc.sents):
        taken: list[Casualty] = []
        for casualty in _in_sentence(doc, sentence.start, sentence.end, index):
            if any(
                casualty.kind == other.kind
                and casualty.start < other.end
                and other.start < casualty.end
                for other in taken
            ):
                continue
            taken.append(casualty)
        found.extend(taken)
    found.sort(key=lambda c: c.start)
    return found


#: a sentence without any of these words counts nobody: one cheap search spares the rest
_CASUALTY_WORD = re.compile(
    r"kill|dead|died|wound|injur|hurt|slain|lives|assassinat|toll|casualt|fatalit|death", re.I
)


_ANY_CASUALTY_WORD = CaseFree(_CASUALTY_WORD)
#: every count pattern, tried only at the words that may begin one
_COUNTS = WordPatterns(
    _COMPOUND_THEN_VERB,
    _VERB_THEN_COMPOUND,
    _TOLL,
    _VERB_THEN_COUNT,
    _COUNT_THEN_VERB,
    _NAMED_VICTIM,
    _NONE,
)


def _in_sentence(doc: Doc, start: int, end: int, index: int) -> Iterator[Casualty]:
    text = doc.text
    if _ANY_CASUALTY_WORD.search(text, doc.lower, start, end) is None:
        return
    compounds, compounds_after, toll, verb_count, count_verb, named, none = _COUNTS.finditer(
        text, doc.lower, start, end
    )
    for found in (compounds, compounds_after):
        for match in found:
            first = number_value(match.group("num"))
            second = number_value(match.group("num2"))
            if second is None:
                continue
            verb = match.group("verb")
            kind = "wounded" if re.match(_WOUND, verb, re.I) else "killed"
            yield Casualty(match.start(), match.end(), (first or 1) + second, kind, index)
    for found in (toll, verb_count, count_verb):
        for match in found:
            count = number_value(match.group("num"))
            if count is None:
                continue
            verb = match.groupdict().get("verb") or "killed"
            kind = "wounded" if re.match(_WOUND, verb, re.I) else "killed"
            yield Casualty(match.start(), match.end(), count, kind, index)
    for match in named:
        yield Casualty(match.start(), match.end(), 1, "killed", index)
    for match in none:
        what = (match.group("what") or "").lower()
        if "injur" in what or "hurt" in what or "wounded" in what:
            yield Casualty(match.start(), match.end(), 0, "wounded", index)
        yield Casualty(match.start(), match.end(), 0, "killed", index)


@component("truce.numbers.v1", requires=("sents",), assigns=("casualties",))
def numbers(pack: TheatrePack) -> Component:
    def run(doc: Doc) -> Doc:
        doc.casualties = casualties(doc)
        return doc

    return run
