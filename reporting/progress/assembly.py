"""Assembling the snapshot's rows into the figures every surface shows: per-action statuses,
counts, the priority × focus matrix, exceptions, outstanding returns and indicators."""

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from itertools import product

from reporting.lines import progress_of
from reporting.models import ProtectiveMarking, ReportingPeriod
from reporting.progress.redaction import Redaction
from reporting.returns.obligations import STATE_LABELS, TO_START
from reporting.statuses import (
    EXCEPTION_STATUSES,
    FINISHED_STATUSES,
    LINE_STATUS_ORDER,
    NO_RETURN,
    REPORTED_STATES,
    STATUS_LABELS,
    STATUS_ORDER,
    action_status,
    status_counts,
)

UNASSIGNED = ""

# The shape of the snapshot this module assembles; ``read_snapshot`` upgrades older ones.
SNAPSHOT_VERSION = 2


def _lines_and_roles(snapshot: dict) -> dict:
    """Version 1 → 2: version 1 knew no strands or joint coordination; its actions' leads are
    what was responsible, its reportable actions its lines, as the report printed them."""
    rows = []
    for row in snapshot["actions"]:
        leads, supporting = row.get("leads", []), row.get("supporting", [])
        is_line = not row.get("has_sub_actions", False)
        rows.append(
            {
                "kind": "action",
                "kind_label": "Sub-action" if row.get("parent_number") else "Action",
                "parent_id": None,
                "has_parts": not is_line,
                "is_line": is_line,
                "coordinators": [
                    *({"agency": n, "role": "lead", "role_label": "Lead"} for n in leads),
                    *(
                        {"agency": n, "role": "supporting", "role_label": "Supporting"}
                        for n in supporting
                    ),
                ],
                "responsible": leads,
                "percent": None,
                "lines": 1,
                "lines_reported": int(row.get("status") not in ("", NO_RETURN)),
                "reported_summary": "",
                "newly_reported": False,
                "still_no_return": False,
                "not_yet_reported": False,
                **row,
                "status": row.get("status") or NO_RETURN,
                "status_label": row.get("status_label") or STATUS_LABELS[NO_RETURN],
                "previous_status": row.get("previous_status") or NO_RETURN,
                "previous_status_label": row.get("previous_status_label")
                or STATUS_LABELS[NO_RETURN],
                "updates": [{"counts": True, **u} for u in row.get("updates", [])],
            }
        )
    top_level = [r for r in rows if not r["parent_number"]]
    for cell_row in snapshot["matrix"]["cells"]:
        for cell in cell_row:
            cell.setdefault("overall", cell.pop("worst", ""))
    return {
        **snapshot,
        "actions": rows,
        "action_count": len(top_level),
        "line_count": sum(r["is_line"] for r in rows),
        "lines_without_agency": [],
        "action_counts": status_counts(r["status"] for r in top_level),
        "newly_reported_count": 0,
        "still_no_return_count": 0,
        "not_yet_reported_count": 0,
        "dated_action_count": sum(bool(r["ends_on"]) for r in top_level),
        "undated_action_count": sum(not r["ends_on"] for r in top_level),
    }


# version n → version n + 1, for each version a stored snapshot may still have. A change to the
# snapshot's shape raises SNAPSHOT_VERSION and adds the step that brings the last shape to it.
SNAPSHOT_UPGRADES: dict[int, Callable[[dict], dict]] = {1: _lines_and_roles}


class SnapshotVersionError(ValueError):
    """A stored snapshot this code can't read."""


def read_snapshot(data: dict) -> dict:
    """A stored snapshot (``Report.snapshot``) in the shape this module assembles today.

    One written before snapshots carried a version reads as version 1; an older one is brought
    up a version at a time; one written by a newer release of the tracker is refused, since
    reading it as today's shape could print the wrong figures."""
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SnapshotVersionError(f"the snapshot's version {version!r} is not a version number")
    if version > SNAPSHOT_VERSION:
        raise SnapshotVersionError(
            f"the snapshot is version {version}, written by a newer release of the tracker; this "
            f"one reads versions up to {SNAPSHOT_VERSION}"
        )
    snapshot = dict(data)
    for step in range(version, SNAPSHOT_VERSION):
        snapshot = SNAPSHOT_UPGRADES[step](snapshot)
    snapshot["version"] = SNAPSHOT_VERSION
    return snapshot


def assemble(
    *,
    plan,
    period,
    periods,
    previous,
    actions,
    coordinators,
    agency_names,
    tags,
    updates,
    redaction: Redaction,
    measures,
    readings,
    axes,
    filters,
    as_at,
) -> dict:
    """The snapshot: every action and line with its status by the status rule
    (``reporting.lines``), and figures that say what they count: actions and lines
    apart, each status with its count (the counts add up to the total they name). Every
    string taken from an action or a return passes through ``redaction``; the figures are
    worked out from what it doesn't hide."""
    guard, public = redaction, redaction.public
    counted: dict[int, dict[tuple[int, str], tuple]] = defaultdict(dict)  # period → returns
    reported: dict[int, list[dict]] = defaultdict(list)  # action → this period's updates
    unreported: dict[tuple[int, str], str] = {}  # (action, agency) → state, this period
    for update in updates:
        key = (update["action_id"], update["agency__short_name"])
        if update["state"] in REPORTED_STATES:
            counted[update["period_id"]][key] = (update["status"], update["percent_complete"])
            if update["period_id"] == period.pk:
                reported[update["action_id"]].append(update)
        elif update["period_id"] == period.pk:
            unreported[key] = update["state"]

    in_snapshot = {a["id"] for a in actions}
    pairs = [(a["id"], a["parent_id"] if a["parent_id"] in in_snapshot else None) for a in actions]
    roles = {pk: [(name, role) for name, role, _ in rows] for pk, rows in coordinators.items()}
    progress = {p.pk: progress_of(pairs, roles, counted[p.pk]) for p in periods}
    now = progress[period.pk]
    before = progress[previous.pk] if previous else {}
    by_id = {a["id"]: a for a in actions}

    rows = []
    responsible_of: dict[int, list[str]] = {}  # action → its responsible agencies, unredacted
    for action in actions:
        pk = action["id"]
        line = now[pk]
        parent = by_id.get(action["parent_id"])
        was = before.get(pk)
        previous_status = was.status if was else NO_RETURN
        is_line = line.is_line and not action["has_parts"]
        is_reportable = is_line and bool(line.responsible)
        ends_on = action["ends_on"] or (parent["ends_on"] if parent and is_line else None)
        past_end = bool(
            is_reportable
            and ends_on
            and ends_on < period.ends_on
            and line.status not in FINISHED_STATUSES
        )
        texts = {}
        for part in ("title", "description", "resourcing", "timeframe"):
            texts[part], texts[f"{part}_withheld"] = guard.action_text(pk, part, action[part])
        names = [name for name, _, _ in coordinators[pk]]
        shown_names, agencies_withheld = guard.agency_names(pk, names)
        shown_coordinators = (
            [
                {"agency": name, "role": role, "role_label": label}
                for name, role, label in coordinators[pk]
            ]
            if shown_names == names
            else [{"agency": shown_names[0], "role": "", "role_label": ""}]
        )
        responsible = set(line.responsible)
        responsible_of[pk] = list(line.responsible)
        both_reported = previous is not None and NO_RETURN not in (line.status, previous_status)
        rows.append(
            {
                "id": pk,
                "number": action["number"],
                "code": f"{plan.code} {action['number']}",
                "kind": action["kind"],
                "kind_label": _kind_label(action),
                **texts,
                "group": action["group__title"] or "",
                "parent_id": action["parent_id"],
                "parent_number": action["parent__number"] or "",
                "has_parts": action["has_parts"],
                "is_line": is_line,
                "ends_on": ends_on.isoformat() if ends_on else None,
                "priority_areas": _own_or_parents(tags["priority"], pk, action["parent_id"]),
                "focus_areas": _own_or_parents(tags["focus"], pk, action["parent_id"]),
                "coordinators": shown_coordinators,
                "agencies_withheld": agencies_withheld,
                "responsible": guard.agency_names(pk, list(line.responsible))[0],
                "supporting": [] if agencies_withheld and public else list(line.supporting),
                "is_reportable": is_reportable,
                "status": line.status,
                "status_label": STATUS_LABELS[line.status],
                "percent": line.percent,
                "lines": line.line_count,
                "lines_reported": line.lines_reported,
                "reported_summary": line.reported_summary,
                "previous_status": previous_status,
                "previous_status_label": STATUS_LABELS[previous_status],
                "changed": is_reportable and both_reported and line.status != previous_status,
                "newly_reported": is_reportable
                and previous is not None
                and previous_status == NO_RETURN
                and line.status != NO_RETURN,
                "still_no_return": is_reportable
                and previous is not None
                and NO_RETURN == previous_status == line.status,
                "not_yet_reported": is_reportable
                and previous is not None
                and previous_status != NO_RETURN
                and line.status == NO_RETURN,
                "is_past_end": past_end,
                "is_exception": is_reportable and (line.status in EXCEPTION_STATUSES or past_end),
                "updates": [
                    _update_row(u, pk, guard, counts=u["agency__short_name"] in responsible)
                    for u in sorted(
                        reported.get(pk, []),
                        key=lambda u: u["agency__short_name"] not in responsible,
                    )
                ],
            }
        )
    reportable = [r for r in rows if r["is_reportable"]]
    top_level = [r for r in rows if r["parent_id"] not in in_snapshot]
    expected = [(r, agency) for r in reportable for agency in responsible_of[r["id"]]]
    reported_now = {
        (pk, u["agency__short_name"])
        for pk, returns in reported.items()
        for u in returns
        if u["agency__short_name"] in responsible_of.get(pk, ())
    }
    missing = [(r, agency) for r, agency in expected if (r["id"], agency) not in reported_now]
    outstanding = [
        {
            "number": row["number"],
            "code": row["code"],
            "title": row["title"],
            "agency": guard.agency_name(row["id"], agency),
            "state": unreported.get((row["id"], agency), TO_START),
            "state_label": STATE_LABELS[unreported.get((row["id"], agency), TO_START)],
        }
        for row, agency in missing
    ]
    by_agency: dict[str, list[str]] = defaultdict(list)
    for row in reportable:
        for agency in responsible_of[row["id"]]:
            own = counted[period.pk].get((row["id"], agency))
            # A line whose agencies are withheld counts under "[withheld under s …]".
            by_agency[guard.agency_name(row["id"], agency)].append(own[0] if own else NO_RETURN)
    with_dated_lines = {r["parent_id"] for r in rows if r["ends_on"] and r["parent_id"]}
    dated = [r for r in top_level if r["ends_on"] or r["id"] in with_dated_lines]

    indicators = [_indicator_row(m, readings[m["id"]], guard) for m in measures]
    has_demo = any(u["is_demo"] for u in updates) or any(
        r["is_demo"] for i in indicators for r in i["readings"]
    )
    shown = guard.markings_shown
    contents_marking = "" if public or not shown else ProtectiveMarking.highest(*shown)
    return {
        "version": SNAPSHOT_VERSION,
        "as_at": as_at.isoformat(),
        "public": public,
        "plan": {
            "slug": plan.slug,
            "code": plan.code,
            "title": plan.title,
            "short_title": plan.short_title,
        },
        "period": _period_dict(period),
        "previous_period": _period_dict(previous) if previous else None,
        "filters": filters.describe(),
        "statuses": [{"status": s, "label": STATUS_LABELS[s]} for s in STATUS_ORDER],
        "actions": rows,
        "action_count": len(top_level),
        "line_count": sum(r["is_line"] for r in rows),
        "reportable_count": len(reportable),
        "lines_without_agency": [r["code"] for r in rows if r["is_line"] and not r["responsible"]],
        "counts": line_counts(r["status"] for r in reportable),
        "action_counts": status_counts(r["status"] for r in top_level),
        "matrix": _matrix(reportable, axes),
        "agencies": [
            {
                "agency": name,
                **agency_names.get(name, {}),
                "total": len(statuses),
                "counts": line_counts(statuses),
            }
            for name, statuses in sorted(by_agency.items())
        ],
        "trend": [
            {
                **_period_dict(p),
                "counts": line_counts(progress[p.pk][r["id"]].status for r in reportable),
            }
            for p in periods
        ],
        "returns": {
            "expected": len(expected),
            "received": len(expected) - len(outstanding),
            "outstanding": outstanding,
        },
        "changed_count": sum(r["changed"] for r in reportable),
        "newly_reported_count": sum(r["newly_reported"] for r in reportable),
        "still_no_return_count": sum(r["still_no_return"] for r in reportable),
        "not_yet_reported_count": sum(r["not_yet_reported"] for r in reportable),
        "past_end_count": sum(r["is_past_end"] for r in reportable),
        "dated_action_count": len(dated),
        "undated_action_count": len(top_level) - len(dated),
        "exception_count": sum(r["is_exception"] for r in reportable),
        "indicators": indicators,
        "priority_areas": [
            {
                "slug": area.slug,
                "name": area.name,
                "description": area.description,
                "action_ids": [r["id"] for r in rows if area.slug in r["priority_areas"]],
            }
            for area in axes["priority"]
        ],
        "unprioritised_action_ids": [r["id"] for r in rows if not r["priority_areas"]],
        "has_demo": has_demo,
        "withheld_count": guard.withheld_count,
        "contents_marking": contents_marking,
    }


def line_counts(statuses) -> list[dict]:
    """Each status a line can have, with how many of ``statuses`` have it."""
    return status_counts(statuses, order=LINE_STATUS_ORDER)


def _kind_label(action: dict) -> str:
    if action["kind"] == "strand":
        return "Strand"
    return "Sub-action" if action["parent_id"] else "Action"


def _own_or_parents(tags: dict, pk: int, parent_id: int | None) -> list[str]:
    """A line's priority or focus areas: its own, or its action's where it has none."""
    return tags[pk] or (tags[parent_id] if parent_id else [])


def _unique(names) -> list[str]:
    return list(dict.fromkeys(names))


def _period_dict(period: ReportingPeriod) -> dict:
    return {
        "code": period.code,
        "label": period.label,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "due_on": period.due_on.isoformat(),
        "state": period.state,
    }


def _update_row(update: dict, action_id: int, guard: Redaction, *, counts: bool) -> dict:
    """A return shown on its line; ``counts``: a responsible agency's, which the line's status
    comes from (else a supporting agency's input, shown beside it)."""
    texts = {}
    for field in ("commentary", "risks", "next_steps"):
        texts[field], texts[f"{field}_withheld"] = guard.update_text(
            update["pk"], action_id, field, update[field]
        )
    return {
        "agency": guard.agency_name(action_id, update["agency__short_name"]),
        "counts": counts,
        "status": update["status"],
        "status_label": STATUS_LABELS[update["status"]],
        "state": update["state"],
        "percent": update["percent_complete"],
        "is_demo": update["is_demo"],
        "is_late": update["is_late"],
        "submitted_at": update["submitted_at"].isoformat() if update["submitted_at"] else None,
        **texts,
    }


def _matrix(reportable: list[dict], axes: dict) -> dict:
    """Priority areas (rows) × focus areas (columns): each cell's reportable lines by status,
    and its ``overall`` status (its lines rolled up as an action's are). A line tagged with
    several areas counts in each of their cells; untagged ones in “Not tagged”."""
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in reportable:
        for cell in product(
            row["priority_areas"] or [UNASSIGNED], row["focus_areas"] or [UNASSIGNED]
        ):
            cells[cell].append(row["status"])

    def axis(areas, key):
        names = [{"slug": a.slug, "name": a.name} for a in areas]
        if any(cell[key] == UNASSIGNED for cell in cells):
            names.append({"slug": UNASSIGNED, "name": "Not tagged"})
        return names

    rows, columns = axis(axes["priority"], 0), axis(axes["focus"], 1)
    return {
        "rows": rows,
        "columns": columns,
        "cells": [
            [
                {
                    "total": len(cells[(r["slug"], c["slug"])]),
                    "overall": action_status(cells[(r["slug"], c["slug"])])
                    if cells[(r["slug"], c["slug"])]
                    else "",
                    "counts": [
                        item for item in line_counts(cells[(r["slug"], c["slug"])]) if item["count"]
                    ],
                }
                for c in columns
            ]
            for r in rows
        ],
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _indicator_row(measure: dict, readings: list[tuple], guard: Redaction) -> dict:
    """A success measure's indicator: its readings up to the period's end, the latest, and how
    far it has come from the baseline towards the target. A withheld measure keeps its
    figures; its words are withheld."""
    action_id = measure["action_id"]
    title, title_withheld = guard.action_text(action_id, "title", measure["action__title"])
    words = {}
    for field in ("indicator", "statement", "unit"):
        words[field], words[f"{field}_withheld"] = guard.action_text(
            action_id, "measures", measure[field]
        )
    baseline, target = _number(measure["baseline"]), _number(measure["target"])
    latest_date, latest_value, _ = readings[-1] if readings else (None, None, None)
    progress = None
    if latest_value is not None and target is not None:
        start = baseline or 0.0
        if target != start:
            progress = round(100 * (float(latest_value) - start) / (target - start))
    return {
        "action_number": measure["action__number"],
        "action_title": title,
        "action_title_withheld": title_withheld,
        **words,
        "baseline": baseline,
        "target": target,
        "target_date": measure["target_date"].isoformat() if measure["target_date"] else None,
        "latest": _number(latest_value),
        "latest_date": latest_date.isoformat() if latest_date else None,
        "progress_percent": progress,
        "readings": [
            {"date": day.isoformat(), "value": float(value), "is_demo": is_demo}
            for day, value, is_demo in readings
        ],
    }
