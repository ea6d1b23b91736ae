"""The isolation rule in a real Chromium, on the live app over SQLite: a delegate never sees
the other party's restricted items anywhere in the workspace.

Each party has restricted items of every kind (`web_workspace_sample`), each carrying a marker
word. Israel's delegate signs in and crawls every workspace page reachable from the nav and
their detail links, the zone map's GeoJSON and the meetings' calendar: Lebanon's markers never
appear, Israel's own all do, and Lebanon's restricted ids answer a 404 page. And the
economic-zone map draws the zone's polygon and the projects' markers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Page
from web_incident_sample import PASSWORD
from web_live import Tab
from web_workspace_sample import (
    WorkspaceSample,
    markers_in,
    markers_of,
    populate_workspace,
)

pytestmark = pytest.mark.browser

#: the workspace's pages: a crawl follows links to these and nothing else
WORKSPACE = (
    "/committee",
    "/delegations",
    "/meetings",
    "/statements",
    "/proposals",
    "/commitments",
    "/disarmament",
    "/economic-zone",
    "/cases",
    "/incidents",
    "/events/",
)
#: more pages than the sample's workspace has: a crawl past it is running away
MAX_PAGES = 250


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> WorkspaceSample:
    folder: Path = tmp_path_factory.mktemp("workspace")
    return populate_workspace(f"sqlite:///{folder / 'workspace.db'}")


def log_in(tab: Tab, site: str, username: str) -> None:
    tab.page.goto(f"{site}/login")
    tab.page.fill("input[name=username]", username)
    tab.page.fill("input[name=password]", PASSWORD)
    tab.page.click("form.login-form button[type=submit]")
    tab.page.locator(".signed-in", has_text=username).wait_for()


def in_workspace(site: str, url: str) -> str | None:
    """The URL without its fragment, if it is a workspace page of this site."""
    plain, _ = urldefrag(url)
    if not plain.startswith(site):
        return None
    path = urlsplit(plain).path
    return plain if path.startswith(WORKSPACE) else None


def links(page: Page) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return hrefs


def crawl(tab: Tab, site: str, start: list[str]) -> dict[str, str]:
    """Every workspace page reachable from `start`, by URL: its HTML as the browser has it."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        assert len(seen) < MAX_PAGES, "the crawl ran away"
        response = tab.page.goto(url, wait_until="domcontentloaded")
        assert response is not None
        assert response.status in (200, 403), (url, response.status)
        seen[url] = tab.page.content()
        for href in links(tab.page):
            found = in_workspace(site, href)
            if found is not None and found not in seen:
                queue.append(found)
    return seen


def test_israels_delegate_never_sees_lebanons_restricted_items(
    tab: Tab, serve: Callable[[str], str], sample: WorkspaceSample
) -> None:
    site = serve(sample.url)
    log_in(tab, site, "delegate-israel")
    tab.page.goto(f"{site}/")
    nav = [in_workspace(site, href) for href in links(tab.page)]
    start = [url for url in nav if url is not None]
    assert len(start) >= 9, start  # the nav reaches the whole workspace
    draft = f"{site}/meetings/{sample.committee_meeting}/agenda/draft"
    pages = crawl(tab, site, [*start, draft])
    api = tab.page.request
    pages["zone map data"] = api.get(f"{site}/api/economic-zone.geojson").text()
    pages["calendar"] = api.get(f"{site}/api/meetings.ics").text()

    leaks = {url: markers_in(text, "lebanon") for url, text in pages.items()}
    assert {url: found for url, found in leaks.items() if found} == {}
    shown = set().union(*(markers_in(text, "israel") for text in pages.values()))
    assert shown == markers_of("israel")
    mine = sample.items["israel"]
    for path in (
        f"/proposals/{mine.proposal}",
        f"/disarmament/sites/{mine.site}",
        f"/meetings/{mine.meeting}",
        f"/statements/{mine.statement}",
        f"/cases/{mine.case}",
        f"/incidents/{mine.incident}",
    ):
        assert f"{site}{path}" in pages, path  # reached by links, not only by address

    assert tab.errors == []  # before the 404s below, which the console reports

    theirs = sample.items["lebanon"]
    for path in (
        f"/proposals/{theirs.proposal}",
        f"/disarmament/sites/{theirs.site}",
        f"/meetings/{theirs.meeting}",
        f"/statements/{theirs.statement}",
        f"/cases/{theirs.case}",
        f"/incidents/{theirs.incident}",
    ):
        response = tab.page.goto(f"{site}{path}")
        assert response is not None
        assert response.status == 404, path
        assert tab.page.locator("h1").text_content() == "Not found"
        assert not markers_in(tab.page.content(), "lebanon"), path
    assert tab.not_local() == []


def test_the_zone_map_draws_the_zone_and_projects_by_period(
    tab: Tab, serve: Callable[[str], str], sample: WorkspaceSample
) -> None:
    site = serve(sample.url)
    log_in(tab, site, "delegate-israel")
    tab.page.click("header nav a:text('Economic zone')")
    tab.page.locator("#zone-map[data-loaded=true]").wait_for(state="attached")
    assert tab.page.locator("#zone-map path.zone-polygon").count() == 1
    projects = tab.page.locator("#zone-map path.zone-project")
    assert projects.evaluate_all("paths => paths.map(p => p.dataset.id)") == [
        str(sample.items["israel"].project)
    ]
    incidents = tab.page.locator("#zone-map path.zone-incident")
    sites = tab.page.locator("#zone-map path.zone-site")
    mine = sample.items["israel"]

    def shown_incidents() -> set[str]:
        ids: list[str] = incidents.evaluate_all("paths => paths.map(p => p.dataset.id)")
        return set(ids)

    assert shown_incidents() == {str(sample.strike), str(mine.incident)}
    assert sites.count() == 1
    tab.page.locator(".leaflet-outlines-pane path").first.wait_for(state="attached")

    # by period: the strike in January, Israel's report and cache in February; the project
    # is always shown
    tab.page.select_option("#zone-period", label="2025-01")
    assert shown_incidents() == {str(sample.strike)}
    assert sites.count() == 0
    assert projects.count() == 1
    projects.first.click()  # Israel's report, drawn over it, is out of the map this month
    popup = tab.page.locator(".leaflet-popup-content .truce-popup")
    assert "Orchard PROJECTMARKisrael" in (popup.text_content() or "")
    tab.page.select_option("#zone-period", label="2025-02")
    assert shown_incidents() == {str(mine.incident)}
    assert sites.count() == 1
    assert tab.errors == []
    assert tab.not_local() == []
