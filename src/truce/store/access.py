"""The one place reads are filtered by who asks: `truce.core.access`'s rules as SQL.

Every read method of the Store takes the viewer and adds `visible_to(table, viewer)` for each
classified table it reads (`schema.CLASSIFIED_TABLES`), so no route, page or command can
forget to.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from truce.core.access import Classification, Principal


def visible_to(table: sa.Table, viewer: Principal) -> ColumnElement[bool]:
    """The rows of a classified `table` that `viewer` may see."""
    branches = visibility_branches(table, viewer)
    return sa.or_(*branches) if branches else sa.true()


def visibility_branches(table: sa.Table, viewer: Principal) -> list[ColumnElement[bool]]:
    """`visible_to` as conditions no two rows both meet, none for a viewer who sees
    everything: a count is the sum of the branches' counts, each read from the
    (classification, owner_party) index alone, where a count under their OR would first
    gather and de-duplicate every matching row id."""
    level = table.c.classification
    if viewer.sees_everything:
        return []
    if not viewer.sees_committee:
        return [level == Classification.PUBLIC.value]
    shared = level.in_([Classification.PUBLIC.value, Classification.COMMITTEE.value])
    if viewer.party is None:
        return [shared]
    own = sa.and_(level == Classification.RESTRICTED.value, table.c.owner_party == viewer.party)
    return [shared, own]
