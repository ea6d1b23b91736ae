"""Name keys: how a place name is reduced so that its transliterations meet.

Two keys are derived from every name, at build time for the gazetteer file and at run time
for the text being read, by the same functions (the file records `KEY_VERSION` so a changed
function cannot silently meet an old file):

* `fold(name)`: case, diacritics, apostrophes and hyphens gone, Arabic articles dropped, Arabic
  and Hebrew letter variants unified. "Bent Jbaïl" and "bent-jbail" fold alike; so do
  "al-Khiam" and "Khiam", "Aita al-Shaab" and "Aita ash-Shaab".
* `skeleton(folded)`: the consonant skeleton of a folded key, so that spelling shifts between
  French, English and scholarly transliterations meet too: Kfar/Kafr, Aita/Ayta/Aitaa, ou/u,
  sh/ch, -eh/-ieh/-iyeh, doubled letters, q/k, j/dj, tz/ts/z. Looser, so matches on it rank
  lower. An Arabic-script name has a Latin skeleton too (`latin_skeleton`): عرسال meets Arsal.
* `phonetic(folded)`: the skeleton with its vowels reduced to a, i and u: how alike two
  names of one skeleton sound ("Shama" and "Chamaa" are both "sama"; "Sham" is "sam",
  "Ain el Helweh" and "Aïn el Hiloué" are both "ainhilui").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

#: bump when fold() or skeleton() change; the gazetteer file must be rebuilt to match
KEY_VERSION: Final = 2

#: Arabic articles as transliterated (al-, el-, and the sun-letter forms), and English "the"
ARTICLES: Final = frozenset(
    {
        "al", "el", "il", "ul", "l",
        "ad", "ed", "adh", "edh",
        "ar", "er",
        "as", "es", "ash", "esh", "ech", "ach",
        "at", "et", "ath", "eth",
        "az", "ez",
        "an", "en",
        "ag", "ej", "aj",
        "the",
    }
)  # fmt: skip

# Characters that are not letters but sit inside names: apostrophes and ayn/hamza signs join
# (Zar'it = Zarit, Ba`albek = Baalbek); every other separator splits.
JOINERS: Final = "'’‘`´ʼʻʿʾ′ʹ\u05f3\u05f4"
_LETTER_FIXES: Final = {
    "ı": "i", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ł": "l",
    "þ": "th", "ħ": "h",
    # Arabic letter variants: hamza carriers, ta marbuta, alif maqsura, Persian forms
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي",
    "ک": "ك", "ی": "ي", "ـ": "",
    # Hebrew final forms
    "ך": "כ", "ם": "מ", "ן": "נ", "ף": "פ", "ץ": "צ",
}  # fmt: skip
_TRANSLATE: Final = str.maketrans({**dict.fromkeys(JOINERS, ""), **_LETTER_FIXES})
_SEPARATORS: Final = re.compile(r"[\W_]+")
_ARABIC_ARTICLE: Final = "ال"


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """The folded key of a name ("" when nothing letter-like is left)."""
    text = _strip_marks(name).casefold().translate(_TRANSLATE)
    tokens = [t for t in _SEPARATORS.split(text) if t]
    kept = []
    for token in tokens:
        if token in ARTICLES:
            continue
        if token.startswith(_ARABIC_ARTICLE) and len(token) > 3:
            token = token[2:]
        kept.append(token)
    if not kept:  # a name made only of article-like words ("El") stays itself
        kept = tokens
    return " ".join(kept)


# Digraphs first (longest first), then single letters. Vowels and the semivowels y/w drop
# out: transliterations disagree on them more than on anything else.
_LATIN_DIGRAPHS: Final = (
    ("kh", "x"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "d"),
    ("ph", "f"), ("dj", "j"), ("zh", "z"), ("ck", "k"), ("tz", "z"), ("ts", "z"),
)  # fmt: skip
_LATIN_SINGLES: Final = str.maketrans({"q": "k", "c": "k", **dict.fromkeys("aeiouyw", "")})
_LATIN_CONSONANTS: Final = str.maketrans(
    {"q": "k", "c": "k", "e": "i", "y": "i", "o": "u", "w": "u"}
)
_ARABIC_WEAK: Final = str.maketrans(dict.fromkeys("اويءه", ""))
_HEBREW_WEAK: Final = str.maketrans(dict.fromkeys("ויא", ""))
_VOWELS: Final = frozenset("aeiouyw")


def _latin_consonants(token: str, vowels: bool) -> str:
    """Digraphs and letters of the skeleton; vowels dropped, or kept as a, i or u."""
    # a final h after a vowel is the -eh/-ah/-ieh ending, not a consonant
    if len(token) > 2 and token[-1] == "h" and token[-2] in _VOWELS:
        token = token[:-1]
    for digraph, replacement in _LATIN_DIGRAPHS:
        if digraph in token:
            token = token.replace(digraph, replacement)
    return token.translate(_LATIN_CONSONANTS if vowels else _LATIN_SINGLES)


def _skeleton_token(token: str) -> str:
    if token.isascii():
        return _latin_consonants(token, vowels=False)
    if "\u0590" <= token[0] <= "\u05ff":
        return token.translate(_HEBREW_WEAK)
    return token.translate(_ARABIC_WEAK)


def _single(text: str) -> str:
    """Doubled letters count once."""
    out: list[str] = []
    for char in text:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=65536)
def skeleton(folded: str) -> str:
    """The consonant skeleton of a folded key, spaces dropped ("" when none is left)."""
    # joined without spaces: "Kfarkela" and "Kfar Kila" are one name written two ways, and so
    # are "Kfarroummane" and "Kfar Roummane"
    return _single("".join(_skeleton_token(t) for t in folded.split(" ") if t))


@lru_cache(maxsize=65536)
def phonetic(folded: str) -> str:
    """The skeleton with vowels kept as a, i (e, i, y) or u (o, u, w), doubles once (Latin
    script; other scripts: the skeleton)."""
    if not folded.isascii():
        return skeleton(folded)
    return _single("".join(_latin_consonants(t, vowels=True) for t in folded.split(" ") if t))


# Arabic letters as the Latin skeleton writes them: long vowels, ayn and hamza drop out as
# Latin vowels do; emphatic and plain consonants meet (ص = س = s, ط = ت = t)
_ARABIC_TO_LATIN: Final = str.maketrans(
    {
        "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "x", "د": "d", "ذ": "d",
        "ر": "r", "ز": "z", "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
        "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
        "پ": "p", "چ": "j", "ڤ": "v", "گ": "g",
        **dict.fromkeys("اوىيءعآأإؤئ", ""),
    }
)  # fmt: skip
#: the same, with long vowels kept as phonetic() keeps Latin ones
_ARABIC_TO_SOUND: Final = {
    **_ARABIC_TO_LATIN,
    **str.maketrans({"ا": "a", "آ": "a", "أ": "a", "إ": "i", "و": "u", "ؤ": "u", "ي": "i",
                     "ى": "a", "ئ": "i"}),
}  # fmt: skip
_ARABIC_LETTERS: Final = re.compile(r"^[\u0621-\u064a\u067e\u0686\u06a4\u06af]+$")


@lru_cache(maxsize=16384)
def latin_skeleton(folded: str) -> str:
    """The Latin skeleton an Arabic-script folded key would have ("" for other scripts)."""
    out = []
    for token in folded.split(" "):
        if not _ARABIC_LETTERS.match(token):
            return ""
        # the ending -a/-e/-eh (ة, folded to ه) is a vowel in Latin spellings
        if len(token) > 2 and token[-1] == "ه":
            token = token[:-1]
        out.append(token.translate(_ARABIC_TO_LATIN))
    return _single("".join(out))


@lru_cache(maxsize=16384)
def latin_phonetic(folded: str) -> str:
    """What `phonetic` would give for a Latin spelling of an Arabic-script folded key."""
    if not latin_skeleton(folded):
        return ""
    tokens = [t[:-1] if len(t) > 2 and t[-1] == "ه" else t for t in folded.split(" ")]
    return _single("".join(t.translate(_ARABIC_TO_SOUND) for t in tokens))


def keys(name: str) -> tuple[str, str]:
    """Both keys of a name: (folded, skeleton)."""
    folded = fold(name)
    return folded, skeleton(folded)
