"""The map page in a real Chromium: markers, popups, the list, filters, and no outside requests."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from web_live import Tab
from web_sample import IMAGE, SCRIPT, WebSample

pytestmark = pytest.mark.browser

MARKERS = "path.truce-marker"


def open_map(tab: Tab, site: str, query: str = "") -> None:
    tab.page.goto(f"{site}/{query}")
    wait_for_status(tab, "on the map")


def wait_for_status(tab: Tab, pattern: str) -> None:
    """Wait until the status line (the count, once events are drawn) matches.

    Locators, not page.wait_for_function: its polling evaluates strings in the page, which
    the Content-Security-Policy under test rightly forbids.
    """
    tab.page.locator("#status", has_text=re.compile(pattern)).wait_for()


def marker_ids(tab: Tab) -> list[int]:
    return sorted(
        int(tab.page.locator(MARKERS).nth(i).get_attribute("data-event-id") or "")
        for i in range(tab.page.locator(MARKERS).count())
    )


def test_one_marker_per_event_with_coordinates(tab: Tab, site: str, web_sample: WebSample) -> None:
    open_map(tab, site)
    assert marker_ids(tab) == sorted(event.id for event in web_sample.mapped)
    assert len(web_sample.mapped) < len(web_sample.events)  # one event has no coordinates
    items = tab.page.locator("#event-list > li")
    assert items.count() == len(web_sample.events)
    status = tab.page.locator("#status").text_content() or ""
    assert f"{len(web_sample.events)} events, {len(web_sample.mapped)} on the map" in status
    # the country outlines came from world-atlas and were drawn below the markers
    assert tab.page.locator(".leaflet-outlines-pane path").count() > 100
    assert tab.errors == []


def test_clicking_a_marker_shows_its_evidence(tab: Tab, site: str, web_sample: WebSample) -> None:
    open_map(tab, site)
    khiam = web_sample.located("Khiam")
    tab.page.locator(f'{MARKERS}[data-event-id="{khiam.id}"]').click()
    popup = tab.page.locator(".leaflet-popup-content .truce-popup")
    assert popup.locator(".evidence").text_content() == khiam.evidence.text
    assert popup.locator(".event-type").text_content() == (
        "Explosions/Remote violence · Air/drone strike"
    )
    assert popup.locator(".date").text_content() == "2024-12-02"
    assert popup.locator(".place").text_content() == "Khiam, LB"
    link = popup.locator("a.event-link")
    assert link.get_attribute("href") == f"/events/{khiam.id}"
    link.click()
    tab.page.wait_for_url(f"{site}/events/{khiam.id}")
    assert tab.page.locator("mark#evidence").text_content() == khiam.evidence.text
    assert tab.errors == []


def test_hostile_text_stays_text_in_popup_and_list(
    tab: Tab, site: str, web_sample: WebSample
) -> None:
    open_map(tab, site)
    hostile = web_sample.hostile
    tab.page.locator(f'{MARKERS}[data-event-id="{hostile.id}"]').click()
    popup = tab.page.locator(".leaflet-popup-content")
    assert popup.locator(".evidence").text_content() == hostile.evidence.text
    assert SCRIPT in (popup.locator(".evidence").text_content() or "")
    assert IMAGE in (popup.locator(".place").text_content() or "")
    assert SCRIPT in (popup.locator(".actors").text_content() or "")
    item = tab.page.locator(f'#event-list > li[data-event-id="{hostile.id}"]')
    assert SCRIPT in (item.text_content() or "")
    assert IMAGE in (item.text_content() or "")
    for container in (popup, tab.page.locator("#event-list")):
        assert container.locator("script, img").count() == 0
    assert tab.page.evaluate("typeof window.__pwned") == "undefined"
    assert tab.errors == []


def test_list_item_opens_its_markers_popup(tab: Tab, site: str, web_sample: WebSample) -> None:
    open_map(tab, site)
    shebaa = web_sample.located("Shebaa Farms")
    tab.page.locator(f'#event-list > li[data-event-id="{shebaa.id}"] button').click()
    evidence = tab.page.locator(".leaflet-popup-content .evidence")
    assert evidence.text_content() == shebaa.evidence.text


def test_filters_refetch_and_redraw(tab: Tab, site: str, web_sample: WebSample) -> None:
    open_map(tab, site)
    tab.page.fill("input[name=actor]", "hezbollah")
    tab.page.click("button[type=submit]")
    wait_for_status(tab, "^1 event, 1 on the map")
    assert marker_ids(tab) == [web_sample.located("Shebaa Farms").id]
    assert parse_qs(urlsplit(tab.page.url).query) == {"actor": ["hezbollah"]}

    tab.page.click("#clear-filters")
    wait_for_status(tab, f"^{len(web_sample.events)} events,")
    assert len(marker_ids(tab)) == len(web_sample.mapped)

    # the filters in the address come back into the form and apply on load
    open_map(tab, site, "?event_type=Explosions%2FRemote+violence&start=2024-12-03")
    assert tab.page.locator("select[name=event_type]").input_value() == (
        "Explosions/Remote violence"
    )
    expected = [
        e.id
        for e in web_sample.mapped
        if e.event_type == "Explosions/Remote violence"
        and e.event_date is not None
        and e.event_date.isoformat() >= "2024-12-03"
    ]
    assert marker_ids(tab) == sorted(expected)


def test_bad_filter_is_reported_not_drawn(tab: Tab, site: str) -> None:
    tab.page.goto(f"{site}/?country=Lebanon")
    status = tab.page.locator("#status.error")
    status.wait_for()
    assert "country" in (status.text_content() or "")
    assert tab.page.locator(MARKERS).count() == 0


def test_no_request_leaves_this_machine_without_a_tile_url(
    tab: Tab, site: str, web_sample: WebSample
) -> None:
    open_map(tab, site)
    tab.page.locator(f'{MARKERS}[data-event-id="{web_sample.hostile.id}"]').click()
    tab.page.goto(f"{site}/events/{web_sample.hostile.id}")
    tab.page.goto(f"{site}/docs")
    tab.page.locator(".opblock").first.wait_for()
    assert len(tab.requests) > 5
    assert tab.not_local() == []
    assert tab.page.locator(".leaflet-tile").count() == 0


def test_a_configured_tile_layer_is_requested(
    tab: Tab,
    monkeypatch: pytest.MonkeyPatch,
    serve: Callable[[str], str],
    web_sample: WebSample,
) -> None:
    # tiles from this same host (404s here): enough to see the layer exists only when set
    monkeypatch.setenv("TRUCE_TILE_URL", "/tiles/{z}/{x}/{y}.png")
    monkeypatch.setenv("TRUCE_TILE_ATTRIBUTION", "Test tiles")
    site = serve(web_sample.url)
    open_map(tab, site)
    tab.page.locator(".leaflet-tile").first.wait_for(state="attached")
    assert any("/tiles/" in url for url in tab.requests)
    assert "Test tiles" in (tab.page.locator(".leaflet-control-attribution").text_content() or "")
    assert tab.not_local() == []
