"""Incident linking benchmark: `link_events` on N synthetic reports, next to a baseline.

    .venv/bin/python -m bench.incidents                    # 1,000,000 events (a few minutes)
    .venv/bin/python -m bench.incidents --events 200000    # quicker

The reports are generated deterministically: happenings (six kinds of event from
bench/synthetic.py, at the 15 real places there plus 400 invented villages over southern
Lebanon and the Bekaa, over two years, 6 actors) each told by 1 to 5 documents from 40
outlets, with coordinates jittered by up to ~1 km, wording varied (synonyms, extra words, the
place spelled two ways), actor2 or actor1 sometimes missing, 3% of reports dated only to the
week. Events are built and validated before the clock starts.

Figures: seconds and events/s for `link_events` (one thread: the process is pinned to one
core), the incident count, pairwise precision and recall against the generator's happenings,
peak resident memory (VmHWM) and the resident memory before linking, and the baseline: the
same events sorted by (day, 0.1-degree cell), the floor any day-and-place blocking pays.
Target (the incidents issue): 1,000,000 events in at most 300 s. The machines are noisy:
read the ratio, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import sys
import time
from collections import Counter

from bench.synthetic import ACTORS, KINDS, PLACES, START
from truce.core import Event, Evidence, TimePrecision
from truce.incidents import LinkableEvent, LinkSettings, link_events

TARGET_S_PER_MILLION = 300.0
SYNONYMS = {
    "struck": ("hit", "targeted", "struck", "bombed"),
    "drone": ("drone", "UAV", "aircraft"),
    "car": ("car", "vehicle", "pickup truck"),
    "clashed": ("clashed", "exchanged fire", "fought"),
}
EXTRAS = (
    "the health ministry said",
    "a security source said",
    "witnesses told reporters",
    "according to the National News Agency",
    "killing one person",
    "no casualties were reported",
    "the army said",
    "",
)


def _rss_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return float("nan")


def _places(rng: random.Random) -> list[tuple[str, float, float]]:
    invented = [
        (f"Village {k}", rng.uniform(33.05, 34.4), rng.uniform(35.1, 36.4)) for k in range(400)
    ]
    return [*PLACES, *invented]


def _reword(template: str, place: str, rng: random.Random) -> str:
    words = []
    for word in template.format(p=place).split():
        words.append(rng.choice(SYNONYMS[word]) if word in SYNONYMS else word)
    extra = rng.choice(EXTRAS)
    return " ".join(words) + (f", {extra}." if extra else ".")


def generate(count: int, seed: int = 11) -> tuple[list[LinkableEvent], list[int]]:
    """`count` reports and, for each, the happening it tells of."""
    rng = random.Random(seed)
    places = _places(rng)
    outlets = [f"Outlet {k}" for k in range(40)]
    reports: list[LinkableEvent] = []
    truth: list[int] = []
    happening = 0
    doc = 0
    while len(reports) < count:
        happening += 1
        event_type, sub_event_type, template = rng.choice(KINDS)
        place, lat, lon = rng.choice(places)
        day = START + dt.timedelta(days=rng.randrange(730))
        actor1, actor2 = rng.sample(ACTORS, 2)
        published = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
        for _ in range(min(rng.randint(1, 5), count - len(reports))):
            doc += 1
            sentence = _reword(template, rng.choice((place, place.lower())), rng)
            week = rng.random() < 0.03
            event = Event.model_validate(
                {
                    "doc_id": f"doc-{doc}",
                    "event_type": event_type,
                    "sub_event_type": sub_event_type,
                    "event_date": day,
                    "time_precision": TimePrecision.WEEK if week else TimePrecision.DAY,
                    "actor1": None if rng.random() < 0.1 else actor1,
                    "actor2": None if rng.random() < 0.3 else actor2,
                    "location": place,
                    "admin1": "South" if lat < 33.5 else "Bekaa",
                    "country": "LB",
                    "latitude": lat + rng.uniform(-0.008, 0.008),
                    "longitude": lon + rng.uniform(-0.008, 0.008),
                    "sources": (),
                    "evidence": Evidence(text=sentence, start=0, end=len(sentence)),
                }
            )
            reports.append(
                LinkableEvent(
                    id=len(reports) + 1,
                    event=event,
                    document=event.doc_id,
                    source=rng.choice(outlets),
                    published=published + dt.timedelta(hours=rng.randrange(48)),
                )
            )
            truth.append(happening)
    rng.shuffle(reports)  # the linker must not rely on the generator's order
    return reports, truth


def _pairs(groups: list[list[int]]) -> int:
    return sum(len(g) * (len(g) - 1) // 2 for g in groups)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    started = time.perf_counter()
    reports, truth = generate(args.events)
    print(
        f"generated {len(reports):,} reports of {len(set(truth)):,} happenings "
        f"in {time.perf_counter() - started:.1f} s"
    )
    rss_before = _rss_mb("VmRSS")

    started = time.perf_counter()
    sorted(
        reports,
        key=lambda le: (
            le.event.event_date,
            math.floor((le.event.latitude or 0.0) * 10),
            math.floor((le.event.longitude or 0.0) * 10),
        ),
    )
    baseline_s = time.perf_counter() - started

    started = time.perf_counter()
    clusters = link_events(reports, LinkSettings())
    link_s = time.perf_counter() - started
    peak = _rss_mb("VmHWM")

    happening_of = {le.id: truth[le.id - 1] for le in reports}
    found = [list(c.ids) for c in clusters]
    linked = _pairs(found)
    right = sum(
        n * (n - 1) // 2 for ids in found for n in Counter(happening_of[i] for i in ids).values()
    )
    true_pairs = sum(n * (n - 1) // 2 for n in Counter(truth).values())
    budget = TARGET_S_PER_MILLION * len(reports) / 1_000_000
    print(f"events                      {len(reports):>12,}")
    print(f"incidents found             {len(clusters):>12,}  (happenings {len(set(truth)):,})")
    print(
        f"pairwise precision/recall   {right / max(linked, 1):>12.3f} / "
        f"{right / max(true_pairs, 1):.3f}"
    )
    print(f"baseline: sort by day, cell {baseline_s:>12.2f} s")
    print(
        f"link_events                 {link_s:>12.2f} s   {len(reports) / link_s:,.0f} events/s, "
        f"{link_s / baseline_s:.0f}x the sort"
    )
    flag = "ok" if link_s <= budget else "ABOVE TARGET"
    print(f"target for this many        {budget:>12.0f} s   {flag}")
    print(f"resident memory before link {rss_before:>12.0f} MB (the events themselves)")
    print(f"peak resident memory        {peak:>12.0f} MB ({peak - rss_before:.0f} MB for linking)")
    return 0 if link_s <= budget else 1


if __name__ == "__main__":
    sys.exit(main())
