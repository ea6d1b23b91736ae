"""`truce.places.v1`: place names in the text, with the gazetteer's best reading of each.

The gazetteer (with the theatre pack's curated places) finds the names; this component
adds how each is tied into its sentence: the preposition before it ("in", "near", "from",
"north of", "in the area of") and so the ACLED geo precision an event placed there has.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from truce.core import GeoPrecision
from truce.extract.doc import Doc, PlaceHit
from truce.extract.lowered import CaseFree
from truce.extract.registry import Component, component
from truce.geo import Gazetteer

if TYPE_CHECKING:
    from truce.theatre import TheatrePack

#: the gazetteer reads a long text in pieces of about this many characters: it ranks a
#: name's readings by the other places of the same text, which far away say little
CHUNK_CHARS = 20_000

#: relations that put an event in or at the place itself
LOCATIVE = frozenset({"in", "on", "at", "into", "over", "inside", "targeting", "struck", "hit"})
#: relations that name a landmark across from where it happened, never the place itself
OPPOSITE = "opposite"
#: relations that put it only near the place (ACLED geo precision 2)
NEAR = frozenset({"near", "outside", "around", "off", "close to", "outskirts of", "area of"})

_DIRECTION = r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?"
_RELATION = re.compile(
    r"\b(?P<rel>in|on|at|into|over|inside|near|outside|around|off|close\s+to|from|to|towards?|"
    r"opposite|facing|overlooking|across\s+from|"
    r"between|across|through|targeting|struck|hit|of|"
    rf"{_DIRECTION}\s+of|(?:the\s+)?(?:outskirts|area|vicinity|edge|centre|center|heart)\s+of|"
    r"(?:the\s+)?(?:[a-z]+\s+)?(?:entrances?|gates?|approach(?:es)?)\s+to)\s+"
    r"(?:the\s+)?(?:(?:southern|northern|eastern|western|border|coastal|frontier|central|nearby|"
    rf"{_DIRECTION}|Lebanese|Israeli|Syrian)\s+)*"
    r"(?:(?:town|village|city|area|region|district|outskirts|vicinity|suburbs?|edge|"
    r"municipality|hills?|plain|border\s+town|border\s+village|community|kibbutz|moshav|"
    r"settlement)\s+of\s+)?"
    r"(?:(?:the\s+)?(?:outskirts|area|vicinity|edge)\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)


_RELATION_ANY_CASE = CaseFree(_RELATION)


#: what joins the names of a list ("Tyre, Sidon and Nabatieh")
_LISTED = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)\s*(?:the\s+)?")


#: a district of a place named before ("in the city's Qobbeh district")
_PART_OF = re.compile(r"\bthe\s+(?:city|town|village|capital|camp)['\u2019]s\s+$", re.I)


#: a word after a name that makes it an area or a water, not the town ("Kharkiv region")
_AREA_AFTER = re.compile(
    r"\s+(region|oblast|province|governorate|state|district|countryside|river|valley|lake|"
    r"reservoir)\b",
    re.I,
)
_WATERS = frozenset({"river", "lake", "reservoir"})


def relation_before(text: str, start: int, lower: str | None = None) -> str:
    """The word tying a place name at `start` to its sentence, normalised ("north of");
    `lower` is the text lower-cased, where that keeps its offsets (it is faster)."""
    found = _RELATION_ANY_CASE.search(text, lower, max(0, start - 80), start)
    if found is None:
        return ""
    relation = " ".join(found.group("rel").lower().split())
    if relation.startswith("the "):
        relation = relation[4:]
    if relation.endswith(" of") and relation.split(" ")[0] in (
        "north", "south", "east", "west", "northern", "southern", "eastern", "western",
        "northeast", "northwest", "southeast", "southwest",
    ):  # fmt: skip
        return "near"
    if relation.endswith(" to"):
        return "near"  # "at the northern entrance to Tyre"
    if relation in ("vicinity of", "edge of"):
        return "near"
    if relation == "overlooking":
        return "near"  # "a hill overlooking Khan Arnabah": beside it, above it
    if relation in ("facing", "across from"):
        return "opposite"
    if relation in ("centre of", "center of", "heart of"):
        return "in"
    tail = found.group().lower()
    if relation in LOCATIVE and re.search(r"\b(?:outskirts|area|vicinity|edge)\s+of", tail):
        return "near"
    return relation


def precision_of(hit_precision: GeoPrecision, relation: str) -> GeoPrecision:
    if relation in NEAR:
        return max(hit_precision, GeoPrecision.NEAR_OR_PART)
    return hit_precision


def chunks(doc: Doc, size: int = CHUNK_CHARS) -> Iterator[tuple[int, int]]:
    """Runs of whole sentences of about `size` characters, covering every sentence."""
    if not doc.sents:
        return
    start = doc.sents[0].start
    for previous, sentence in itertools.pairwise(doc.sents):
        if sentence.end - start > size:
            yield start, previous.end
            start = sentence.start
    yield start, doc.sents[-1].end


def find_places(gazetteer: Gazetteer, doc: Doc) -> list[PlaceHit]:
    text = doc.text
    hits: list[PlaceHit] = []
    for start, end in chunks(doc):
        for mention in gazetteer.find_mentions(text[start:end]):
            if not mention.candidates:
                continue
            place = mention.candidates[0]
            relation = relation_before(text, start + mention.start, doc.lower)
            if (
                not relation
                and hits
                and _LISTED.fullmatch(text, hits[-1].end, start + mention.start)
            ):
                relation = hits[-1].relation  # "in Majdal Zoun and Yohmor": both "in"
            precision = precision_of(place.geo_precision, relation)
            area = _AREA_AFTER.match(text, start + mention.end)
            if area is not None and area.group(1).lower() in _WATERS:
                continue  # "the Dnipro river": a river, not the town of the same name
            if area is not None:
                precision = GeoPrecision.REGION  # "the Donetsk region": only the region is known
            if _PART_OF.search(text, max(0, start + mention.start - 30), start + mention.start):
                relation = "part of"  # "the city's Qobbeh district": the city named before
            hits.append(
                PlaceHit(
                    start + mention.start,
                    start + mention.end,
                    mention.surface,
                    place,
                    relation,
                    precision,
                )
            )
    return hits


@component("truce.places.v1", requires=("sents",), assigns=("places",))
def places(pack: TheatrePack) -> Component:
    gazetteer = Gazetteer.load().with_extras(pack.places)

    def run(doc: Doc) -> Doc:
        doc.places = find_places(gazetteer, doc)
        return doc

    return run
