"""One entry of the trigger lexicon, shared by `truce.extract.triggers` (the material and
diplomatic rules) and `truce.extract.verbal_lexicon` (the other PLOVER-only rules)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TriggerRule:
    """One lexicon entry: a pattern (case-insensitive) and the types it signals."""

    name: str
    pattern: str
    event_type: str | None = None
    sub_event_type: str | None = None
    plover: str | None = None
    needs: str | None = None  # a pattern the clause must also contain
    needs_in_sentence: bool = False  # ... or the whole sentence, not just the clause
    unless: str | None = None  # a pattern that, right after the match, rules it out
