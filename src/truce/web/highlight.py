"""Splitting a document's text around its evidence sentence, for the event page.

The page renders the three parts as text (Jinja autoescapes each) with only the middle one
inside ``<mark>``: the document itself is never treated as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

from truce.core.models import Evidence


@dataclass(frozen=True)
class HighlightedText:
    """``before + evidence + after`` is the whole text; ``evidence`` is empty when not found."""

    before: str
    evidence: str
    after: str
    #: True when the stored offsets located the evidence; False when it was found by its
    #: wording (offsets out of step with the stored text) or not at all
    exact: bool


def highlight_evidence(text: str, evidence: Evidence) -> HighlightedText:
    """Locate the evidence in the text: by its offsets when they hold, else by its wording."""
    start, end = evidence.start, evidence.end
    wanted = evidence.text.strip()
    if not wanted:
        return HighlightedText(text, "", "", exact=False)
    if end <= len(text) and text[start:end].strip() == wanted:
        # keep the exact span but leave surrounding whitespace out of the mark
        start += len(text[start:end]) - len(text[start:end].lstrip())
        end = start + len(wanted)
        return HighlightedText(text[:start], text[start:end], text[end:], exact=True)
    found = text.find(wanted)
    if found < 0:
        return HighlightedText(text, "", "", exact=False)
    end = found + len(wanted)
    return HighlightedText(text[:found], text[found:end], text[end:], exact=False)
