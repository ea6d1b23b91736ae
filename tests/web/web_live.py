"""A live app server in a thread, and a browser tab that records what it does (web tests)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from playwright.sync_api import Page

from truce.api import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 20


class LiveServer:
    """uvicorn running the app in a background thread, on a socket bound before it starts
    (so no other process can take the port in between)."""

    def __init__(self, database_url: str) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        host, port = self._socket.getsockname()
        self.base_url = f"http://{host}:{port}"
        config = uvicorn.Config(
            create_app(database_url),
            log_level="warning",
            ws="none",
            lifespan="on",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> str:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the test server at {self.base_url} did not start")
            time.sleep(0.02)
        return self.base_url

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=START_TIMEOUT_S)
        self._socket.close()


@dataclass
class Tab:
    """A browser page and what it did: every request URL, every console or script error."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def not_local(self) -> list[str]:
        """Requests to anywhere but this machine's loopback test server."""
        return [
            url
            for url in self.requests
            if not url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:"))
        ]
