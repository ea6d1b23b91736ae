"""Signing in and out in a real Chromium, on the live server at http://127.0.0.1.

A delegate logs in through the form, sees its own party's restricted record on the map, in
the list and on its event page, never the other party's, and logs out. The session cookie is
the production one, Secure included: Chromium treats http://127.0.0.1 as a secure context
and keeps Secure cookies there (checked below), so these tests need no TRUCE_COOKIE_SECURE=0.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from web_live import Tab

from builders import SYSTEM, event, write
from truce.core.access import Classification, Role
from truce.core.models import Document
from truce.security import add_user
from truce.store import EventQuery, Store

pytestmark = pytest.mark.browser

PASSWORD = "Delegate-Israel-Pass-1"
#: (classification, owner party, place) of each event; the place names it on the map
LEVELS = (
    (Classification.PUBLIC, None, "Khiam"),
    (Classification.COMMITTEE, None, "Naqoura"),
    (Classification.RESTRICTED, "israel", "Metula"),
    (Classification.RESTRICTED, "lebanon", "Bint Jbeil"),
)
COORDINATES = {
    "Khiam": (33.3271, 35.6136),
    "Naqoura": (33.1181, 35.1397),
    "Metula": (33.2797, 35.5783),
    "Bint Jbeil": (33.1206, 35.4331),
}


@dataclass(frozen=True)
class Restricted:
    url: str
    ids: dict[str, int]  # event id by place


@pytest.fixture
def restricted(tmp_path: Path) -> Restricted:
    """Events at every access level, and a delegate of Israel to log in as."""
    url = f"sqlite:///{tmp_path / 'restricted.db'}"
    with Store.open(url) as store:
        for day, (level, owner, place) in enumerate(LEVELS, start=2):
            sentence = f"On {day} December 2024 a shell hit {place} ({level} {owner or ''})."
            document = Document(id=f"report-{place}", text=f"Report. {sentence}")
            latitude, longitude = COORDINATES[place]
            found = event(
                document,
                sentence,
                event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack",
                event_date=dt.date(2024, 12, day),
                location=place,
                country="LB",
                latitude=latitude,
                longitude=longitude,
            )
            write(store, {document: [found]}, classification=level, owner_party=owner)
        add_user(
            store,
            username="delegate-israel",
            role=Role.DELEGATE,
            party="israel",
            password=PASSWORD,
            by=SYSTEM,
        )
        stored = store.query_events(EventQuery(limit=100), viewer=SYSTEM).items
    return Restricted(url, {e.location or "": e.id for e in stored})


def log_in(tab: Tab, site: str, next_path: str = "/") -> None:
    tab.page.goto(f"{site}/login?next={next_path}")
    tab.page.fill("input[name=username]", "delegate-israel")
    tab.page.fill("input[name=password]", PASSWORD)
    tab.page.click("form.login-form button[type=submit]")
    tab.page.locator(".signed-in", has_text="delegate-israel").wait_for()


def listed_places(tab: Tab) -> set[str]:
    tab.page.locator("#status", has_text=re.compile("on the map")).wait_for()
    items = tab.page.locator("#event-list > li .meta")
    return {
        place
        for i in range(items.count())
        for place in COORDINATES
        if place in (items.nth(i).text_content() or "")
    }


def test_chromium_keeps_the_secure_cookie_on_local_http(
    tab: Tab, serve: Callable[[str], str], restricted: Restricted
) -> None:
    site = serve(restricted.url)
    log_in(tab, site)
    (cookie,) = [c for c in tab.page.context.cookies() if c["name"] == "truce_session"]
    assert cookie["secure"] is True
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    # no script can read it
    assert "truce_session" not in tab.page.evaluate("document.cookie")
    # the log-in form's own cookie (its login CSRF token) has served and is gone
    assert [c for c in tab.page.context.cookies() if c["name"] == "truce_login"] == []
    assert tab.errors == []


def test_delegate_sees_its_party_only_then_logs_out(
    tab: Tab, serve: Callable[[str], str], restricted: Restricted
) -> None:
    site = serve(restricted.url)
    tab.page.goto(site)
    assert listed_places(tab) == {"Khiam"}  # the public's map

    log_in(tab, site)
    assert tab.page.url == f"{site}/"
    assert listed_places(tab) == {"Khiam", "Naqoura", "Metula"}
    markers = tab.page.locator("path.truce-marker")
    shown = {markers.nth(i).get_attribute("data-event-id") for i in range(markers.count())}
    assert shown == {str(restricted.ids[p]) for p in ("Khiam", "Naqoura", "Metula")}
    # the list says who may see each event that is not public
    labels = tab.page.locator("#event-list .classification").all_text_contents()
    assert sorted(labels) == ["committee", "restricted: israel"]

    own = tab.page.goto(f"{site}/events/{restricted.ids['Metula']}")
    assert own is not None
    assert own.status == 200
    assert "Metula" in (tab.page.locator("h1").text_content() or "")
    assert "restricted: israel and the chair only" in (
        tab.page.locator("main").text_content() or ""
    )
    other = tab.page.goto(f"{site}/events/{restricted.ids['Bint Jbeil']}")
    assert other is not None
    assert other.status == 404
    assert "Bint Jbeil" not in (tab.page.locator("main").text_content() or "")

    tab.page.goto(site)
    tab.page.click("form.log-out button[type=submit]")
    tab.page.locator("a.log-in").wait_for()
    assert listed_places(tab) == {"Khiam"}
    assert [c for c in tab.page.context.cookies() if c["name"] == "truce_session"] == []
    hidden = tab.page.goto(f"{site}/events/{restricted.ids['Metula']}")
    assert hidden is not None
    assert hidden.status == 404
    assert tab.not_local() == []
    # the console reports the two 404 pages, and nothing else
    assert [error for error in tab.errors if "status of 404" not in error] == []


def test_wrong_password_shows_one_message_and_comes_back(
    tab: Tab, serve: Callable[[str], str], restricted: Restricted
) -> None:
    site = serve(restricted.url)
    target = f"/events/{restricted.ids['Metula']}"
    tab.page.goto(f"{site}/login?next={target}")
    tab.page.fill("input[name=username]", "delegate-israel")
    tab.page.fill("input[name=password]", "not the password")
    tab.page.click("form.login-form button[type=submit]")
    assert tab.page.locator(".error").text_content() == "Wrong username or password."
    # the form keeps where to go, and a right password then goes there
    tab.page.fill("input[name=password]", PASSWORD)
    tab.page.click("form.login-form button[type=submit]")
    tab.page.locator(".signed-in").wait_for()
    assert tab.page.url == f"{site}{target}"
    assert "Metula" in (tab.page.locator("h1").text_content() or "")
    assert "restricted: israel and the chair only" in (
        tab.page.locator("main").text_content() or ""
    )
    assert [error for error in tab.errors if "status of 401" not in error] == []
