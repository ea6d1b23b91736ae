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
    level = table.c.classification
    if viewer.sees_everything:
        return sa.true()
    if not viewer.sees_committee:
        return level == Classification.PUBLIC.value
    shared = level.in_([Classification.PUBLIC.value, Classification.COMMITTEE.value])
    if viewer.party is None:
        return shared
    own = sa.and_(level == Classification.RESTRICTED.value, table.c.owner_party == viewer.party)
    return sa.or_(shared, own)
