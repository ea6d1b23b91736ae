"""Each reader on real files: text, Markdown, JSON Lines, HTML, RSS and Atom."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pytest

from truce.core.errors import DocumentError, InputError
from truce.core.models import Document
from truce.ingest.readers import read_path

DEC_1 = dt.date(2024, 12, 1)


def split(items: Iterable[Document | InputError]) -> tuple[list[Document], list[InputError]]:
    read = list(items)
    return (
        [item for item in read if isinstance(item, Document)],
        [item for item in read if isinstance(item, InputError)],
    )


def read_one(path: Path, *, published: dt.date | None = None) -> Document:
    docs, errors = split(read_path(path, published=published))
    assert errors == []
    assert len(docs) == 1
    return docs[0]


# --- plain text and Markdown -------------------------------------------------------------


def test_text_without_front_matter_is_all_body_and_named_after_its_file(tmp_path: Path) -> None:
    body = "Israeli jets struck a site near Nabatieh.\n\nNo casualties were reported.\n"
    path = tmp_path / "nabatieh-strike.txt"
    path.write_text(body, encoding="utf-8")

    doc = read_one(path)

    assert doc.id == "nabatieh-strike"
    assert doc.text == body
    assert doc.published is None
    assert doc.title is None


def test_published_option_dates_a_text_without_a_date(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("The committee met on Monday.\n", encoding="utf-8")

    assert read_one(path, published=DEC_1).published == DEC_1


def test_front_matter_fields_are_read_and_the_body_follows_it(tmp_path: Path) -> None:
    body = "An Israeli drone strike hit a car near Tyre on Monday.\n"
    path = tmp_path / "tyre.txt"
    path.write_text(
        "---\n"
        "title: Drone strike near Tyre\n"
        "published: 2024-12-02\n"
        "source: Example Wire\n"
        "url: https://wire.example.org/tyre\n"
        "id: wire-2024-12-02-tyre\n"
        "tags: [lebanon, strike]\n"
        "---\n" + body,
        encoding="utf-8",
    )

    doc = read_one(path, published=DEC_1)

    assert doc.id == "wire-2024-12-02-tyre"
    assert doc.title == "Drone strike near Tyre"
    assert doc.published == dt.date(2024, 12, 2)  # the file's own date wins over --published
    assert doc.source == "Example Wire"
    assert doc.url == "https://wire.example.org/tyre"
    assert doc.text == body


def test_front_matter_date_key_and_timestamps_are_publication_dates(tmp_path: Path) -> None:
    dated = tmp_path / "dated.txt"
    dated.write_text("---\ndate: 2024-12-03\n---\nText.\n", encoding="utf-8")
    stamped = tmp_path / "stamped.txt"
    stamped.write_text("---\npublished: '2024-12-03T08:15:00+02:00'\n---\nText.\n", "utf-8")

    assert read_one(dated).published == dt.date(2024, 12, 3)
    assert read_one(stamped).published == dt.datetime(
        2024, 12, 3, 8, 15, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )


def test_markdown_keeps_its_markup_and_takes_its_title_from_the_first_heading(
    tmp_path: Path,
) -> None:
    body = (
        "# Army deploys to Khiam\n\n"
        "The Lebanese army **deployed** troops to [Khiam](https://example.org/khiam).\n"
    )
    path = tmp_path / "khiam.md"
    path.write_text(body, encoding="utf-8")

    doc = read_one(path)

    assert doc.text == body  # kept as written: evidence offsets point into it
    assert doc.title == "Army deploys to Khiam"
    assert doc.id == "khiam"


def test_markdown_front_matter_title_wins_over_heading(tmp_path: Path) -> None:
    path = tmp_path / "note.markdown"
    path.write_text("---\ntitle: From front matter\n---\n# From heading\n\nText.\n", "utf-8")

    doc = read_one(path)

    assert doc.title == "From front matter"
    assert doc.text == "# From heading\n\nText.\n"


# --- JSON Lines ---------------------------------------------------------------------------


def test_jsonl_reads_the_contract_fields_and_reports_a_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(
        '{"id": "a1", "text": "Strike near Bint Jbeil.", "published": "2024-12-02",'
        ' "title": "T", "source": "NNA", "url": "https://nna.example/a1", "language": "en",'
        ' "extra": "ignored"}\n'
        '{"id": "a2", "text": "broken\n'
        "\n"
        '{"id": 3, "text": "Talks in Naqoura."}\n'
        '{"id": "a4", "text": "Timestamped.", "published": "2024-12-05T10:00:00Z"}\n',
        encoding="utf-8",
    )

    docs, errors = split(read_path(path, published=DEC_1))

    assert [doc.id for doc in docs] == ["a1", "3", "a4"]
    first = docs[0]
    assert (first.text, first.published_date, first.title, first.source, first.url) == (
        "Strike near Bint Jbeil.",
        dt.date(2024, 12, 2),
        "T",
        "NNA",
        "https://nna.example/a1",
    )
    assert docs[1].published == DEC_1  # no date of its own: --published
    assert docs[2].published == dt.datetime(2024, 12, 5, 10, tzinfo=dt.UTC)
    assert len(errors) == 1
    assert isinstance(errors[0], DocumentError)
    assert errors[0].source == str(path)
    assert errors[0].line == 2
    assert str(errors[0]).startswith(f"{path}:2: not JSON")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('["id", "text"]', "JSON object"),
        ('{"text": "no id"}', '"id"'),
        ('{"id": "x"}', '"text"'),
        ('{"id": "x", "text": "   "}', '"text" is empty'),
        ('{"id": "x", "text": 42}', '"text"'),
        ('{"id": "x", "text": "t", "published": "last Monday"}', "published"),
        ('{"id": "x", "text": "t", "title": ["a"]}', "title"),
    ],
)
def test_jsonl_unusable_records_name_their_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "docs.ndjson"
    path.write_text('{"id": "ok", "text": "Fine."}\n' + line + "\n", encoding="utf-8")

    docs, errors = split(read_path(path))

    assert [doc.id for doc in docs] == ["ok"]
    assert len(errors) == 1
    assert errors[0].line == 2
    assert message in str(errors[0])
    assert str(path) in str(errors[0])


# --- HTML ---------------------------------------------------------------------------------


def test_html_page_gives_the_article_without_scripts_styles_or_navigation(
    samples: Path,
) -> None:
    doc = read_one(samples / "article.html", published=DEC_1)

    assert "killing two people, Lebanon's health ministry said" in doc.text
    assert "deadliest since the truce began" in doc.text
    for absent in ("alert(1)", "tracking-code-marker", "secret-style-marker", "<script"):
        assert absent not in doc.text
    assert "Subscribe to our newsletter" not in doc.text
    assert "All rights reserved" not in doc.text
    assert doc.id == "article"
    assert doc.title == "Drone strike hits car near Tyre"
    assert doc.published == dt.date(2024, 12, 2)  # the page's own date, not --published
    assert doc.source == "Example Wire"
    assert doc.url == "https://wire.example.org/2024/12/02/tyre-strike"


def test_html_page_without_a_date_takes_published_and_ignores_dates_in_its_text(
    tmp_path: Path,
) -> None:
    path = tmp_path / "talks.htm"
    path.write_text(
        "<html><head><title>Talks resume</title></head><body><article><h1>Talks resume</h1>"
        "<p>The committee met in Naqoura on 3 December 2024 to discuss the ceasefire of "
        "26 November 2024, officials said in a statement to reporters.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )

    doc = read_one(path, published=DEC_1)

    assert doc.published == DEC_1
    assert "committee met in Naqoura" in doc.text


# --- RSS and Atom -------------------------------------------------------------------------


def test_rss_entries_become_documents_with_html_stripped(samples: Path) -> None:
    docs, errors = split(read_path(samples / "feed.rss"))

    assert errors == []
    strike, meeting = docs
    assert strike.id == "https://wire.example.org/2024/12/02/tyre-strike"
    assert strike.title == "Drone strike hits car near Tyre"
    assert strike.url == "https://wire.example.org/2024/12/02/tyre-strike"
    assert strike.source == "Example Wire: Middle East"
    assert strike.published == dt.datetime(2024, 12, 2, 9, 30, tzinfo=dt.UTC)
    assert strike.text == (
        "An Israeli drone strike hit a car near Tyre on Monday, killing two people, "
        "Lebanon's health ministry said.\n\n"
        "The Israeli military said it had targeted a Hezbollah operative."
    )
    # An item without a guid is known by its link.
    assert meeting.id == "https://wire.example.org/2024/12/01/naqoura-meeting"
    assert meeting.text.startswith("The US-chaired committee")


def test_atom_entries_prefer_content_over_summary(samples: Path) -> None:
    docs, errors = split(read_path(samples / "feed.atom", published=DEC_1))

    assert errors == []
    khiam, statement = docs
    assert khiam.id == "urn:uuid:3c1d2a50-5b11-4f0e-8d7c-1a2b3c4d5e6f"
    assert khiam.url == "https://observer.example.net/notes/khiam-deployment"
    assert khiam.source == "Observer Notes"
    assert khiam.published == dt.datetime(2024, 12, 4, 8, tzinfo=dt.UTC)  # 10:00+02:00
    assert khiam.text == (
        "The Lebanese army deployed troops to Khiam on Wednesday, the first such deployment "
        "under the ceasefire.\n\nUNIFIL said it supported the move."
    )
    assert statement.published == dt.datetime(2024, 12, 3, 8, tzinfo=dt.UTC)  # updated
    assert statement.text.startswith("Lebanon's parliament speaker said")


@pytest.mark.parametrize("name", ["feed.xml", "feed", "feed.dat"])
def test_feeds_are_recognised_by_their_content(samples: Path, name: str) -> None:
    path = samples / name
    path.write_bytes((samples / "feed.atom").read_bytes())

    docs, errors = split(read_path(path))

    assert errors == []
    assert [doc.title for doc in docs] == ["Army deploys to Khiam", "Statement on violations"]


def test_html_and_jsonl_are_recognised_by_their_content(samples: Path, tmp_path: Path) -> None:
    page = tmp_path / "saved-page"
    page.write_bytes((samples / "article.html").read_bytes())
    lines = tmp_path / "export.json"
    lines.write_text('{"id": "x1", "text": "Shelling near Kfar Kila."}\n', encoding="utf-8")

    assert read_one(page).title == "Drone strike hits car near Tyre"
    assert read_one(lines).text == "Shelling near Kfar Kila."


# --- folders ------------------------------------------------------------------------------


def test_folders_are_walked_recursively_in_sorted_order_skipping_hidden_files(
    tmp_path: Path,
) -> None:
    root = tmp_path / "inbox"
    for relative in ["b.txt", "a/z.txt", "a/c/y.md", "c.txt", ".hidden.txt", ".git/x.txt"]:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Text of {relative}.\n", encoding="utf-8")

    first = [doc.id for doc in split(read_path(root))[0]]
    again = [doc.id for doc in split(read_path(root))[0]]

    assert first == ["y", "z", "b", "c"]  # a/c/y.md, a/z.txt, b.txt, c.txt
    assert again == first
