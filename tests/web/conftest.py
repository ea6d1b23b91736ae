"""Fixtures for the web tests: the real app served by uvicorn on a free local port, and
Debian's Chromium driven by Playwright (never a browser Playwright downloads).

Reusable beyond this folder's sample: ``serve(database_url)`` starts the app on any
populated database and returns its base URL; ``tab`` is a fresh browser page that records
every request it makes and every console error it sees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Request, sync_playwright
from web_live import CHROMIUM, CHROMIUM_ARGS, LiveServer, Tab
from web_sample import WebSample, web_documents

from builders import populate


@pytest.fixture
def serve() -> Iterator[Callable[[str], str]]:
    """``serve(database_url) -> base_url``; every server started is stopped after the test.

    The app reads TRUCE_TILE_URL and the like when created, so set them (monkeypatch)
    before calling this.
    """
    servers: list[LiveServer] = []

    def start(database_url: str) -> str:
        server = LiveServer(database_url)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module. Not for the whole session: while Playwright's sync API
    runs it holds an asyncio loop on this thread, and async tests elsewhere could not start
    theirs; so keep browser tests and async tests in separate modules."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (./scripts/setup --dev)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser: Browser) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    recorded = Tab(page)

    def on_request(request: Request) -> None:
        recorded.requests.append(request.url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            recorded.errors.append(f"console: {message.text}")

    def on_page_error(error: Exception) -> None:
        recorded.errors.append(f"script: {error}")

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    yield recorded
    context.close()


@pytest.fixture
def web_sample(tmp_path: Path) -> WebSample:
    """A SQLite file holding web_sample's documents and events."""
    url = f"sqlite:///{tmp_path / 'web.db'}"
    return WebSample(url=url, events=populate(url, web_documents(), origin="tests/web"))


@pytest.fixture
def site(serve: Callable[[str], str], web_sample: WebSample) -> str:
    """Base URL of the app serving the web sample."""
    return serve(web_sample.url)
