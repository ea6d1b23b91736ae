"""The resolution list: hundreds of spellings of places in Lebanon, Israel and Syria.

Each surface form of `data/resolution.yaml` is resolved twice, the way the extractor does it
(the shipped gazetteer with the default theatre pack's curated places): by `lookup` alone,
and by `find_mentions` in a short sentence of the kind news uses. At least 95 % of the forms
must land within 5 km of the place; the misses are printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from truce.geo import Gazetteer, distance_km
from truce.theatre import load_pack

LIST = Path(__file__).parent / "data" / "resolution.yaml"
WITHIN_KM = 5.0
REQUIRED_SHARE = 0.95

#: a short sentence per country and script; "{}" is where the form goes
SENTENCES = {
    ("LB", "latin"): "An Israeli drone struck a car in {} in southern Lebanon on Tuesday.",
    ("IL", "latin"): "Sirens sounded in {} in northern Israel on Tuesday.",
    ("SY", "latin"): "An explosion hit {} in Syria on Tuesday, state media said.",
    ("LB", "arabic"): "غارة إسرائيلية على {} في جنوب لبنان",
    ("IL", "arabic"): "صفارات الإنذار في {} شمال إسرائيل",
    ("SY", "arabic"): "انفجار في {} في سوريا",
    ("IL", "hebrew"): "אזעקות נשמעו ב{} ביום שלישי",
}


@dataclass(frozen=True)
class Form:
    name: str
    hint: str | None  # a country the look-up is told, for names several countries share
    place: str
    country: str
    latitude: float
    longitude: float


def load_forms() -> list[Form]:
    forms = []
    for entry in yaml.safe_load(LIST.read_text(encoding="utf-8")):
        for item in entry["forms"]:
            name, hint = (item, None) if isinstance(item, str) else (item["name"], item["country"])
            forms.append(
                Form(
                    name,
                    hint,
                    entry["place"],
                    entry["country"],
                    float(entry["latitude"]),
                    float(entry["longitude"]),
                )
            )
    return forms


FORMS = load_forms()


def script(name: str) -> str:
    if any("\u0590" <= c <= "\u05ff" for c in name):
        return "hebrew"
    if any("\u0600" <= c <= "\u06ff" for c in name):
        return "arabic"
    return "latin"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load().with_extras(load_pack().places)


def off_by(form: Form, latitude: float, longitude: float) -> float:
    return distance_km(form.latitude, form.longitude, latitude, longitude)


def report(misses: list[str], total: int, what: str) -> float:
    share = 1 - len(misses) / total
    print(f"\n{what}: {total - len(misses)}/{total} within {WITHIN_KM:g} km ({share:.1%})")
    for miss in misses:
        print(f"  miss: {miss}")
    return share


def test_the_list_is_big_enough() -> None:
    assert len(FORMS) >= 150
    assert len({f.place for f in FORMS}) >= 80
    assert {f.country for f in FORMS} == {"LB", "IL", "SY"}
    assert {script(f.name) for f in FORMS} == {"latin", "arabic", "hebrew"}


def test_lookup_resolves_95_percent(gaz: Gazetteer) -> None:
    misses = []
    for form in FORMS:
        found = gaz.lookup(form.name, country=form.hint)
        if not found:
            misses.append(f"{form.name!r} ({form.place}): nothing")
            continue
        best = found[0]
        km = off_by(form, best.latitude, best.longitude)
        if km > WITHIN_KM:
            misses.append(f"{form.name!r} ({form.place}): {best.name}, {best.country}, {km:.0f} km")
    assert report(misses, len(FORMS), "lookup") >= REQUIRED_SHARE


def test_find_mentions_resolves_95_percent(gaz: Gazetteer) -> None:
    misses = []
    for form in FORMS:
        sentence = SENTENCES[(form.country, script(form.name))]
        text = sentence.format(form.name)
        start = sentence.index("{}")
        end = start + len(form.name)
        # the mention may leave out a prefix written onto the name (Hebrew "ב": "in") or a
        # word for the kind of place ("Kibbutz Dan")
        found = [m for m in gaz.find_mentions(text) if m.start < end and m.end > start]
        if not found:
            misses.append(f"{text!r}: no mention")
            continue
        best = found[0].place
        km = off_by(form, best.latitude, best.longitude)
        if km > WITHIN_KM:
            misses.append(
                f"{text!r}: {found[0].surface!r} -> {best.name}, {best.country}, {km:.0f} km"
            )
    assert report(misses, len(FORMS), "find_mentions") >= REQUIRED_SHARE
