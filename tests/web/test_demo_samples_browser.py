"""The demo's promise, end to end: the sample articles go through the real ingest (readers,
extractor, store) and the map in Chromium shows a marker for every sample event with a place;
clicking one shows its evidence sentence."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from web_live import Tab

from builders import SYSTEM
from truce.core.access import Classification
from truce.ingest import ingest_paths
from truce.store import EventQuery, Store

pytestmark = pytest.mark.browser

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
# the same inputs scripts/demo ingests
DEMO_INPUTS = ["articles", "feeds", "pages", "batch.jsonl"]
MARKERS = "path.truce-marker"


def test_every_sample_event_has_its_marker_and_evidence(
    tab: Tab, serve: Callable[[str], str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    with Store.open(url) as store:
        summary = ingest_paths(
            store,
            [SAMPLES / name for name in DEMO_INPUTS],
            by=SYSTEM,
            classification=Classification.PUBLIC,
        )
        assert summary.rejected == 0
        assert summary.new >= 20
        events = store.query_events(EventQuery(limit=1000), viewer=SYSTEM).items
    mapped = {e.id: e for e in events if e.latitude is not None}
    assert len(mapped) >= 10, "the demo map should open on at least ten sample events"

    site = serve(url)
    tab.page.goto(site + "/")
    tab.page.locator("#status", has_text=re.compile("on the map")).wait_for()
    markers = tab.page.locator(MARKERS)
    shown = sorted(
        int(markers.nth(i).get_attribute("data-event-id") or "") for i in range(markers.count())
    )
    assert shown == sorted(mapped)

    # Several sample events share a town and their markers overlap: send the click to the
    # chosen marker itself, as Leaflet receives it.
    chosen = mapped[shown[-1]]
    tab.page.locator(f'{MARKERS}[data-event-id="{chosen.id}"]').dispatch_event("click")
    evidence = tab.page.locator(".leaflet-popup-content .evidence")
    assert evidence.text_content() == chosen.evidence.text
    assert tab.errors == []
