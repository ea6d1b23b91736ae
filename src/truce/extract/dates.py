"""`truce.dates.v1`: find date expressions and resolve them to days.

Regular expressions find the candidates; `dateparser` reads only those candidate strings
(never every token), which keeps a document to a few parses. Relative expressions ("on
Tuesday", "yesterday", "last week", "in August") resolve against the publication date; a
document without one keeps only its explicit dates, as the extract contract says.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from dateparser.date import DateDataParser

from truce.core import TimePrecision
from truce.extract.doc import DateMention, Doc
from truce.extract.registry import Component, component
from truce.extract.starts import WordPatterns, first_matches

if TYPE_CHECKING:
    from truce.theatre import TheatrePack

_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})
MONTHS["Sept"] = 9
WEEKDAYS = {
    name: number
    for number, name in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    )
}

# month names are matched case-sensitively: "may" and "march" are common words
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])"
_YEAR = r"(?:19|20)\d\d"

_EXPLICIT = re.compile(
    rf"\b(?:{_WEEKDAY},?\s+)?(?P<month1>{_MONTH})\.?\s+(?P<day1>{_DAY})(?:st|nd|rd|th)?"
    rf"(?:,?\s+(?P<year1>{_YEAR}))?\b(?!\s*(?:%|percent))"
    rf"|\b(?P<day2>{_DAY})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH})\.?"
    rf"(?:,?\s+(?P<year2>{_YEAR}))?(?![\w])"
    r"|\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b"
    r"|(?<![\d.])(?P<num>[0-3]?\d[/.][01]?\d[/.](?:19|20)?\d\d)(?![\d.]\d)"
)
#: every explicit date begins with a capital (of a weekday's or a month's name) or a digit:
#: trying the pattern only there finds what a scan of every character finds, faster
_EXPLICIT_START = re.compile(r"[A-Z\d]")
_MONTH_ONLY = re.compile(
    r"\b(?P<lead>(?i:in|during|since|until|by|from|last|this|next|early|late|mid))\s+"
    r"(?:(?:early|late|mid)-?\s*)?"
    rf"(?P<month>{'|'.join(_MONTH_NAMES)})(?:\s+(?P<year>{_YEAR}))?\b"
    rf"|\b(?P<bare>(?:{'|'.join(_MONTH_NAMES)})\s+(?P<bare_year>{_YEAR}))\b"
)
_WEEKDAY_MENTION = re.compile(
    rf"\b(?:(?P<lead>(?i:last|next|this|this past|this coming|on|early on|late on))\s+)?"
    rf"(?P<day>{_WEEKDAY})\b"
)
_YEAR_END = re.compile(
    r"\b(?:before|by|until|ahead\s+of)\s+the\s+(?:new\s+year|end\s+of\s+(?:the\s+|this\s+)?year)\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"(?<!the\s)\b(?P<word>today|yesterday|overnight\s+into\s+(?:the|this)\s+morning|"
    r"overnight|last night|tonight|this morning|"
    r"this afternoon|this evening|earlier today|earlier this week|this week|last week|"
    r"earlier this month|this month|last month|next week|next month)\b",
    re.IGNORECASE,
)
#: a day counted back from the date told before it ("on Wednesday condemned a strike ...
#: the day before")
_DAY_BEFORE = re.compile(
    r"\b(?:the\s+day\s+before|the\s+previous\s+day|the\s+day\s+earlier|a\s+day\s+earlier)\b"
    r"(?!\s+(?:that|the|a|an|his|her|their|its)\b)",
    re.IGNORECASE,
)
#: the patterns that begin with a word, tried only where a word begins as they can
_WORDED = WordPatterns(_MONTH_ONLY, _WEEKDAY_MENTION, _RELATIVE, _YEAR_END, _DAY_BEFORE)
_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|next|scheduled|expected|due|set to|planned|plans? to|upcoming|to be held)\b",
    re.IGNORECASE,
)

#: publication dates outside this range resolve nothing relative (no year 0 or 10000)
EARLIEST = dt.date(2, 1, 1)
LATEST = dt.date(9998, 12, 1)

_RELATIVE_DAYS: dict[str, tuple[int, TimePrecision]] = {
    "today": (0, TimePrecision.DAY),
    "tonight": (0, TimePrecision.DAY),
    "this morning": (0, TimePrecision.DAY),
    "this afternoon": (0, TimePrecision.DAY),
    "this evening": (0, TimePrecision.DAY),
    "earlier today": (0, TimePrecision.DAY),
    "yesterday": (1, TimePrecision.DAY),
    "overnight": (1, TimePrecision.DAY),
    # the night that ran into the morning of publication
    "overnight into the morning": (0, TimePrecision.DAY),
    "overnight into this morning": (0, TimePrecision.DAY),
    "last night": (1, TimePrecision.DAY),
    "this week": (0, TimePrecision.WEEK),
    "earlier this week": (2, TimePrecision.WEEK),
    "last week": (7, TimePrecision.WEEK),
    "next week": (-7, TimePrecision.WEEK),
}


class DateFinder:
    """Finds and resolves the dates of one text; holds the one dateparser instance."""

    def __init__(self) -> None:
        self._parser = DateDataParser(
            languages=["en"],
            settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"},
        )

    def find(self, text: str, published: dt.date | None) -> list[DateMention]:
        """Date mentions of `text`, in order, none overlapping (explicit dates win)."""
        if published is not None and not EARLIEST <= published <= LATEST:
            published = None  # too near the calendar's ends to count back or forward from
        lower = text.lower()
        months, weekdays, relative, year_end, days_before = _WORDED.finditer(
            text, lower if len(lower) == len(text) else None
        )
        kinds: list[Iterator[DateMention]] = [
            self._explicit(text, published),
            self._months(text, months, published),
        ]
        if published is not None:
            kinds += [
                self._weekdays(text, weekdays, published),
                self._relative(relative, published),
                self._year_end(year_end, published),
            ]
        ranked = sorted(
            ((rank, mention) for rank, found in enumerate(kinds) for mention in found),
            key=lambda item: (item[1].start, item[0]),
        )
        kept: list[tuple[int, DateMention]] = []
        for rank, mention in ranked:
            if kept and mention.start < kept[-1][1].end:
                if rank < kept[-1][0]:
                    kept[-1] = (rank, mention)
                continue
            kept.append((rank, mention))
        return _with_days_before(days_before, [mention for _, mention in kept], published)

    def _explicit(self, text: str, published: dt.date | None) -> Iterator[DateMention]:
        offsets = [found.start() for found in _EXPLICIT_START.finditer(text)]
        for match in first_matches(_EXPLICIT, text, offsets, len(text)):
            value, has_year = self._read_explicit(match)
            if value is None:
                continue
            if not has_year:
                if published is None:
                    continue
                value = _nearest_year(value.month, value.day, published)
                if value is None:
                    continue
            rule = "explicit date" if has_year else "explicit date, year nearest publication"
            yield DateMention(
                match.start(), match.end(), value, TimePrecision.DAY, not has_year, rule
            )

    def _read_explicit(self, match: re.Match[str]) -> tuple[dt.date | None, bool]:
        """The date a candidate names (any year, when it gives none) and whether it gives one."""
        if match.group("num"):
            # day and month order is ambiguous in digits: dateparser decides (day first)
            parsed = self._parser.get_date_data(match.group("num"))
            return (parsed.date_obj.date() if parsed.date_obj else None), True
        if match.group("iso"):
            try:
                return dt.date.fromisoformat(match.group("iso")), True
            except ValueError:
                return None, True
        month = MONTHS[match.group("month1") or match.group("month2")]
        day = int(match.group("day1") or match.group("day2"))
        year_text = match.group("year1") or match.group("year2")
        try:  # a leap year stands in for a missing year, so that 29 February is a date
            return dt.date(int(year_text) if year_text else 2000, month, day), bool(year_text)
        except ValueError:
            return None, bool(year_text)

    def _months(
        self, text: str, found: Iterator[re.Match[str]], published: dt.date | None
    ) -> Iterator[DateMention]:
        for match in found:
            month = MONTHS[match.group("month") or match.group("bare").split()[0]]
            year_text = match.group("year") or match.group("bare_year")
            if year_text:
                value = dt.date(int(year_text), month, 15)
                relative = False
            elif published is None:
                continue
            else:
                lead = (match.group("lead") or "").lower()
                forward = lead == "next" or _future(text, match.start())
                value = _month_near(month, published, forward=forward)
                relative = True
            rule = "month alone: its 15th" + (", year nearest publication" if relative else "")
            yield DateMention(
                match.start(), match.end(), value, TimePrecision.MONTH, relative, rule
            )

    def _weekdays(
        self, text: str, found: Iterator[re.Match[str]], published: dt.date
    ) -> Iterator[DateMention]:
        for match in found:
            weekday = WEEKDAYS[match.group("day")]
            lead = (match.group("lead") or "").lower()
            back = (published.weekday() - weekday) % 7
            if (
                lead == "next"
                or lead == "this coming"
                or (lead != "last" and _future(text, match.start()))
            ):
                value = published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
            else:
                if lead == "last" and back == 0:
                    back = 7
                value = published - dt.timedelta(days=back)
            rule = "weekday, " + ("next after" if value > published else "last on or before")
            yield DateMention(
                match.start(), match.end(), value, TimePrecision.DAY, True, rule + " publication"
            )

    def _relative(
        self, found: Iterator[re.Match[str]], published: dt.date
    ) -> Iterator[DateMention]:
        for match in found:
            word = " ".join(match.group("word").lower().split())
            if word in _RELATIVE_DAYS:
                days, precision = _RELATIVE_DAYS[word]
                value = published - dt.timedelta(days=days)
            elif word == "next month":
                after = published.replace(day=28) + dt.timedelta(days=4)
                value, precision = after.replace(day=15), TimePrecision.MONTH
            else:  # this month, earlier this month, last month
                first = published.replace(day=1)
                if word == "last month":
                    first = (first - dt.timedelta(days=1)).replace(day=1)
                value, precision = min(first.replace(day=15), published), TimePrecision.MONTH
            rule = f"relative to publication ({word!r})"
            yield DateMention(match.start(), match.end(), value, precision, True, rule)

    def _year_end(
        self, found: Iterator[re.Match[str]], published: dt.date
    ) -> Iterator[DateMention]:
        for match in found:
            value = dt.date(published.year, 12, 31)
            yield DateMention(
                match.start(), match.end(), value, TimePrecision.MONTH, True, "year's end"
            )


def _with_days_before(
    found: Iterator[re.Match[str]], mentions: list[DateMention], published: dt.date | None
) -> list[DateMention]:
    """`mentions` and each "the day before" `found`: the day before the last day told ahead
    of it in the text (or before publication, when none is)."""
    added = []
    for match in found:
        if any(m.start < match.end() and match.start() < m.end for m in mentions):
            continue
        told = [m for m in mentions if m.end <= match.start() and m.precision == TimePrecision.DAY]
        if told:
            anchor, relative, rule = (
                told[-1].value,
                told[-1].relative,
                "the day before the date told before",
            )
        elif published is not None:
            anchor, relative, rule = published, True, "the day before publication"
        else:
            continue
        value = anchor - dt.timedelta(days=1)
        added.append(
            DateMention(match.start(), match.end(), value, TimePrecision.DAY, relative, rule)
        )
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda m: m.start)


def _future(text: str, position: int) -> bool:
    """Whether the words just before `position` (same sentence, roughly) look ahead."""
    window = text[max(0, position - 40) : position]
    window = re.split(r"[,;.!?\n]", window)[-1]
    return _FUTURE_CUE.search(window) is not None


def _nearest_year(month: int, day: int, published: dt.date) -> dt.date | None:
    """The day `month`/`day` in the year that puts it nearest the publication date."""
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(dt.date(year, month, day))
        except ValueError:  # 29 February outside a leap year
            continue
    return min(options, key=lambda day_: abs((day_ - published).days), default=None)


def _month_near(month: int, published: dt.date, *, forward: bool) -> dt.date:
    """Mid-`month` of the latest year on or before publication (the next one if `forward`)."""
    year = published.year
    if forward and month < published.month:
        year += 1
    elif not forward and month > published.month:
        year -= 1
    value = dt.date(year, month, 15)
    return value if forward else min(value, published)


@component("truce.dates.v1", assigns=("dates", "problems"))
def dates(pack: TheatrePack) -> Component:
    finder = DateFinder()

    def run(doc: Doc) -> Doc:
        doc.dates = finder.find(doc.text, doc.published)
        if doc.published is None and (
            _WEEKDAY_MENTION.search(doc.text) or _RELATIVE.search(doc.text)
        ):
            doc.problems.append(
                "no publication date: relative dates (weekdays, 'yesterday') left unresolved"
            )
        return doc

    return run
