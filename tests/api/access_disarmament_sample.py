"""Disarmament and economic-zone records at every access level, for the access matrix.

At each level: a cache (``ARSENALrestrictedlebanon`` in its name), a position
(``OUTPOST...``), a project in the economic zone (``HARVEST...`` in its title), a phase update
(``STAGE...`` in its note) and a version of the zone's geometry (``BORDER...`` in its note).
Every point lies in the economic zone, so the zone's map (`/api/economic-zone.geojson`) and
its activity carry every one of them to whoever may see it, and to no one else; the figures
count them. Phase updates and zone versions are shown only within the plan and the zone.
"""

from __future__ import annotations

import datetime as dt

from access_sample import ACCESS_LEVELS, Record, marker

from builders import SYSTEM
from truce.committee.disarmament import NewSite, record_phase_update, report_site
from truce.committee.economic_zone import NewProject, add_project, add_zone_version
from truce.committee.positions import NewPosition, add_position
from truce.store import Store

SITES = "ARSENAL"
POSITIONS = "OUTPOST"
PROJECTS = "HARVEST"
PHASES = "STAGE"
VERSIONS = "BORDER"

#: Kfar Kila, inside the pack's illustrative economic zone
LATITUDE, LONGITUDE = 33.27722, 35.55167


def _square(half: float) -> dict[str, object]:
    ring = [
        [LONGITUDE - half, LATITUDE - half],
        [LONGITUDE + half, LATITUDE - half],
        [LONGITUDE + half, LATITUDE + half],
        [LONGITUDE - half, LATITUDE + half],
        [LONGITUDE - half, LATITUDE - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def seed_disarmament(store: Store) -> tuple[Record, ...]:
    """A site, a position, a project, a phase update and a zone version at every level."""
    records: list[Record] = []
    for number, (classification, owner) in enumerate(ACCESS_LEVELS, start=1):
        site = report_site(
            store,
            NewSite(
                kind="cache",
                name=f"Cache {marker(SITES, classification, owner)}",
                reported_on=dt.date(2025, 9, number),
                latitude=LATITUDE,
                longitude=LONGITUDE,
                classification=classification,
                owner_party=owner,
            ),
            by=SYSTEM,
        )
        mark = marker(SITES, classification, owner)
        records.append(Record("sites", site.id, classification, owner, mark))
        position = add_position(
            store,
            NewPosition(
                name=f"Post {marker(POSITIONS, classification, owner)}",
                holder_party="lebanon",
                latitude=LATITUDE + 0.001 * number,
                longitude=LONGITUDE,
                established_on=dt.date(2025, 3, number),
                supported_by="UNIFIL",
                classification=classification,
                owner_party=owner,
            ),
            by=SYSTEM,
        )
        mark = marker(POSITIONS, classification, owner)
        records.append(Record("positions", position.id, classification, owner, mark))
        project = add_project(
            store,
            NewProject(
                title=f"Orchard {marker(PROJECTS, classification, owner)}",
                kind="agriculture",
                latitude=LATITUDE,
                longitude=LONGITUDE + 0.001 * number,
                classification=classification,
                owner_party=owner,
            ),
            by=SYSTEM,
        )
        mark = marker(PROJECTS, classification, owner)
        records.append(Record("projects", project.id, classification, owner, mark))
        update = record_phase_update(
            store,
            "arms-plan-2",
            "in-progress",
            by=SYSTEM,
            as_of=dt.date(2026, 2, number),
            note=f"Reported by {marker(PHASES, classification, owner)}.",
            classification=classification,
            owner_party=owner,
        )
        assert update.id is not None
        mark = marker(PHASES, classification, owner)
        records.append(Record("phase updates", update.id, classification, owner, mark))
        version = add_zone_version(
            store,
            _square(0.02 + 0.01 * number),
            by=SYSTEM,
            note=f"Drawn by {marker(VERSIONS, classification, owner)}.",
            classification=classification,
            owner_party=owner,
        )
        mark = marker(VERSIONS, classification, owner)
        records.append(Record("zone versions", version.number, classification, owner, mark))
    return tuple(records)
