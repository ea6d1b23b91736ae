"""The main flow of incidents and cases in a real Chromium, on the live app over SQLite.

Two reports of one strike are written and linked into one incident. The chair signs in,
opens the incident (both reports, the candidate violation, a marker per report), files an
allegation about it, starts the investigation, adds a task and a visit report, concludes
with a confirmed finding, and the violations page's count of confirmed violations for that
party and clause goes from nothing to 1, linked to the incident. A delegate of Israel, signed
in, never sees Lebanon's restricted case, in the list or at its address.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from web_incident_sample import (
    CEDAR_SENTENCE,
    LEBANON_CASE_TITLE,
    PASSWORD,
    WIRE_SENTENCE,
    IncidentSample,
    populate_incidents,
)
from web_live import Tab

pytestmark = pytest.mark.browser

COUNT_ROW = 'tr[data-key="israel|coh-2024-02"]'


@pytest.fixture
def sample(tmp_path: Path) -> IncidentSample:
    return populate_incidents(f"sqlite:///{tmp_path / 'flow.db'}")


def log_in(tab: Tab, site: str, username: str) -> None:
    tab.page.goto(f"{site}/login")
    tab.page.fill("input[name=username]", username)
    tab.page.fill("input[name=password]", PASSWORD)
    tab.page.click("form.login-form button[type=submit]")
    tab.page.locator(".signed-in", has_text=username).wait_for()


def case_state(tab: Tab) -> str:
    return tab.page.locator("#case-state").text_content() or ""


def test_chair_goes_from_an_incident_to_a_counted_finding(
    tab: Tab, serve: Callable[[str], str], sample: IncidentSample
) -> None:
    site = serve(sample.url)
    log_in(tab, site, "chair")

    # nothing confirmed yet
    tab.page.goto(f"{site}/violations?basis=finding")
    assert tab.page.locator(COUNT_ROW).count() == 0

    # the incident, from the list: both reports in order, the candidate, a marker each
    tab.page.click("header nav a:text('Incidents')")
    tab.page.click(f'tr[data-incident-id="{sample.strike}"] a')
    assert tab.page.url == f"{site}/incidents/{sample.strike}"
    reports = tab.page.locator("#timeline > li")
    assert reports.count() == 2
    assert reports.nth(0).locator("mark").text_content() == WIRE_SENTENCE
    assert reports.nth(1).locator("mark").text_content() == CEDAR_SENTENCE
    assert reports.nth(0).locator(".outlet").text_content() == "Levant Wire"
    assert reports.nth(1).locator(".outlet").text_content() == "Cedar News"
    candidate = tab.page.locator('li.candidate[data-clause="coh-2024-02"]')
    assert candidate.locator(".party").text_content() == "the State of Israel"
    assert "Candidate violation of clause 2" in (candidate.locator(".reason").text_content() or "")
    tab.page.locator("#incident-map path.truce-marker").nth(1).wait_for()
    markers = tab.page.locator("#incident-map path.truce-marker")
    shown = {markers.nth(i).get_attribute("data-event-id") for i in range(markers.count())}
    assert shown == {str(sample.wire_event), str(sample.cedar_event)}
    tab.page.locator(".leaflet-outlines-pane path").first.wait_for(state="attached")
    assert tab.page.locator(".leaflet-outlines-pane path").count() > 100  # offline outlines
    markers.last.click()  # same place: the later report is drawn on top
    popup = tab.page.locator(".leaflet-popup-content .truce-popup")
    assert (popup.locator(".evidence").text_content() or "") in {WIRE_SENTENCE, CEDAR_SENTENCE}

    # file an allegation about it
    tab.page.click("a.file-allegation")
    assert tab.page.locator("input[name=incidents]").input_value() == str(sample.strike)
    tab.page.fill("input[name=title]", "Drone strike on a car in Khiam")
    tab.page.fill("textarea[name=summary]", "Two killed, by two outlets' reports.")
    tab.page.select_option("select[name=accused_party]", "israel")
    tab.page.select_option("select[name=clause_id]", "coh-2024-02")
    tab.page.select_option("select[name=classification]", "committee")
    tab.page.click("form.file-form button[type=submit]")
    tab.page.wait_for_url(re.compile(r".*/cases/\d+$"))
    case_url = tab.page.url
    assert case_state(tab) == "filed"
    assert tab.page.locator(f'.case-incidents a:text("Incident {sample.strike}")').count() == 1

    # investigate, with a task and a visit report
    tab.page.click("form.transition-form:has(input[value=investigate]) button")
    tab.page.locator("#case-state", has_text="investigating").wait_for()
    tab.page.fill("form.task-form input[name=title]", "Visit the site of the strike")
    tab.page.fill("form.task-form input[name=assigned_to]", "monitor")
    tab.page.click("form.task-form button[type=submit]")
    task = tab.page.locator("table.tasks tbody tr")
    task.first.wait_for()
    assert "Visit the site of the strike" in (task.first.text_content() or "")
    today = dt.datetime.now(dt.UTC).date().isoformat()
    tab.page.fill("form.visit-form input[name=visited_on]", today)
    tab.page.fill("form.visit-form input[name=place]", "Khiam, the main road")
    tab.page.select_option("form.visit-form select[name=task_id]", index=1)
    tab.page.fill("form.visit-form textarea[name=text]", "The wreck of the car; drone fragments.")
    tab.page.click("form.visit-form button[type=submit]")
    tab.page.locator(".visit-reports li", has_text="Khiam, the main road").wait_for()

    # conclude: a confirmed violation of clause 2 by Israel
    conclude = tab.page.locator("form.conclude-form")
    conclude.locator("select[name=outcome]").select_option("confirmed")
    conclude.locator("select[name=clause_id]").select_option("coh-2024-02")
    conclude.locator("select[name=attributed_party]").select_option("israel")
    conclude.locator("textarea[name=rationale]").fill("Two outlets and the site visit agree.")
    conclude.locator("select[name=shared_with]").select_option("committee")
    conclude.locator("button[type=submit]").click()
    tab.page.locator("#case-state", has_text="concluded").wait_for()
    assert tab.page.url == case_url
    assert tab.page.locator(".finding .outcome").text_content() == "confirmed"
    steps = tab.page.locator("table.history tbody tr td:first-child").all_text_contents()
    assert steps == ["file", "investigate", "conclude"]
    # only reopening is offered now
    assert tab.page.locator("input[name=action]").evaluate_all(
        "inputs => inputs.map(i => i.value)"
    ) == ["reopen"]

    # the count of confirmed violations by party and clause: one, linked to the incident
    tab.page.click("header nav a:text('Violations')")
    tab.page.select_option("select[name=basis]", "finding")
    tab.page.select_option("select[name=by]", "party,clause")
    tab.page.click("form.inline-filters button[type=submit]")
    count = tab.page.locator(f"{COUNT_ROW} a.count")
    assert count.text_content() == "1"
    assert "the State of Israel" in (tab.page.locator(COUNT_ROW).text_content() or "")
    count.click()
    listed = tab.page.locator("table.incidents tbody tr")
    assert listed.count() == 1
    assert listed.first.get_attribute("data-incident-id") == str(sample.strike)
    listed.first.locator("a").click()
    assert tab.page.url == f"{site}/incidents/{sample.strike}"
    assert "Drone strike on a car in Khiam" in (
        tab.page.locator(".case-links").text_content() or ""
    )
    assert tab.not_local() == []
    assert tab.errors == []


def test_a_delegate_of_israel_never_sees_lebanons_restricted_case(
    browser: Browser, tab: Tab, serve: Callable[[str], str], sample: IncidentSample
) -> None:
    site = serve(sample.url)
    log_in(tab, site, "delegate-israel")
    tab.page.click("header nav a:text('Cases')")
    assert tab.page.url == f"{site}/cases"
    assert tab.page.locator("table.cases").count() == 0  # no case it may see
    assert LEBANON_CASE_TITLE not in (tab.page.locator("main").text_content() or "")
    hidden = tab.page.goto(f"{site}/cases/{sample.lebanon_case}")
    assert hidden is not None
    assert hidden.status == 404
    assert LEBANON_CASE_TITLE not in (tab.page.locator("main").text_content() or "")
    incident = tab.page.goto(f"{site}/incidents/{sample.secret}")
    assert incident is not None
    assert incident.status == 404
    # Lebanon's delegation, in another browser profile, does see it
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        lebanon = Tab(context.new_page())
        log_in(lebanon, site, "delegate-lebanon")
        lebanon.page.goto(f"{site}/cases")
        assert lebanon.page.locator(f'tr[data-case-id="{sample.lebanon_case}"]').count() == 1
    finally:
        context.close()
    # the console reports the two 404 pages, and nothing else
    assert [error for error in tab.errors if "status of 404" not in error] == []
