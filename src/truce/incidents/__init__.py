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
   day number and date slack, point or region, folded place names, actors, and the content
   words of its evidence sentence.
2. **Blocking.** Three hash indexes keyed by (family, ..., day): a grid of cells at least
   `max_km` wide at the data's highest latitude (so a point's own cell and its 8 neighbours
   hold every point within `max_km`), the folded location name (one place geocoded two
   ways), and the region (admin1) for events placed only to their region. An event probes
   the days within its own slack; a pair found from both sides is checked once.
3. **Hard checks** (any failure: never one incident): two events of one document (extraction
   already reports a happening once per document); a different modality (asserted vs
   planned, threatened, denied, hypothetical); another type family, or another ACLED event
   type when both have one (an "Air/drone strike" and a "Shelling/artillery/missile attack"
   are both Explosions/Remote violence and may meet; a battle and a protest may not); dates
   further apart than the coarser precision's slack; points further than `max_km` apart
   (unless they carry the same place name), a region-only event outside the other's region
   (by admin1 name), or no shared place at all; two different known actor1s. The actor check
   makes swapped roles incompatible: "Israel attacked Hezbollah" and "Hezbollah attacked
   Israel" on one day are an attack and a retaliation, two incidents; an unknown actor1 on
   either side is compatible, scored lower, and actor2 only lowers the score (outlets
   disagree on who the target was far more often than on who struck).
4. **Score** of a compatible pair, a weighted mean in [0, 1] (`LinkWeights`): type (same
   sub-event type 1, another sub-event 0.7, PLOVER only 0.6), date (1 on the same day, less
   across the slack, x0.7 for a week or month precision), place (1 at the same point down to
   0.5 at `max_km`; 0.6 same name without coordinates; 0.3 same region only), actors, and
   wording (Jaccard similarity of content-word sets: cheap, no model).
5. **Merging.** Links scoring at least `min_similarity` are taken strongest first (ties by
   event order). Two groups merge only if *every* pair across them passed the hard checks:
   complete linkage on compatibility, single linkage on similarity. Plain union-find would
   chain a line of villages 4 km apart into one 40 km incident; a seed or medoid radius
   would make the result depend on which member came first. With complete linkage an
   incident's points all lie within `max_km` of each other, its dates within the slack, and
   it never holds two events of one document.

Defaults (`LinkSettings`): `max_km` 10 (a village and its outskirts, or two neighbouring
villages reported under either name; the wire services' "near X" rarely strays further);
date slack 0 days for day precision, 7 for week, 31 for month. The day slack is 0, not 1,
because in a ceasefire the same village is often struck on consecutive days, and merging
those would hide a violation; set `day_slack_days=1` to merge overnight or publication-day
offsets. `min_similarity` 0.55: two reports of one strike on one day within a few km with
the same actors score 0.7-0.9 whatever their wording; a compatible pair with unknown actors,
another sub-event type and different words falls near 0.5 and stays apart.

An incident keeps every member (id, document, outlet, publication time, evidence sentence,
its best link and score), the distinct outlets and the number of independent sources
(distinct outlets, plus each document with no outlet), the first and last publication
times, and a representative: the type, place and actors of the member most alike to the
others, the date range, and the centroid of the most precisely placed members.
"""

from truce.incidents.link import IncidentCluster, LinkableEvent, Member, explain_link, link_events
from truce.incidents.similarity import LinkDecision, LinkSettings, LinkWeights

__all__ = [
    "IncidentCluster",
    "LinkDecision",
    "LinkSettings",
    "LinkWeights",
    "LinkableEvent",
    "Member",
    "explain_link",
    "link_events",
]
