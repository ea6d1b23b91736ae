"""Trigger rules for the PLOVER types that have no ACLED event type of their own.

SUPPORT, COOPERATE, AID, RETREAT, SANCTION and MOBILIZE are what a ceasefire monitor reads
around the fighting: who backed a plan, who patrolled with whom, who sent aid, who pulled
out, who punished whom, who massed troops. They are coded as PLOVER-only events (no ACLED
event type), like the consultations and accusations of `truce.extract.triggers`.

Each pattern asks for a verb with its object ("withdrew its troops", "imposed sanctions")
rather than a bare noun, because a noun is as often what someone asks for ("called for the
withdrawal") as what happened. Lookaheads (which consume no text) keep a match short, so it
never overlaps, and so never displaces, a material trigger next to it.
"""

from __future__ import annotations

from truce.extract.trigger_rule import TriggerRule

_DETERMINERS = r"(?:the|a|an|its|their|his|her|all|some|most|remaining|last|several|two|three)"
_MILITARY = (
    r"(?:troops|forces|soldiers|units|fighters|tanks|personnel|battalions?|brigades?|"
    r"contingents?|reservists|divisions?|armou?red\s+vehicles)"
)
_PLACE_NOUN = (
    r"(?:towns?|villages?|areas?|positions?|posts?|outposts?|bases?|hill(?:top)?s?|"
    r"territory|border|city|district|region|zone|sector|strip|(?-i:[A-Z]))"
)
_AID_NOUN = (
    r"(?:aid|assistance|relief|medicines?|medical\s+supplies|food|food\s+parcels|tents|"
    r"blankets|humanitarian\s+supplies)"
)

VERBAL_LEXICON: tuple[TriggerRule, ...] = (
    TriggerRule(
        "support",
        r"(?:express|voic|reiterat|reaffirm|pledg|declar)(?:ed|es|ing)\s+(?:(?:its|their|his|"
        r"her|full|strong|continued|unwavering|firm|total)\s+){0,3}support|"
        r"(?<!-)endors(?:ed|es|ing)|"
        r"(?<!-)(?:back|support)(?:ed|s|ing)\s+(?:the|a|an|its|their)\s+(?:[\w-]+\s+){0,2}?"
        r"(?:plan|proposals?|initiative|deal|agreement|ceasefire|truce|bid|efforts?|"
        r"resolution|decision|call|move|roadmap|framework)|"
        r"welcom(?:ed|es|ing)\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,2}?(?:decision|agreement|"
        r"deal|ceasefire|truce|announcement|move|step|plan|proposal|initiative|resolution|"
        r"efforts?|progress|deployment|release)|"
        r"(?:prais|commend|hail|lauded)(?:ed|es|ing)?",
        plover="SUPPORT",
        unless=r"\s+from\b",
    ),
    TriggerRule(
        "cooperate",
        r"coordinat(?:ed|es|ing)\s+with|in\s+(?:close\s+|full\s+)?coordination\s+with|"
        r"cooperat(?:ed|es|ing)\s+with|in\s+cooperation\s+with|"
        r"joint(?:ly)?\s+(?:[\w-]+\s+)?(?:patrols?|patrolled|exercises?|drills?)|"
        r"shar(?:ed|es|ing)\s+(?:[\w-]+\s+)?intelligence|intelligence[\s-]sharing",
        plover="COOPERATE",
    ),
    TriggerRule(
        "aid",
        r"(?:deliver(?:ed|s|ing)?|sen(?:t|ds|ding)|dispatch(?:ed|es|ing)|distribut(?:ed|es|ing)|"
        r"provid(?:ed|es|ing)|airdropp(?:ed|ing)|airlift(?:ed|ing)|donat(?:ed|es|ing)|"
        r"pledg(?:ed|es|ing))\s+(?:[\w$,.-]+\s+){0,5}?" + _AID_NOUN + "|"
        r"(?:aid|relief|humanitarian)\s+(?:convoys?|shipments?|flights?|deliveries|trucks)"
        r"(?=\s+(?:\w+\s+)?(?:arrived|reached|entered|crossed|(?:was|were)\s+delivered))",
        plover="AID",
        unless=r"\s+(?:workers?|agenc(?:y|ies)|groups?|organi[sz]ations?|officials?|"
        r"cuts?|freeze)\b",
    ),
    TriggerRule(
        "retreat",
        r"(?:withdr[ae]w(?:n|s|ing)?|pull(?:ed|s|ing)?\s+(?:out|back)|mov(?:ed|ing)\s+back)\s+"
        rf"(?:{_DETERMINERS}\s+|of\s+){{0,3}}(?:[\w-]+\s+)?{_MILITARY}|"
        r"(?:withdr[ae]w(?:n|s|ing)?|pull(?:ed|s|ing)?\s+(?:out|back)|retreat(?:ed|s|ing)?)\s+"
        rf"from(?=\s+(?:{_DETERMINERS}\s+)?(?:[\w-]+\s+)?{_PLACE_NOUN})|"
        rf"pull(?:ed|s|ing)\s+(?:{_DETERMINERS}\s+){{0,2}}(?:[\w-]+\s+)?{_MILITARY}\s+(?:out|back)|"
        r"evacuat(?:ed|es|ing)\s+(?:(?:its|their|the|several|two|all)\s+)?(?:[\w-]+\s+)?"
        r"(?:positions|posts|outposts|bases|barracks)|"
        r"(?:completed|began|begun|started|finished)\s+(?:(?:its|their|the|a)\s+)?"
        r"(?:[\w-]+\s+)?withdrawal",
        plover="RETREAT",
        unless=r"\s+(?:deadline|date|timetable|period|plan|schedule)\b",
    ),
    TriggerRule(
        "sanction",
        r"(?:impos|announc|slapp|introduc|adopt|extend|tighten|approv)(?:ed|es|ing)?\s+"
        r"(?:(?:new|fresh|further|additional|sweeping|targeted|economic|financial|tough|more|"
        r"its|their)\s+){0,3}(?:sanctions|travel\s+bans?|(?:an\s+)?arms\s+embargo|embargo)|"
        r"sanction(?:ed|s|ing)(?=\s+(?:[\w-]+\s+){0,3}?(?:officials?|individuals|entities|"
        r"companies|banks|members|financiers|leaders?|commanders?|firms|people))|"
        r"(?:froze|freez(?:es|ing))\s+(?:(?:the|their|its|his|all)\s+)?(?:[\w-]+\s+){0,2}?"
        r"(?:assets|accounts|funds)|asset\s+freezes?|"
        r"(?:expell?(?:ed|ing|s)?|recall(?:ed|s|ing)?)\s+(?:(?:the|its|their|two|three|several|"
        r"[\w-]+)\s+){0,3}?(?:ambassadors?|diplomats?|envoys?|charg[eé]\s+d'affaires)|"
        r"suspend(?:ed|s|ing)\s+(?:(?:all|its|their|the)\s+)?(?:[\w-]+\s+){0,2}?(?:aid|"
        r"assistance|cooperation|funding|arms\s+sales|arms\s+exports|trade|relations|ties)|"
        r"(?:severed|cut|broke|broken)\s+(?:off\s+)?(?:(?:its|their|all)\s+)?(?:diplomatic\s+)?"
        r"(?:ties|relations)|blacklist(?:ed|s|ing)|"
        r"designat(?:ed|es|ing)\s+(?:[\w-]+\s+){1,4}?as\s+(?:an?\s+)?(?:foreign\s+)?terrorist",
        plover="SANCTION",
    ),
    TriggerRule(
        "mobilize",
        r"(?:re)?deploy(?:ed|s|ing)?\s+(?:(?:additional|more|extra|new|fresh|further|"
        r"thousands\s+of|hundreds\s+of|dozens\s+of|\d[\d,]*|two|three|several|its|their|the|"
        rf"army|military|elite)\s+){{0,3}}(?:reinforcements|{_MILITARY})|"
        r"mobili[sz](?:ed|es|ing)|(?:announc|declar|order)(?:ed|es|ing)\s+(?:an?\s+)?"
        r"(?:general\s+|partial\s+|full\s+)?mobili[sz]ation|"
        r"call(?:ed|s|ing)?\s+up\s+(?:[\w,-]+\s+){0,3}?(?:reservists|reserves|reserve\s+troops)|"
        r"mass(?:ed|es|ing)\s+(?:[\w-]+\s+){0,2}?(?:troops|forces|tanks)|"
        r"(?:sen[dt]|sending|dispatch(?:ed|es|ing)|brought|bringing|rush(?:ed|ing))\s+(?:in\s+)?"
        r"(?:(?:more|additional|fresh|military|army|[\w-]+)\s+)?reinforcements|"
        r"rais(?:ed|es|ing)\s+(?:(?:the|its|their)\s+)?(?:[\w-]+\s+)?(?:alert|readiness)|"
        r"(?:placed|put|putting)\s+(?:[\w-]+\s+){0,3}?on\s+(?:high|maximum|full)\s+alert",
        plover="MOBILIZE",
    ),
)
