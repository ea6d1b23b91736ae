"""Analytics: counts and trends over incidents, candidate violations and findings.

`counts.tally` is the pure counting (see its docstring for what a violation is and how rows
count); `violations.count_violations` reads what one viewer may see from the store and tallies
it. This module sits above incidents, agreement and cases: it imports them, never the reverse.
"""

from truce.analytics.counts import (
    DIMENSIONS,
    GRANULARITIES,
    Basis,
    CountableIncident,
    CountedViolation,
    CountRow,
    Dimension,
    Granularity,
    ViolationCounts,
    period_of,
    tally,
)

__all__ = [
    "DIMENSIONS",
    "GRANULARITIES",
    "Basis",
    "CountRow",
    "CountableIncident",
    "CountedViolation",
    "Dimension",
    "Granularity",
    "ViolationCounts",
    "period_of",
    "tally",
]
