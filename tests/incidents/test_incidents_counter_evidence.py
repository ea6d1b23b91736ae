"""What tells two close reports apart (or together): countries, parts of the day, nights
across midnight, place names, meetings' participants and actors of one party."""

from __future__ import annotations

import datetime as dt

import pytest
from test_incidents_link import DAY, ISRAEL, KFAR_KILA, groups, report

from truce.core.vocab import Plover, TimePrecision
from truce.geo.distance import distance_km
from truce.incidents import LinkableEvent, LinkSettings, explain_link, link_events
from truce.incidents.similarity import part_of_day

METULA = (33.2793, 35.5787)  # Israel, 4 km from Kfar Kila across the border
CHEBAA = (33.3475, 35.7492)
KFARCHOUBA = (33.3280, 35.6923)  # 5.7 km from Chebaa
NAQOURA = (33.1181, 35.1397)


@pytest.mark.parametrize(
    ("text", "hour"),
    [
        ("An Israeli drone struck a car in Khiam on Tuesday morning.", 9),
        ("A drone hit a house late on Tuesday afternoon, local sources said.", 17),
        ("Israeli jets struck before dawn on Tuesday.", 5),
        ("Warplanes struck the hills on Wednesday night.", 22),
        ("A strike overnight into the morning killed two.", 1),
        ("Israeli forces blew up houses late on Monday.", 21),
        ("A drone struck a car on Tuesday, the ministry said on Wednesday morning.", None),
        ("A drone struck a car on Tuesday morning and another that evening.", None),
        ("A drone struck a car in Khiam on Tuesday.", None),
    ],
)
def test_part_of_day(text: str, hour: int | None) -> None:
    assert part_of_day(text) == hour


def test_reports_from_two_countries_are_never_one_incident() -> None:
    rockets = report(
        "Rockets fired from Lebanon landed near Metula on Saturday.",
        document="d1",
        at=METULA,
        location="Metula",
        country="IL",
        admin1="Northern District",
        actor1=None,
        sub_event_type="Shelling/artillery/missile attack",
    )
    strike = report(
        "An Israeli drone struck a car in Kfar Kila on Saturday.",
        document="d2",
        at=KFAR_KILA,
        location="Kfar Kila",
    )
    assert distance_km(*METULA, *KFAR_KILA) < 5
    assert explain_link(rockets, strike, LinkSettings()).failed == ("place",)
    assert len(link_events([rockets, strike])) == 2


def test_morning_and_afternoon_in_one_village_are_two_incidents() -> None:
    morning = report("An Israeli drone struck a house in Khiam on Tuesday morning.", document="d1")
    afternoon = report(
        "Israeli artillery shelled the outskirts of Khiam on Tuesday afternoon.",
        document="d2",
        sub_event_type="Shelling/artillery/missile attack",
    )
    assert explain_link(morning, afternoon, LinkSettings()).failed == ("time of day",)
    assert len(link_events([morning, afternoon])) == 2
    # neighbouring parts of the day, or the day a source spoke, do not count against a link
    evening = report("An Israeli drone hit a house in Khiam on Tuesday evening.", document="d3")
    assert explain_link(afternoon, evening, LinkSettings()).compatible
    spoke = report(
        "An Israeli drone hit a house in Khiam, the mayor said on Wednesday afternoon.",
        document="d4",
    )
    assert explain_link(morning, spoke, LinkSettings()).linked


def test_a_night_is_reported_on_either_side_of_midnight() -> None:
    night = report(
        "Israeli warplanes struck the hills near Khiam on Wednesday night.", document="d1"
    )
    overnight = report(
        "Israeli aircraft struck the hills near Khiam overnight, the army said.",
        document="d2",
        day=DAY + dt.timedelta(days=1),
    )
    decision = explain_link(night, overnight, LinkSettings())
    assert decision.days_apart == 1
    assert decision.compatible
    assert groups(link_events([overnight, night])) == [tuple(sorted((night.id, overnight.id)))]
    # a report of the day after that gives no night stays apart
    next_day = report(
        "An Israeli drone struck near Khiam.", document="d3", day=DAY + dt.timedelta(days=1)
    )
    assert explain_link(night, next_day, LinkSettings()).failed == ("date",)


def test_differently_named_villages_count_as_near_only_when_close() -> None:
    kfarchouba = report(
        "Israeli artillery shelled the outskirts of Kfarchouba on Sunday.",
        document="d1",
        at=KFARCHOUBA,
        location="Kfar Chouba",
        sub_event_type="Shelling/artillery/missile attack",
    )
    chebaa = report(
        "Israeli shells landed on pastureland above Chebaa on Sunday.",
        document="d2",
        at=CHEBAA,
        location="Chebaa",
        sub_event_type="Shelling/artillery/missile attack",
    )
    same_name = report(
        "Israeli shells landed on pastureland above Chebaa on Sunday.",
        document="d3",
        at=CHEBAA,
        location="Kfar Chouba",
        sub_event_type="Shelling/artillery/missile attack",
    )
    assert 5 < distance_km(*KFARCHOUBA, *CHEBAA) < 7
    apart = explain_link(kfarchouba, chebaa, LinkSettings())
    assert apart.compatible
    assert not apart.linked
    assert apart.score < explain_link(kfarchouba, same_name, LinkSettings()).score


def test_a_meetings_participants_are_compared_as_a_set() -> None:
    def meeting(document: str, actor1: str | None, actor2: str | None) -> LinkableEvent:
        return report(
            "The ceasefire monitoring mechanism met at Naqoura on Tuesday.",
            document=document,
            at=NAQOURA,
            location="Naqoura",
            event_type=None,
            sub_event_type=None,
            plover=Plover.CONSULT,
            actor1=actor1,
            actor2=actor2,
        )

    lebanon_first = meeting("d1", "Government of Lebanon", "UNIFIL")
    unifil_first = meeting("d2", "UNIFIL", "Government of the United States")
    israel_only = meeting("d3", ISRAEL, None)
    for a, b in ((lebanon_first, unifil_first), (lebanon_first, israel_only)):
        assert explain_link(a, b, LinkSettings()).compatible
    assert len(link_events([lebanon_first, unifil_first, israel_only])) == 1


def test_actors_of_one_party_are_compatible_when_the_map_says_so() -> None:
    army = report("The Israeli army struck a car in Khiam.", document="d1")
    government = report(
        "Israel struck a car in Khiam, its government said.",
        document="d2",
        actor1="Government of Israel",
    )
    hezbollah = report("Hezbollah fired at Khiam.", document="d3", actor1="Hezbollah")
    assert explain_link(army, government, LinkSettings()).failed == ("actors",)
    parties = {ISRAEL: "israel", "Government of Israel": "israel", "Hezbollah": "lebanon"}
    settings = LinkSettings(actor_parties=parties)
    same_party = explain_link(army, government, settings)
    assert same_party.compatible
    assert same_party.score < explain_link(army, army_copy(army), settings).score
    assert explain_link(army, hezbollah, settings).failed == ("actors",)
    assert hash(settings) == hash(LinkSettings(actor_parties=dict(parties)))


def army_copy(le: LinkableEvent) -> LinkableEvent:
    return LinkableEvent(id=le.id + 10**6, event=le.event, document=le.document + "-copy")


def test_the_day_sweep_keeps_every_pair_within_the_widest_slack() -> None:
    # strikes on Khiam every third day for two months, and one report dated only to the
    # month, 20 days after the first: it may meet every day report within 31 days, which
    # the sweep must hold in its blocks at once
    days = [
        report(
            "An Israeli drone struck a car in Khiam.",
            document=f"d{k}",
            day=DAY + dt.timedelta(days=3 * k),
            event_id=500 + k,
        )
        for k in range(20)
    ]
    month = report(
        "In January an Israeli drone struck a car in Khiam.",
        document="monthly",
        day=DAY + dt.timedelta(days=20),
        time_precision=TimePrecision.MONTH,
        event_id=499,
    )
    clusters = link_events([*days, month])
    (with_month,) = [c for c in clusters if 499 in c.ids]
    assert len(with_month.members) == 2  # the month report joins one day report
    # the nearest day report (day 21, one day away) scores highest and takes it
    assert with_month.ids == (499, 507)
    # every day report is alone otherwise: day precision has no slack
    assert len(clusters) == len(days)
