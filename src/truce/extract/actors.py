"""`truce.actors.v1`: names and phrases of the theatre's actor registry found in the text.

Every alias of every actor of the pack is matched on word boundaries, longest first;
all-capital aliases ("IDF") only in capitals, the rest in any case, with either kind of
apostrophe and an optional plural ending ("Israeli drones"). Each match names its actor
through the pack's own `actor_for`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from truce.core import Actor
from truce.extract.doc import ActorMention, Doc
from truce.extract.registry import Component, component

if TYPE_CHECKING:
    from truce.theatre import TheatrePack

#: words after a name that make it a place of origin, not an actor ("from Syrian territory")
_NOT_AN_ACTOR = re.compile(r"\s+(?:territory|soil|side|airspace|waters|border)\b", re.I)


# a possessive "'s" is not part of the word: "Hezbollah's" names Hezbollah
_WORD = re.compile(r"(?:\w\.){2,}|\w+(?:['\u2019](?!s\b)\w+)*")
_JOIN = re.compile(r"[ \t-]+")


class ActorFinder:
    """Finds the pack's actors in a text by looking up runs of words, longest first."""

    def __init__(self, pack: TheatrePack) -> None:
        self._pack = pack
        self._by_alias: dict[str, Actor] = {}
        self._capitals: set[str] = set()  # aliases that match only in capitals ("IDF")
        for alias, actor in pack.actor_aliases():
            key = _key(alias)
            if not key:
                continue
            self._by_alias.setdefault(key, actor)
            if alias.isupper():
                self._capitals.add(key)
        self._first_words = {key.split(" ")[0] for key in self._by_alias}
        #: the words a longer alias begins with ("israeli", "israeli air" for "israeli air
        #: force"): a run of words that is none of these goes on into no alias
        self._heads = {
            " ".join(words[:n])
            for words in (key.split(" ") for key in self._by_alias)
            for n in range(1, len(words))
        }
        self._longest = max((len(key.split(" ")) for key in self._by_alias), default=0)

    def find(self, text: str) -> list[ActorMention]:
        words = list(_WORD.finditer(text))
        found: list[ActorMention] = []
        i = 0
        while i < len(words):
            if words[i].group().lower() not in self._first_words:
                i += 1
                continue
            hit = self._longest_at(text, words, i)
            if hit is None:
                i += 1
                continue
            mention, i = hit
            if not _NOT_AN_ACTOR.match(text, mention.end):
                found.append(mention)
        return found

    def _longest_at(
        self, text: str, words: list[re.Match[str]], i: int
    ) -> tuple[ActorMention, int] | None:
        stop = i + 1
        while stop < len(words) and stop - i < self._longest:
            if not _JOIN.fullmatch(text, words[stop - 1].end(), words[stop].start()):
                break
            if _key(text[words[i].start() : words[stop - 1].end()]) not in self._heads:
                break
            stop += 1
        for j in range(stop, i, -1):
            start, end = words[i].start(), words[j - 1].end()
            surface = text[start:end]
            actor = self._actor_of(surface)
            if actor is not None:
                return ActorMention(start, end, surface, actor), j
        return None

    def _actor_of(self, surface: str) -> Actor | None:
        key = _key(surface)
        for candidate in (key, _singular(key)):
            actor = self._by_alias.get(candidate)
            if actor is None or (candidate in self._capitals and not surface.isupper()):
                continue
            return self._pack.actor_for(surface) or actor
        return None

    def actor_for(self, surface: str) -> Actor | None:
        """The actor a phrase names, by the pack's own look-up first."""
        return self._pack.actor_for(surface) or self._actor_of(surface)


def _singular(key: str) -> str:
    """The key with a plural ending taken off its last word ("israeli drones")."""
    if key.endswith("ies"):
        return key[:-3] + "y"
    if key.endswith("es") and key[-3:-2] in ("s", "x", "z", "h"):
        return key[:-2]
    return key[:-1] if key.endswith("s") and not key.endswith("ss") else key


def _key(alias: str) -> str:
    """Case, dots ("U.S."), hyphens and apostrophe styles do not matter."""
    return " ".join(alias.replace("\u2019", "'").replace("-", " ").replace(".", "").lower().split())


@component("truce.actors.v1", assigns=("actors",))
def actors(pack: TheatrePack) -> Component:
    finder = ActorFinder(pack)

    def run(doc: Doc) -> Doc:
        doc.actors = finder.find(doc.text)
        return doc

    return run
