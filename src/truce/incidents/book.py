"""The incident book: incidents kept in the store, reshaped by the linker and by analysts, and
shown to each viewer from the members it may see.

A documented exception to "incidents is pure": this module reads and writes the store (through
`truce.store.incidents`) and runs the agreement check; `link.py` and `similarity.py` stay pure.

- **Membership has history.** No member row is deleted; taking an event out of an incident
  marks its row removed by an action. Every change is one `incident_actions` row (`link`,
  `merge`, `split`, `undo`) whose detail holds the touched incidents' membership before and
  after, plus one audit entry per incident created, changed, reopened or retired.
- **Analysts' decisions bind the linker**: a merge records `together` constraints (a star
  from the merged incident's lowest event), a split `apart` pairs across the two sides (and
  keeps each side together), retracting any decision of the other kind they contradict;
  `link_stored_events` passes those in force to `link_events`. An undo switches back the
  constraints its action switched.
- **Stable ids.** A link run keeps an incident's id for the new group that holds most of its
  members (largest overlap first, each old id used once), creates incidents for the other
  groups and retires those left empty (`superseded_by`: where most of their members went).
  A run over unchanged events writes nothing.
- **Undo** restores an action's "before" membership if the touched incidents still hold
  exactly its "after" (else ConflictError: undo the later action first). Undoing an undo
  re-applies the action it undid.
- **Per viewer.** A viewer sees an incident iff it may see one of the members the incident
  shows; the summary, members, agreement check and actions are computed from those alone,
  so a hidden member is neither shown nor counted nor hinted at.
- **Who may reshape**: the chair, monitors and the system (with write scope).

Link scores are stored as the linker gave them when a member was added; views recompute
each member's best link among the members the viewer sees (`truce.incidents.views`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.engine import Connection

from truce.core.access import Principal, Role
from truce.core.audit import content_hash
from truce.core.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from truce.incidents.link import IncidentCluster, LinkableEvent, link_events
from truce.incidents.similarity import LinkSettings
from truce.store import Store, StoredEvent
from truce.store import incidents as rows
from truce.store.store import Batch
from truce.theatre import load_pack

TOGETHER = "together"
APART = "apart"
#: roles that may link, merge, split and undo (besides the system)
RESHAPING_ROLES = frozenset({Role.CHAIR, Role.MONITOR})
MAX_PAGE = 500
DEFAULT_PAGE = 50
MAX_REASON = 2000
#: incidents built into views at a time when streaming them
VIEW_CHUNK = 200

# --- what the functions give back ---------------------------------------------------------


@dataclass(frozen=True)
class LinkRun:
    """What a link run did: incidents after it, new, changed, unchanged, retired; events
    linked; the action recorded (None when nothing changed)."""

    incidents: int
    new: int
    changed: int
    unchanged: int
    retired: int
    events: int
    action: int | None = None


@dataclass(frozen=True)
class IncidentAction:
    """One reshaping of incidents: which were touched and their members before and after."""

    id: int
    kind: str  # link, merge, split, undo
    at: dt.datetime
    by: str
    reason: str | None
    incidents: tuple[int, ...]
    before: dict[int, tuple[int, ...]]
    after: dict[int, tuple[int, ...]]
    created: tuple[int, ...] = ()
    retired: tuple[int, ...] = ()
    undone_at: dt.datetime | None = None
    undone_by: str | None = None
    undoes: int | None = None


# --- who may reshape ----------------------------------------------------------------------


def check_may_reshape(by: Principal) -> None:
    """PermissionDeniedError unless `by` may link, merge, split or undo incidents."""
    if not by.may_write or not (by.system or by.role in RESHAPING_ROLES):
        raise PermissionDeniedError(
            f"{by.name} ({by.role}) may not link, merge, split or undo incidents: that is "
            "for the chair and monitors"
        )


# --- linking ------------------------------------------------------------------------------


def link_stored_events(
    store: Store, *, by: Principal, settings: LinkSettings | None = None
) -> LinkRun:
    """Link every stored event into incidents, respecting analysts' decisions, in one
    transaction; incidents keep their ids (see the module docstring).

    The run covers every event whoever runs it: incidents are one structure, and each
    viewer later sees only its part of it.
    """
    check_may_reshape(by)
    settings = settings or LinkSettings()
    if not settings.actor_parties:
        # two actors of one side (an army and its air force) are then compatible
        pack = load_pack(None)
        parties = {actor.name: actor.party for actor in pack.actors if actor.party}
        settings = replace(settings, actor_parties=parties)
    with store.transaction(by=by) as batch:
        connection = batch.connection
        rows.lock_incidents(batch)
        linkables = [
            LinkableEvent(
                id=row.id,
                event=row.event,
                document=str(row.document_pk),
                source=row.source,
                published=row.published,
            )
            for row in rows.iter_link_inputs(connection)
        ]
        current = rows.active_memberships(connection)
        together, apart = _constraints_in_force(connection)
        clusters = link_events(linkables, settings, together=together, apart=apart)
        before: dict[int, dict[int, rows.MemberRow]] = {}
        for member in current.values():
            before.setdefault(member.incident_id, {})[member.event_id] = member
        kept = _stable_ids(clusters, current)
        fresh = [index for index in range(len(clusters)) if index not in kept]
        changed = [
            index
            for index, incident_id in kept.items()
            if set(before[incident_id]) != set(clusters[index].ids)
        ]
        left = set(before) - set(kept.values())
        if not fresh and not changed and not left:
            return LinkRun(len(clusters), 0, 0, len(clusters), 0, len(linkables))
        new_ids = rows.create_incidents(batch, len(fresh), _now())
        target: dict[int, dict[int, tuple[float | None, int | None]]] = {}
        for index, incident_id in [*zip(fresh, new_ids, strict=True)] + [
            (index, kept[index]) for index in changed
        ]:
            target[incident_id] = {m.id: (m.score, m.linked_to) for m in clusters[index].members}
        for incident_id in left:
            target[incident_id] = {}
        action = _apply(
            batch,
            kind="link",
            reason=None,
            current={pk: before.get(pk, {}) for pk in target},
            target=target,
            created=new_ids,
        )
        return LinkRun(
            incidents=len(clusters),
            new=len(fresh),
            changed=len(changed),
            unchanged=len(clusters) - len(fresh) - len(changed),
            retired=len(left),
            events=len(linkables),
            action=action.id,
        )


def linkable(event: StoredEvent) -> LinkableEvent:
    # the document's key, not its doc_id: two outlets may use the same doc_id
    return LinkableEvent(
        id=event.id,
        event=event,
        document=str(event.document_pk),
        source=event.source,
        published=event.published,
    )


def _constraints_in_force(
    connection: Connection,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    together: list[tuple[int, int]] = []
    apart: list[tuple[int, int]] = []
    for constraint in rows.active_constraints(connection):
        pair = (constraint.event_a, constraint.event_b)
        (together if constraint.kind == TOGETHER else apart).append(pair)
    return together, apart


def _stable_ids(
    clusters: Sequence[IncidentCluster], current: Mapping[int, rows.MemberRow]
) -> dict[int, int]:
    """Cluster index -> the existing incident id it keeps: largest overlap first (ties: the
    lower incident id, then the earlier cluster), each old id used once."""
    candidates: list[tuple[int, int, int]] = []
    for index, cluster in enumerate(clusters):
        overlap = Counter(
            current[member.id].incident_id for member in cluster.members if member.id in current
        )
        candidates.extend((-count, incident_id, index) for incident_id, count in overlap.items())
    candidates.sort()
    kept: dict[int, int] = {}
    used: set[int] = set()
    for _, incident_id, index in candidates:
        if index not in kept and incident_id not in used:
            kept[index] = incident_id
            used.add(incident_id)
    return kept


# --- analysts' actions --------------------------------------------------------------------


def merge_incidents(
    store: Store, incident_ids: Sequence[int], *, by: Principal, reason: str | None = None
) -> IncidentAction:
    """Make the incidents one: the lowest id keeps every member, the others retire
    (superseded by it). The linker keeps them together from now on."""
    check_may_reshape(by)
    reason = _reason(reason)
    ids = sorted(set(incident_ids))
    if len(ids) < 2:
        raise InputError("a merge needs at least two different incidents", source="incidents")
    with store.transaction(by=by) as batch:
        connection = batch.connection
        rows.lock_incidents(batch)
        _check_active(connection, ids, by)
        members = rows.members_of(connection, ids)
        survivor = ids[0]
        merged = {
            member.event_id: (member.link_score, member.linked_to)
            for pk in ids
            for member in members[pk]
        }
        event_ids = sorted(merged)
        in_force = rows.active_constraints(connection, event_ids)
        inside = set(event_ids)
        contradicted = [
            c.id
            for c in in_force
            if c.kind == APART and c.event_a in inside and c.event_b in inside
        ]
        have = {(c.event_a, c.event_b) for c in in_force if c.kind == TOGETHER}
        anchor = event_ids[0]
        pairs = [(anchor, e) for e in event_ids[1:] if (anchor, e) not in have]
        target: dict[int, dict[int, tuple[float | None, int | None]]] = {pk: {} for pk in ids}
        target[survivor] = merged
        return _action_for(
            connection,
            by,
            _apply(
                batch,
                kind="merge",
                reason=reason,
                current={pk: {m.event_id: m for m in members[pk]} for pk in ids},
                target=target,
                new_constraints=[(TOGETHER, a, b) for a, b in pairs],
                constraints_off=contradicted,
            ),
        )


def split_incident(
    store: Store,
    incident_id: int,
    event_ids: Collection[int],
    *,
    by: Principal,
    reason: str | None = None,
) -> IncidentAction:
    """Move the given members into a new incident. The linker keeps the two apart (and
    each side together) from now on."""
    check_may_reshape(by)
    reason = _reason(reason)
    moving = set(event_ids)
    if not moving:
        raise InputError("name the members to split off", source="events")
    with store.transaction(by=by) as batch:
        connection = batch.connection
        rows.lock_incidents(batch)
        _check_active(connection, [incident_id], by)
        members = {m.event_id: m for m in rows.members_of(connection, [incident_id])[incident_id]}
        seen = rows.visible_event_ids(connection, members, by)
        strangers = sorted(moving - seen)
        if strangers:
            raise InputError(
                f"events {', '.join(map(str, strangers))} are not members of incident "
                f"{incident_id}",
                source="events",
            )
        staying = set(members) - moving
        if not staying:
            raise InputError(
                f"splitting off every member of incident {incident_id} would change nothing",
                source="events",
            )
        in_force = rows.active_constraints(connection, members)
        crossing = [
            c.id
            for c in in_force
            if c.kind == TOGETHER and ((c.event_a in moving) != (c.event_b in moving))
        ]
        have = {(c.kind, c.event_a, c.event_b) for c in in_force}
        wanted = [(APART, min(a, b), max(a, b)) for a in sorted(moving) for b in sorted(staying)]
        wanted += _star(moving)
        if crossing:  # the rest was merged by an analyst: it stays one incident
            wanted += _star(staying)
        new_id = rows.create_incidents(batch, 1, _now())[0]
        current = {incident_id: members, new_id: {}}
        target = {
            incident_id: {e: (members[e].link_score, members[e].linked_to) for e in staying},
            new_id: {e: (members[e].link_score, members[e].linked_to) for e in moving},
        }
        return _action_for(
            connection,
            by,
            _apply(
                batch,
                kind="split",
                reason=reason,
                current=current,
                target=target,
                created=[new_id],
                new_constraints=[c for c in wanted if c not in have],
                constraints_off=crossing,
            ),
        )


def undo_incident_action(store: Store, action_id: int, *, by: Principal) -> IncidentAction:
    """Restore the membership (and constraints) from before the action; ConflictError if it
    is undone already, or if its incidents changed since (undo the later action first)."""
    check_may_reshape(by)
    with store.transaction(by=by) as batch:
        connection = batch.connection
        rows.lock_incidents(batch)
        undone = rows.action_row(connection, action_id)
        touched = [] if undone is None else [int(pk) for pk in undone.detail["incidents"]]
        if undone is None or not rows.visible_incident_ids(connection, touched, by):
            raise NotFoundError(f"no incident action with id {action_id}")
        if undone.undone_at is not None:
            raise ConflictError(f"incident action {action_id} is undone already")
        after = _membership(undone.detail["after"])
        before = _membership(undone.detail["before"])
        members = rows.members_of(connection, touched)
        for pk in touched:
            if {m.event_id for m in members[pk]} != set(after.get(pk, ())):
                raise ConflictError(
                    f"incident {pk} changed after action {action_id}; undo the later action first"
                )
        links = {(m.incident_id, m.event_id): m for m in rows.removed_by(connection, action_id)}
        target = {
            pk: {
                e: (links[(pk, e)].link_score, links[(pk, e)].linked_to)
                if (pk, e) in links
                else (None, None)
                for e in before.get(pk, ())
            }
            for pk in touched
        }
        on = [int(c) for c in undone.detail.get("constraints_on", [])]
        off = [int(c) for c in undone.detail.get("constraints_off", [])]
        action = _apply(
            batch,
            kind="undo",
            reason=None,
            current={pk: {m.event_id: m for m in members[pk]} for pk in touched},
            target=target,
            constraints_off=on,
            constraints_on=off,
            undoes=action_id,
        )
        now = action.at
        rows.set_undone(batch, action_id, now)
        batch.audit.record(
            "incident_action.undone",
            "incident_actions",
            action_id,
            content_hash({"undone_at": now, "undone_by": by.name}),
            {"by_action": action.id},
        )
        if undone.kind == "undo" and undone.undoes is not None:
            rows.set_undone(batch, undone.undoes, None)  # undoing an undo re-applies it
            batch.audit.record(
                "incident_action.redone",
                "incident_actions",
                undone.undoes,
                content_hash({"undone_at": None, "undone_by": None}),
                {"by_action": action.id},
            )
        return _action_for(connection, by, action)


def _check_active(connection: Connection, ids: Sequence[int], by: Principal) -> None:
    """NotFoundError for an incident `by` may not see; ConflictError for a retired one."""
    visible = rows.visible_incident_ids(connection, ids, by)
    for pk in ids:
        if pk not in visible:
            raise NotFoundError(f"no incident with id {pk}")
    for pk, row in rows.incident_rows(connection, ids).items():
        if row.retired_at is not None:
            raise ConflictError(
                f"incident {pk} is retired (superseded by {row.superseded_by}); "
                "reshape the incident that replaced it"
            )


def _star(events: Collection[int]) -> list[tuple[str, int, int]]:
    ordered = sorted(events)
    return [(TOGETHER, ordered[0], e) for e in ordered[1:]]


def _reason(reason: str | None) -> str | None:
    if reason is None or not reason.strip():
        return None
    if len(reason) > MAX_REASON:
        raise InputError(f"a reason is at most {MAX_REASON} characters", source="reason")
    return reason.strip()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _membership(stored: Mapping[str, Sequence[int]]) -> dict[int, tuple[int, ...]]:
    return {int(pk): tuple(int(e) for e in events) for pk, events in stored.items()}


def _apply(
    batch: Batch,
    *,
    kind: str,
    reason: str | None,
    current: Mapping[int, Mapping[int, rows.MemberRow]],
    target: Mapping[int, Mapping[int, tuple[float | None, int | None]]],
    created: Sequence[int] = (),
    new_constraints: Sequence[tuple[str, int, int]] = (),
    constraints_off: Collection[int] = (),
    constraints_on: Collection[int] = (),
    undoes: int | None = None,
) -> rows.ActionRow:
    """Write one action: move the touched incidents from `current` to `target` membership,
    retire those left empty and reopen retired ones given members, switch constraints, and
    record the action row and its audit entries."""
    connection = batch.connection
    now = _now()
    touched = sorted(target)
    states = rows.incident_rows(connection, touched)
    destination = {e: pk for pk in touched for e in target[pk]}
    retire: dict[int, int | None] = {}
    reopen: list[int] = []
    for pk in touched:
        state = states[pk]
        if not target[pk] and state.retired_at is None:
            went = Counter(destination[e] for e in current[pk] if e in destination)
            retire[pk] = min(went, key=lambda i: (-went[i], i)) if went else None
        elif target[pk] and state.retired_at is not None:
            reopen.append(pk)
    detail: dict[str, Any] = {
        "incidents": touched,
        "before": {str(pk): sorted(current[pk]) for pk in touched},
        "after": {str(pk): sorted(target[pk]) for pk in touched},
        "created": sorted(created),
        "retired": sorted(retire),
        "reopened": sorted(reopen),
    }
    action = rows.insert_action(
        batch, kind=kind, at=now, reason=reason, detail=detail, undoes=undoes
    )
    removed = [
        member.id for pk in touched for e, member in current[pk].items() if destination.get(e) != pk
    ]
    rows.remove_members(batch, removed, now, action.id)  # before adding: one active row each
    added = [
        {"incident_id": pk, "event_id": e, "link_score": score, "linked_to": linked_to}
        for pk in touched
        for e, (score, linked_to) in sorted(target[pk].items())
        if e not in current[pk]
    ]
    rows.add_members(batch, added, now, action.id)
    rows.retire_incidents(batch, retire, now, action.id)
    rows.reactivate_incidents(batch, reopen)
    new_ids = [
        rows.add_constraints(batch, kind_, [(a, b)], action.id)[0]
        for kind_, a, b in new_constraints
    ]
    rows.set_constraints_retracted(batch, constraints_off, now)
    rows.set_constraints_retracted(batch, constraints_on, None)
    detail["constraints_on"] = sorted([*new_ids, *constraints_on])
    detail["constraints_off"] = sorted(constraints_off)
    rows.set_detail(batch, action.id, detail)
    values = {
        "kind": kind,
        "at": now,
        "by": batch.by.name,
        "reason": reason,
        "detail": detail,
        "undoes": undoes,
    }
    batch.audit.record(
        f"incident_action.{kind}", "incident_actions", action.id, content_hash(values)
    )
    fresh = set(created)
    for pk in touched:
        verb = (
            "create"
            if pk in fresh
            else "retire"
            if pk in retire
            else "reopen"
            if pk in reopen
            else "change"
        )
        members = sorted(target[pk])
        batch.audit.record(
            f"incident.{verb}",
            "incidents",
            pk,
            content_hash({"members": members, "retired": not members}),
            {
                "action": action.id,
                "before": detail["before"][str(pk)],
                "after": members,
                "superseded_by": retire.get(pk),
            },
        )
    return rows.ActionRow(
        id=action.id,
        kind=kind,
        at=now,
        by=batch.by.name,
        reason=reason,
        detail=detail,
        undone_at=None,
        undone_by=None,
        undoes=undoes,
    )


def action_view(row: rows.ActionRow, seen: Collection[int] | None = None) -> IncidentAction:
    """The action as a record; with `seen`, only those event ids are named (a viewer who
    does not see everything learns nothing of the members it may not see)."""
    detail = row.detail
    before = _membership(detail.get("before", {}))
    after = _membership(detail.get("after", {}))
    touched = tuple(int(pk) for pk in detail.get("incidents", []))
    if seen is not None:
        before = {pk: tuple(e for e in events if e in seen) for pk, events in before.items()}
        after = {pk: tuple(e for e in events if e in seen) for pk, events in after.items()}
        touched = tuple(pk for pk in touched if before.get(pk) or after.get(pk))
        before = {pk: before[pk] for pk in touched}
        after = {pk: after[pk] for pk in touched}
    return IncidentAction(
        id=row.id,
        kind=row.kind,
        at=row.at,
        by=row.by,
        reason=row.reason,
        incidents=touched,
        before=before,
        after=after,
        created=tuple(pk for pk in detail.get("created", []) if pk in touched),
        retired=tuple(pk for pk in detail.get("retired", []) if pk in touched),
        undone_at=row.undone_at,
        undone_by=row.undone_by,
        undoes=row.undoes,
    )


def _action_for(connection: Connection, by: Principal, row: rows.ActionRow) -> IncidentAction:
    """The action as `by` may see it: naming only the member events it may see."""
    if by.sees_everything:
        return action_view(row)
    return action_view(row, rows.visible_event_ids(connection, named_events([row]), by))


def named_events(found: Sequence[rows.ActionRow]) -> set[int]:
    return {
        int(e)
        for row in found
        for side in ("before", "after")
        for events in row.detail.get(side, {}).values()
        for e in events
    }
