"""Deterministic synthetic material for the benchmarks: articles and events.

Fictional by construction; the places are real so the extractor and the map have work to do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from truce.core import Document, Event, Evidence

PLACES = [
    ("Khiam", 33.3294, 35.6117),
    ("Bint Jbeil", 33.1197, 35.4331),
    ("Naqoura", 33.1181, 35.1397),
    ("Tyre", 33.2733, 35.1939),
    ("Nabatieh", 33.3772, 35.4836),
    ("Marjayoun", 33.3603, 35.5919),
    ("Qana", 33.2092, 35.2992),
    ("Aitaroun", 33.1167, 35.4667),
    ("Kfar Kila", 33.2833, 35.5667),
    ("Yaroun", 33.0814, 35.4231),
    ("Baalbek", 34.0058, 36.2181),
    ("Hermel", 34.3942, 36.3847),
    ("Sidon", 33.5631, 35.3689),
    ("Metula", 33.2772, 35.5786),
    ("Kiryat Shmona", 33.2075, 35.5697),
]
KINDS = [
    ("Explosions/Remote violence", "Air/drone strike", "An Israeli drone struck a car in {p}"),
    (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        "Israeli artillery shelled the outskirts of {p}",
    ),
    ("Battles", "Armed clash", "Hezbollah fighters clashed with Israeli troops near {p}"),
    ("Protests", "Peaceful protest", "Hundreds of residents protested peacefully in {p}"),
    (
        "Strategic developments",
        "Disrupted weapons use",
        "The Lebanese army dismantled a rocket launcher near {p}",
    ),
    ("Strategic developments", "Arrests", "The Lebanese army arrested two men in {p}"),
]
ACTORS = [
    "Military Forces of Israel (2022-)",
    "Hezbollah",
    "Military Forces of Lebanon (2025-)",
    "Protesters (Lebanon)",
    "Civilians (Lebanon)",
]
FILLER = (
    "Residents said the area had been quiet for several days before the incident. "
    "Local officials called on the monitoring committee to investigate what happened. "
    "The army deployed additional units along the road, a security source said. "
    "Schools in the district stayed open, and farmers returned to their fields by noon. "
)
START = dt.date(2024, 11, 27)


def articles(count: int, *, seed: int = 7, size: int = 3500) -> Iterator[dict[str, str]]:
    """`count` contract-input documents of about `size` characters, each with a few events."""
    rng = random.Random(seed)
    for n in range(count):
        published = START + dt.timedelta(days=rng.randrange(700))
        parts = [f"Dispatch {n}."]
        for _ in range(3):
            _, _, template = rng.choice(KINDS)
            place = rng.choice(PLACES)[0]
            parts.append(template.format(p=place) + " on Monday, the health ministry said.")
        while sum(len(p) for p in parts) < size:
            parts.append(FILLER)
        yield {
            "id": f"bench-{n}",
            "text": " ".join(parts)[:size],
            "published": published.isoformat(),
            "title": f"Synthetic dispatch {n}",
            "source": "bench",
        }


def events_for(document: Document, count: int, rng: random.Random) -> list[Event]:
    """`count` plausible events attributed to `document`, each with its own evidence span."""
    out = []
    for i in range(count):
        event_type, sub_event_type, template = rng.choice(KINDS)
        place, lat, lon = rng.choice(PLACES)
        sentence = template.format(p=place) + f" (report {i})."
        out.append(
            Event(
                doc_id=document.id,
                event_type=event_type,
                sub_event_type=sub_event_type,
                event_date=START + dt.timedelta(days=rng.randrange(700)),
                actor1=rng.choice(ACTORS),
                actor2=rng.choice(ACTORS),
                location=place,
                country="IL" if place in ("Metula", "Kiryat Shmona") else "LB",
                latitude=lat + rng.uniform(-0.01, 0.01),
                longitude=lon + rng.uniform(-0.01, 0.01),
                fatalities=rng.choice([None, 0, 0, 1, 2]),
                sources=("bench",),
                evidence=Evidence(text=sentence, start=i, end=i + len(sentence)),
                confidence=0.5,
            )
        )
    return out
