"""Incidents: events from different documents about the same happening, linked into one.

`link_events(events, settings)` takes `LinkableEvent`s (an extracted `Event` with its
document, outlet and publication time) and returns `IncidentCluster`s, every event in exactly
one. It is pure and deterministic: events are sorted by id first, so any input order gives
the same incidents. `explain_link(a, b, settings)` runs the same checks on one pair and says
which failed and what the pair scores, for the UI and for debugging.

The method:

1. **Features.** Each event is reduced once to plain values (no pydantic in the hot loop):
   its type family (its PLOVER type, or the PLOVER type its ACLED type maps to: battles,
   explosions and violence against civilians are all ASSAULT, protests and riots PROTEST),
   day number and date slack, point or region, folded place names, actors (and their
   parties, from `LinkSettings.actor_parties`), the part of the day its wording gives
   ("on Tuesday morning", "overnight", "late on Tuesday", skipping the day a source spoke),
   and the content words of its evidence sentence (a sorted tuple of interned strings).
2. **Blocking.** Three hash indexes keyed by (family, ..., day): a grid of cells at least
   `max_km` wide at the data's highest latitude (so a point's own cell and its 8 neighbours
   hold every point within `max_km`), the folded location name (one place geocoded two
   ways), and the region (admin1) for events placed only to their region. An event probes
   the days within its own slack (at least a day either way for a night-time report); a
   pair found from both sides is checked once. The indexes are built by a sweep through the
   days and hold only the days within the widest slack of the day being linked.
3. **Hard checks** (any failure: never one incident): two events of one document (extraction
   already reports a happening once per document); a different modality (asserted vs
   planned, threatened, denied, hypothetical); another type family, or another ACLED event
   type when both have one (an "Air/drone strike" and a "Shelling/artillery/missile attack"
   are both Explosions/Remote violence and may meet; a battle and a protest may not); dates
   further apart than the coarser precision's slack (a day either way when both reports
   are of the night, which one outlet dates before midnight and another after); on one
   day, parts of the day more than 5 hours apart ("morning" and "afternoon": two strikes
   on one village); places in two countries (a rocket landing in Metula and a strike on
   a Lebanese village 4 km away); points further than `max_km` apart (unless they carry
   the same place name), a region-only event outside the other's region (by admin1 name),
   or no shared place at all; two different known actor1s, unless the party map puts both
   in one party (a government and its army: compatible, scored lower). The actor check
   makes swapped roles incompatible: "Israel attacked Hezbollah" and "Hezbollah attacked
   Israel" on one day are an attack and a retaliation, two incidents; an unknown actor1 on
   either side is compatible, scored lower, and actor2 only lowers the score (outlets
   disagree on who the target was far more often than on who struck). Meetings,
   agreements and cooperation (CONSULT, AGREE, COOPERATE) have participants, not a
   perpetrator: their actors are compared as sets and only score.
4. **Score** of a compatible pair, a weighted mean in [0, 1] (`LinkWeights`): type (same
   sub-event type 1, another sub-event 0.7, PLOVER only 0.6), date (1 on the same day, less
   across the slack, x0.7 for a week or month precision), place (1 at the same point down to
   0.5 at `max_km`; two differently named places down to 0 at half of `max_km`, as Yater
   and Beit Lif 2 km apart are two villages; 0.6 same name without coordinates; 0.3 same
   region only), actors, and wording (Jaccard similarity of content-word sets: cheap, no
   model).
5. **Merging.** Links scoring at least `min_similarity` are taken strongest first (ties by
   event order). Two groups merge only if *every* pair across them passed the hard checks:
   complete linkage on compatibility, single linkage on similarity. Plain union-find would
   chain a line of villages 4 km apart into one 40 km incident; a seed or medoid radius
   would make the result depend on which member came first. With complete linkage an
   incident's points all lie within `max_km` of each other, its dates within the slack, and
   it never holds two events of one document. Only the links are kept in memory; a pair
   below the threshold is rechecked when a merge needs it.
6. **Analysts' constraints.** `link_events(..., together=, apart=)`: each `together` group
   (joined transitively through shared events) starts as one incident even where the hard
   checks fail, and grows only by events compatible with all of it; an `apart` pair is never
   in one incident. Ids not among the events are ignored; a pair that is both apart and
   (transitively) together raises InputError, since which analyst decision is current is the
   store's to settle.

Defaults (`LinkSettings`): `max_km` 10 (a village and its outskirts, or two neighbouring
villages reported under either name; the wire services' "near X" rarely strays further);
date slack 0 days for day precision, 7 for week, 31 for month. The day slack is 0, not 1,
because in a ceasefire the same village is often struck on consecutive days, and merging
those would hide a violation; set `day_slack_days=1` to merge overnight or publication-day
offsets. `min_similarity` 0.55: two reports of one strike on one day within a few km with
the same actors score 0.7-0.9 whatever their wording; a compatible pair with unknown actors,
another sub-event type and different words falls near 0.5 and stays apart.

`summarise(events, settings)` builds the incident of exactly the given events (one viewer's
visible members) by the same rules. An incident keeps every member (id, document, outlet,
publication time, evidence sentence, its best link and score), the distinct outlets and the
number of independent sources (distinct outlets, plus each document with no outlet), the
first and last publication times, and a representative: the type, place and actors of the
member most alike to the others (its actors and admin1, where it names none, the members'
most common), the date range, the centroid of the most precisely placed members, and the
fatality figure most members report (ties: the lower).
"""

from truce.incidents.book import (
    IncidentAction,
    LinkRun,
    check_may_reshape,
    link_stored_events,
    merge_incidents,
    split_incident,
    undo_incident_action,
)
from truce.incidents.link import (
    IncidentCluster,
    LinkableEvent,
    Member,
    explain_link,
    link_events,
    summarise,
)
from truce.incidents.similarity import LinkDecision, LinkSettings, LinkWeights
from truce.incidents.views import (
    IncidentMemberView,
    IncidentPage,
    IncidentQuery,
    IncidentView,
    explain_stored_link,
    get_incident,
    iter_incident_views,
    list_incidents,
)

__all__ = [
    "IncidentAction",
    "IncidentCluster",
    "IncidentMemberView",
    "IncidentPage",
    "IncidentQuery",
    "IncidentView",
    "LinkDecision",
    "LinkRun",
    "LinkSettings",
    "LinkWeights",
    "LinkableEvent",
    "Member",
    "check_may_reshape",
    "explain_link",
    "explain_stored_link",
    "get_incident",
    "iter_incident_views",
    "link_events",
    "link_stored_events",
    "list_incidents",
    "merge_incidents",
    "split_incident",
    "summarise",
    "undo_incident_action",
]
