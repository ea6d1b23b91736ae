"""The committee's own work: delegations, meetings and their agendas, joint statements,
proposals and commitments, the disarmament plan's phases, sites and positions, and the
economic zone.

Import from the submodules:

    delegations      party delegations, the chair, observers, and their members
    meetings         scheduling, attendance, agenda items, minutes, outcomes, status
    agenda           a proposed agenda drafted from what is open
    calendar         meetings as iCalendar
    statements       joint statements: versions, comments, approvals, issue, publish
    proposals        proposals and their status machine, with the meetings that handled them
    commitments      commitments and action items, overdue ones flagged
    dashboard        the committee's figures: commitments by party, proposals by status
    disarmament      the arms plan's phases, sites and caches, and UNIFIL-style figures
    positions        army positions and positions held by Israel, with withdrawal status
    economic_zone    the zone's geometry versions, projects, activity inside it over time
    import_file      a committee's set-up (delegations, meetings, proposals, ...) from YAML
    import_schema    the format of that file

Every read is for a viewer and every write is audited, as everywhere in truce (see
ARCHITECTURE.md, security model). This module imports core, store, geo and theatre.
"""
