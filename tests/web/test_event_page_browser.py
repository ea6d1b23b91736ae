"""The event page and the API docs in a real Chromium."""

from __future__ import annotations

import pytest
from web_live import Tab
from web_sample import HOSTILE_TEXT, IMAGE, KHIAM_TEXT, SCRIPT, WebSample

pytestmark = pytest.mark.browser


def test_event_page_highlights_the_evidence(tab: Tab, site: str, web_sample: WebSample) -> None:
    event = web_sample.located("Shebaa Farms")
    tab.page.goto(f"{site}/events/{event.id}")
    mark = tab.page.locator(".document-text mark")
    assert mark.count() == 1
    assert mark.text_content() == event.evidence.text
    assert tab.page.locator(".document-text").text_content() == KHIAM_TEXT
    assert "Shebaa Farms" in (tab.page.locator("h1").text_content() or "")
    # the original's link is kept (an http URL)
    assert tab.page.locator('a[href="https://news.example.org/khiam"]').count() == 1
    assert tab.errors == []


def test_hostile_document_does_not_run(tab: Tab, site: str, web_sample: WebSample) -> None:
    event = web_sample.hostile
    tab.page.goto(f"{site}/events/{event.id}")
    text = tab.page.locator(".document-text")
    assert text.text_content() == HOSTILE_TEXT
    assert tab.page.locator("mark#evidence").text_content() == event.evidence.text
    assert text.locator("script, img").count() == 0
    assert tab.page.locator("main img, main script").count() == 0
    body = tab.page.locator("main").text_content() or ""
    assert f"Yaroun {IMAGE}" in body  # the title, shown as typed
    assert f"{SCRIPT}Wire" in body  # the source
    # a javascript: URL is shown, never linked
    assert tab.page.locator("a[href^='javascript']").count() == 0
    assert "javascript:window.__pwned=4" in body
    assert tab.page.evaluate("typeof window.__pwned") == "undefined"
    assert tab.errors == []


def test_api_docs_render_offline_under_the_policy(tab: Tab, site: str) -> None:
    tab.page.goto(f"{site}/docs")
    tab.page.locator(".opblock").first.wait_for()
    paths = tab.page.locator(".opblock-summary-path").all_text_contents()
    assert {"/api/events", "/api/events.geojson", "/api/events/{event_id}"} <= {
        path.replace("\u200b", "") for path in paths
    }
    assert tab.not_local() == []
    assert tab.errors == []
