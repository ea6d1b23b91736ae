"""Dates: explicit, relative to publication, weekdays, weeks and months."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from truce.core import TimePrecision
from truce.extract import dates
from truce.extract.dates import DateFinder
from truce.extract.starts import first_matches

# 2026-01-14 is a Wednesday
PUBLISHED = dt.date(2026, 1, 14)


@pytest.fixture(scope="module")
def finder() -> DateFinder:
    return DateFinder()


def resolve(
    finder: DateFinder, text: str, published: dt.date | None = PUBLISHED
) -> list[tuple[str, dt.date, int]]:
    return [
        (text[m.start : m.end], m.value, int(m.precision)) for m in finder.find(text, published)
    ]


def test_explicit_dates_with_and_without_year(finder: DateFinder) -> None:
    text = "On 3 March 2024 and on Dec. 28 and on January 9, 2026 and on 2025-11-02."
    assert [value for _, value, _ in resolve(finder, text)] == [
        dt.date(2024, 3, 3),
        dt.date(2025, 12, 28),  # no year: the one nearest publication
        dt.date(2026, 1, 9),
        dt.date(2025, 11, 2),
    ]


def test_weekdays_resolve_to_the_latest_such_day_on_or_before_publication(
    finder: DateFinder,
) -> None:
    found = resolve(finder, "It happened on Monday. Talks began on Wednesday.")
    assert [(surface, value) for surface, value, _ in found] == [
        ("on Monday", dt.date(2026, 1, 12)),
        ("on Wednesday", dt.date(2026, 1, 14)),
    ]


def test_next_weekday_and_future_cues_look_forward(finder: DateFinder) -> None:
    found = resolve(finder, "They will meet on Friday. The next round is due next Monday.")
    assert [value for _, value, _ in found] == [dt.date(2026, 1, 16), dt.date(2026, 1, 19)]


def test_relative_days_weeks_and_months(finder: DateFinder) -> None:
    text = "A strike yesterday, shelling overnight, clashes last week and a plan passed in August."
    found = {surface: (value, precision) for surface, value, precision in resolve(finder, text)}
    assert found["yesterday"] == (dt.date(2026, 1, 13), TimePrecision.DAY)
    assert found["overnight"] == (dt.date(2026, 1, 13), TimePrecision.DAY)
    assert found["last week"] == (dt.date(2026, 1, 7), TimePrecision.WEEK)
    assert found["in August"] == (dt.date(2025, 8, 15), TimePrecision.MONTH)


def test_without_publication_only_explicit_dates_resolve(finder: DateFinder) -> None:
    text = "On Monday, and yesterday, and on 5 May 2025, and in June 2024, and on Dec. 3."
    found = resolve(finder, text, published=None)
    assert [value for _, value, _ in found] == [dt.date(2025, 5, 5), dt.date(2024, 6, 15)]


def test_explicit_date_wins_over_its_weekday(finder: DateFinder) -> None:
    found = resolve(finder, "The strike on Tuesday, Jan. 6 was the first.")
    assert [value for _, value, _ in found] == [dt.date(2026, 1, 6)]


def test_may_as_a_verb_is_no_month(finder: DateFinder) -> None:
    assert resolve(finder, "Israel may strike again, officials said.") == []


@pytest.mark.parametrize("published", [dt.date.min, dt.date.max, dt.date(1, 1, 2)])
def test_extreme_publication_dates_resolve_only_explicit_dates(
    finder: DateFinder, published: dt.date
) -> None:
    found = resolve(finder, "Yesterday, on Monday, in August, on 4 May 2020.", published)
    assert [value for _, value, _ in found] == [dt.date(2020, 5, 4)]


_DATE_SOUP = (
    "on Tuesday, March 3 2025 12 March 2024 2024-03-12 12/3/2024 x12/3/24 3.12.2024 "
    "IDF12/3/2024 May 5th 5 of May, 2023 Sept. 9 Nov 27 Tues March 99% 31 Dec ٣/٣/٢٠٢٤"
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_DATE_SOUP.split(" ")), max_size=20))
def test_explicit_dates_tried_at_capitals_and_digits_are_all_of_them(words: list[str]) -> None:
    text = " ".join(words)
    offsets = [found.start() for found in dates._EXPLICIT_START.finditer(text)]
    tried = first_matches(dates._EXPLICIT, text, offsets, len(text))
    assert [m.span() for m in tried] == [m.span() for m in dates._EXPLICIT.finditer(text)]
