"""The pages as HTML from the real app (no browser), on both backends; and their helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from web_sample import HOSTILE_SENTENCE, IMAGE, SCRIPT, web_documents

from builders import populate
from truce.api import create_app
from truce.core.errors import ConfigError
from truce.core.models import Document, Event, Evidence
from truce.web import (
    ASSET_FILES,
    FrontEndAssets,
    WebSettings,
    find_node_modules,
    highlight_evidence,
    safe_link,
)

TEXT = "First sentence here.  The strike hit Khiam on 2 December.  Last one."
SENTENCE = "The strike hit Khiam on 2 December."


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def pages(store_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, int]]]:
    """A client on the app, and event ids by location, for the web sample plus two events
    whose stored offsets do not fit the text."""
    batches = web_documents()
    start = TEXT.index(SENTENCE)
    shifted = Document(id="shifted", text=TEXT)
    batches[shifted] = [
        Event(
            doc_id="shifted",
            event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike",
            event_date=dt.date(2024, 12, 2),
            location="Shifted",
            evidence=Evidence(text=SENTENCE, start=start + 3, end=start + 3 + len(SENTENCE)),
        ),
        Event(
            doc_id="shifted",
            plover="ACCUSE",
            location="Missing",
            evidence=Evidence(text="A sentence from another article.", start=0, end=32),
        ),
    ]
    ids = {
        event.location or "": event.id for event in populate(store_url, batches, origin="tests/web")
    }
    app = create_app(store_url)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        yield http, ids


@pytest.mark.anyio
async def test_event_page_escapes_and_marks_the_evidence(
    pages: tuple[httpx.AsyncClient, dict[str, int]],
) -> None:
    client, ids = pages
    page = await client.get(f"/events/{ids[f'Yaroun{IMAGE}']}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    escaped = HOSTILE_SENTENCE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&#34;")
    assert f'<mark id="evidence">{escaped}</mark>' in page.text
    assert SCRIPT not in page.text
    assert "<img src=x" not in page.text
    assert 'href="javascript:' not in page.text


@pytest.mark.anyio
async def test_offsets_out_of_step_fall_back_to_the_wording(
    pages: tuple[httpx.AsyncClient, dict[str, int]],
) -> None:
    client, ids = pages
    page = await client.get(f"/events/{ids['Shifted']}")
    assert f'<mark id="evidence">{SENTENCE}</mark>' in page.text
    assert "found by its wording" in page.text
    missing = await client.get(f"/events/{ids['Missing']}")
    assert "<mark" not in missing.text
    assert "was not found in this document" in missing.text


@pytest.mark.anyio
async def test_unknown_event_page_is_an_html_404(
    pages: tuple[httpx.AsyncClient, dict[str, int]],
) -> None:
    client, _ = pages
    page = await client.get("/events/55555")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "no event with id 55555" in page.text
    bad = await client.get("/events/not-a-number")
    assert bad.status_code == 422
    assert "event_id" in bad.text


@pytest.mark.anyio
async def test_map_page_prefills_filters_escaped(
    pages: tuple[httpx.AsyncClient, dict[str, int]],
) -> None:
    client, _ = pages
    page = await client.get("/", params={"actor": '"><script>x()</script>', "country": "LB"})
    assert page.status_code == 200
    assert 'value="&#34;&gt;&lt;script&gt;x()&lt;/script&gt;"' in page.text
    assert 'name="country" value="LB"' in page.text
    assert "<script>" not in page.text  # only external scripts, which carry src=
    assert page.text.count("<script src=") == 3


def test_highlight_uses_offsets_when_they_hold() -> None:
    start = TEXT.index(SENTENCE)
    parts = highlight_evidence(TEXT, Evidence(text=SENTENCE, start=start, end=start + 36))
    assert (parts.before, parts.evidence, parts.after) == (
        TEXT[:start],
        SENTENCE,
        TEXT[start + len(SENTENCE) :],
    )
    assert parts.exact
    assert parts.before + parts.evidence + parts.after == TEXT


@pytest.mark.parametrize(
    ("evidence", "found", "exact"),
    [
        (Evidence(text=SENTENCE, start=0, end=10), SENTENCE, False),
        (Evidence(text=SENTENCE, start=500, end=600), SENTENCE, False),
        (Evidence(text="Not in the text.", start=0, end=16), "", False),
        (Evidence(text="   ", start=0, end=3), "", False),
    ],
)
def test_highlight_falls_back(evidence: Evidence, found: str, exact: bool) -> None:
    parts = highlight_evidence(TEXT, evidence)
    assert parts.evidence == found
    assert parts.exact is exact
    assert parts.before + parts.evidence + parts.after == TEXT


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org/a", "HTTP://example.org/a"),
        ("javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("", None),
        (None, None),
    ],
)
def test_only_http_urls_become_links(url: str | None, link: str | None) -> None:
    assert safe_link(url) == link


@pytest.mark.parametrize(
    ("tile_url", "source"),
    [
        (None, None),
        ("https://tile.example.org/{z}/{x}/{y}.png", "https://tile.example.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:8080/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_tile_url_sources(tile_url: str | None, source: str | None) -> None:
    settings = WebSettings.from_env({"TRUCE_TILE_URL": tile_url} if tile_url else {})
    assert settings.tile_source() == source
    policy = settings.content_security_policy()
    assert ("img-src 'self' data:;" in policy) is (source is None)


@pytest.mark.parametrize(
    "tile_url",
    ["tiles.example.org/{z}/{x}/{y}.png", "ftp://t.example.org/{z}.png", "https://{z}.t.org/a"],
)
def test_bad_tile_urls_are_config_errors(tile_url: str) -> None:
    with pytest.raises(ConfigError, match="TRUCE_TILE_URL"):
        WebSettings.from_env({"TRUCE_TILE_URL": tile_url})


def test_node_modules_from_the_environment_or_above_the_package(tmp_path: Path) -> None:
    assert find_node_modules({"TRUCE_NODE_MODULES": str(tmp_path)}) == tmp_path
    found = find_node_modules({})
    assert (found / "leaflet" / "package.json").is_file()
    assets = FrontEndAssets.locate({})
    assert all(assets.path(name) is not None for name in ASSET_FILES)
    assert assets.path("leaflet/package.json") is None
    with pytest.raises(ConfigError, match="npm ci"):
        find_node_modules({"TRUCE_NODE_MODULES": str(tmp_path / "absent")})
