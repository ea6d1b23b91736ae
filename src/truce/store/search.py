"""Free-text search: user text -> a safe FTS5 MATCH or tsquery condition on events.

Whatever the user types, only words reach the search syntax, each one quoted: quotes,
operators (`NEAR(`, `*`, `AND`, `-`), SQL and unbalanced anything are just separators or
quoted words. Every word must match, as a prefix of an indexed word ("strike" finds
"strikes"). Both backends tokenise on letters, digits and combining marks.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from truce.store.schema import FTS_TABLE, events

#: more words than this are ignored: a search is a few words, not a document
MAX_TERMS = 32


def search_terms(text: str | None) -> list[str]:
    """The words of a search, in order, without duplicates."""
    if not text:
        return []
    terms: list[str] = []
    word: list[str] = []
    for char in f"{text} ":
        if unicodedata.category(char)[0] in "LNM":
            word.append(char)
        elif word:
            term = "".join(word).lower()  # only to drop repeats: both indexes fold case
            if term not in terms:
                terms.append(term)
            word = []
    return terms[:MAX_TERMS]


def fts5_match(terms: list[str]) -> str:
    """An FTS5 query: each term a quoted prefix phrase; side by side means AND."""
    return " ".join('"{}"*'.format(term.replace('"', '""')) for term in terms)


def tsquery(terms: list[str]) -> str:
    """A PostgreSQL tsquery: each term a quoted prefix lexeme, joined with &."""
    return " & ".join(
        "'{}':*".format(term.replace("\\", "\\\\").replace("'", "''")) for term in terms
    )


def text_condition(terms: list[str], dialect: str, by_date: bool = False) -> ColumnElement[bool]:
    """events.id among the events whose indexed text matches every term.

    `by_date` keeps SQLite from driving the query by the matches' ids (it looks each one up,
    then sorts them all): with many matches, walking the date index and testing membership
    reaches a page sooner.
    """
    event_id: ColumnElement[int] = events.c.id
    if dialect == "sqlite" and by_date:
        event_id = events.c.id + 0  # an expression, so no index is used to drive the join
    return event_id.in_(_matching_ids(terms, dialect))


def text_count(terms: list[str], dialect: str) -> sa.Select[int]:
    """How many events match every term, from the search index alone."""
    return sa.select(sa.func.count()).select_from(_matching_ids(terms, dialect).subquery())


def _matching_ids(terms: list[str], dialect: str) -> sa.Select[int]:
    if dialect == "sqlite":
        fts = sa.table(FTS_TABLE, sa.column("rowid", sa.Integer))
        return sa.select(fts.c.rowid).where(
            sa.literal_column(FTS_TABLE).op("MATCH")(sa.bindparam("fts_query", fts5_match(terms)))
        )
    fts = sa.table(FTS_TABLE, sa.column("event_id", sa.Integer), sa.column("document"))
    query = sa.func.to_tsquery(
        sa.literal_column("'simple'::regconfig"), sa.bindparam("fts_query", tsquery(terms))
    )
    return sa.select(fts.c.event_id).where(fts.c.document.op("@@")(query))
