"""The committee's main flow in a real Chromium, on the live app over SQLite.

The open work (`web_committee_sample`): incidents linked since the last held meeting, an
overdue case, an overdue commitment, a proposal under discussion (and Lebanon's restricted
work). The chair signs in, schedules a meeting, drafts its agenda from the open items (all
of them proposed, each with a box), adopts them but one, and drafts a joint statement for the
meeting, then revises it. Lebanon's delegate signs in (a browser profile of its own),
comments and approves; Israel's delegate signs in and approves. The chair issues the
statement: the page shows the frozen text's SHA-256, equal to hashlib's of that text; and
publishes it. Signed out, the public reads the published statement at its address: the
issued text and hash, not the first draft nor the comment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from web_committee_sample import (
    PUMPING,
    RECONVENE,
    ROAD,
    CommitteeSample,
    populate_committee,
)
from web_incident_sample import PASSWORD
from web_live import Tab

pytestmark = pytest.mark.browser

FIRST_DRAFT = "The committee met in Naqoura.\nBoth delegations attended."
ISSUED = (
    "The committee met in Naqoura on the civilian track.\n"
    "Both delegations agreed to reconvene with proposals for recovery."
)
COMMENT = "Please name the civilian track."


@pytest.fixture
def sample(tmp_path: Path) -> CommitteeSample:
    return populate_committee(f"sqlite:///{tmp_path / 'committee.db'}")


@pytest.fixture
def people(browser: Browser) -> Iterator[Callable[[], Tab]]:
    """``open_tab()``: a tab in a browser profile of its own (its own cookies); all closed
    after the test."""
    contexts = []

    def open_tab() -> Tab:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        tab = Tab(page)
        page.on("request", lambda request: tab.requests.append(request.url))
        page.on("pageerror", lambda error: tab.errors.append(f"script: {error}"))
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def log_in(tab: Tab, site: str, username: str, then: str) -> None:
    tab.page.goto(f"{site}/login?next={then}")
    tab.page.fill("input[name=username]", username)
    tab.page.fill("input[name=password]", PASSWORD)
    tab.page.click("form.login-form button[type=submit]")
    tab.page.locator(".signed-in", has_text=username).wait_for()


def drafted(kind: str, ref_id: int) -> str:
    return f'li.draft-item[data-kind="{kind}"][data-ref-id="{ref_id}"]'


def approval(tab: Tab, delegation: str) -> str:
    return tab.page.locator(f'tr[data-delegation="{delegation}"] .approval').text_content() or ""


def test_schedule_draft_agenda_and_issue_a_joint_statement(
    tab: Tab,
    people: Callable[[], Tab],
    serve: Callable[[str], str],
    sample: CommitteeSample,
) -> None:
    site = serve(sample.url)
    chair = tab
    log_in(chair, site, "chair", "/committee")
    assert chair.page.locator("#overdue-commitments").text_content() == "2"

    # schedule a meeting a week ahead
    chair.page.click("header nav a:text('Meetings')")
    begins = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).strftime("%Y-%m-%dT10:00")
    form = chair.page.locator("form.schedule-form")
    form.locator("input[name=title]").fill("Mechanism meeting before the new year")
    form.locator("input[name=starts_at]").fill(begins)
    form.locator("input[name=place]").fill("UNIFIL headquarters, Naqoura")
    form.locator("button[type=submit]").click()
    chair.page.wait_for_url(re.compile(r".*/meetings/\d+$"))
    meeting_url = chair.page.url
    assert chair.page.locator("#meeting-status").text_content() == "scheduled"

    # draft its agenda from the open items: all of them proposed, each ticked
    chair.page.click("a.draft-agenda")
    strike = drafted("incident", sample.incidents.strike)
    case = drafted("case", sample.case)
    commitment = drafted("commitment", sample.commitment)
    proposal = drafted("proposal", sample.proposal)
    for item in (strike, case, commitment, proposal):
        assert chair.page.locator(f"{item} input[type=checkbox]").is_checked()
    assert "new since the meeting of" in (chair.page.locator(strike).text_content() or "")
    assert "overdue" in (chair.page.locator(case).text_content() or "")
    assert RECONVENE in (chair.page.locator(commitment).text_content() or "")
    assert ROAD in (chair.page.locator(proposal).text_content() or "")
    assert "under-discussion" in (chair.page.locator(proposal).text_content() or "")
    # adopt them, all but Lebanon's tabled proposal
    lebanon_proposal = drafted("proposal", sample.lebanon_proposal)
    assert PUMPING in (chair.page.locator(lebanon_proposal).text_content() or "")
    chair.page.locator(f"{lebanon_proposal} input[type=checkbox]").uncheck()
    chair.page.click("form.adopt-form button[type=submit]")
    chair.page.wait_for_url(meeting_url)
    agenda = chair.page.locator("ol.agenda > li")
    assert agenda.count() == 7
    adopted = agenda.evaluate_all("items => items.map(i => `${i.dataset.kind}:${i.dataset.refId}`)")
    for kind, ref_id in (
        ("incident", sample.incidents.strike),
        ("case", sample.case),
        ("commitment", sample.commitment),
        ("proposal", sample.proposal),
    ):
        assert f"{kind}:{ref_id}" in adopted
    assert f"proposal:{sample.lebanon_proposal}" not in adopted
    chair.page.click(f'ol.agenda a[href$="/cases/{sample.case}"]')
    assert chair.page.url == f"{site}/cases/{sample.case}"
    chair.page.go_back()

    # a joint statement for the meeting, drafted and then revised
    chair.page.click("a.draft-statement")
    form = chair.page.locator("form.draft-statement-form")
    meeting_id = meeting_url.rsplit("/", 1)[1]
    assert form.locator("input[name=meeting_id]").input_value() == meeting_id
    form.locator("input[name=title]").fill("Joint statement on the December talks")
    form.locator("textarea[name=text]").fill(FIRST_DRAFT)
    form.locator("button[type=submit]").click()
    chair.page.wait_for_url(re.compile(r".*/statements/\d+$"))
    statement_url = chair.page.url
    assert chair.page.locator("#statement-status").text_content() == "draft"
    chair.page.locator("form.revise-form textarea[name=text]").fill(ISSUED)
    chair.page.locator("form.revise-form input[name=note]").fill("the track named")
    chair.page.click("form.revise-form button[type=submit]")
    chair.page.locator("#statement-version", has_text="2").wait_for()
    assert approval(chair, "Lebanon") == "awaiting"
    assert approval(chair, "Israel") == "awaiting"

    # Lebanon's delegate comments and approves; then Israel's approves
    lebanon = people()
    log_in(lebanon, site, "delegate-lebanon", "/committee")
    lebanon.page.locator(".awaits-me a").click()
    assert lebanon.page.url == statement_url
    lebanon.page.locator("form.comment-form textarea[name=text]").fill(COMMENT)
    lebanon.page.click("form.comment-form button[type=submit]")
    lebanon.page.locator(".comment-text", has_text=COMMENT).wait_for()
    lebanon.page.click("form.approve-form button[type=submit]")
    lebanon.page.locator("form.withdraw-form").wait_for()
    assert approval(lebanon, "Lebanon") == "approved"
    assert approval(lebanon, "Israel") == "awaiting"

    israel = people()
    log_in(israel, site, "delegate-israel", statement_url.removeprefix(site))
    assert israel.page.url == statement_url
    assert PUMPING not in (israel.page.locator("main").text_content() or "")
    israel.page.click("form.approve-form button[type=submit]")
    israel.page.locator("form.withdraw-form").wait_for()
    assert approval(israel, "Israel") == "approved"

    # the chair issues it: the text frozen, its hash shown; then publishes it
    chair.page.goto(statement_url)
    chair.page.click("form.issue-form button[type=submit]")
    chair.page.locator("#statement-status", has_text="issued").wait_for()
    shown_text = chair.page.locator("#issued-text").text_content() or ""
    shown_hash = chair.page.locator("#issued-sha256").text_content()
    assert shown_text == ISSUED
    assert shown_hash == hashlib.sha256(shown_text.encode("utf-8")).hexdigest()
    assert chair.page.locator("form.revise-form").count() == 0
    chair.page.click("form.publish-form button[type=submit]")
    chair.page.locator("#statement-status", has_text="published").wait_for()

    # signed out, anyone reads the published statement, not its drafts nor comments
    public = people()
    response = public.page.goto(statement_url)
    assert response is not None
    assert response.status == 200
    assert public.page.locator(".signed-in").count() == 0
    assert public.page.locator("#statement-status").text_content() == "published"
    assert public.page.locator("#issued-text").text_content() == ISSUED
    assert public.page.locator("#issued-sha256").text_content() == shown_hash
    main = public.page.locator("main").text_content() or ""
    for hidden in ("The committee met in Naqoura.", COMMENT, "the track named"):
        assert hidden not in main
    assert public.page.locator("section.version, ul.comments, form").count() == 0

    for each in (chair, lebanon, israel, public):
        assert each.not_local() == []
        assert each.errors == []
