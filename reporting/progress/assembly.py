"""Assembling the snapshot's rows into the figures every surface shows: per-action statuses,
counts, the priority × focus matrix, exceptions, outstanding returns and indicators."""

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from itertools import product

from reporting.models import ProtectiveMarking, ReportingPeriod
from reporting.progress.redaction import TextGuard
from reporting.returns.obligations import STATE_LABELS, TO_START
from reporting.statuses import (
    EXCEPTION_STATUSES,
    FINISHED_STATUSES,
    NO_RETURN,
    REPORTED_STATES,
    STATUS_LABELS,
    STATUS_ORDER,
    status_counts,
    worst_status,
)

UNASSIGNED = ""

# The shape of the snapshot this module assembles; ``read_snapshot`` upgrades older ones.
SNAPSHOT_VERSION = 1
# version n → version n + 1, for each version a stored snapshot may still have. A change to the
# snapshot's shape raises SNAPSHOT_VERSION and adds the step that brings the last shape to it.
SNAPSHOT_UPGRADES: dict[int, Callable[[dict], dict]] = {}


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
    tags,
    updates,
    withholdings,
    measures,
    readings,
    axes,
    filters,
    public,
    as_at,
) -> dict:
    guard = TextGuard(withholdings, public=public)
    reported: dict[tuple[int, int], list[dict]] = defaultdict(list)  # (period, action) → updates
    unreported: dict[tuple[int, str], str] = {}  # (action, agency) → state, this period
    for update in updates:
        if update["state"] in REPORTED_STATES:
            reported[(update["period_id"], update["action_id"])].append(update)
        elif update["period_id"] == period.pk:
            unreported[(update["action_id"], update["agency__short_name"])] = update["state"]

    parents_with_children = {a["parent_id"] for a in actions if a["parent_id"]}
    rows = []
    for action in actions:
        pk = action["id"]
        leads = _unique(name for name, role in coordinators[pk] if role == "lead")
        supporting = _unique(name for name, role in coordinators[pk] if role == "supporting")
        current = reported.get((period.pk, pk), [])
        status = worst_status(u["status"] for u in current)
        previous_status = (
            worst_status(u["status"] for u in reported.get((previous.pk, pk), []))
            if previous
            else NO_RETURN
        )
        description, description_withheld = guard.text(
            "action", pk, "description", action["description"]
        )
        resourcing, resourcing_withheld = guard.text(
            "action", pk, "resourcing", action["resourcing"]
        )
        is_reportable = bool(leads)
        ends_on = action["ends_on"]
        past_end = bool(
            is_reportable
            and ends_on
            and ends_on < period.ends_on
            and status not in FINISHED_STATUSES
        )
        rows.append(
            {
                "id": pk,
                "number": action["number"],
                "code": f"{plan.code} {action['number']}",
                "title": action["title"],
                "description": description,
                "description_withheld": description_withheld,
                "resourcing": resourcing,
                "resourcing_withheld": resourcing_withheld,
                "group": action["group__title"] or "",
                "parent_number": action["parent__number"] or "",
                "has_sub_actions": pk in parents_with_children,
                "timeframe": action["timeframe"],
                "ends_on": ends_on.isoformat() if ends_on else None,
                "priority_areas": tags["priority"][pk],
                "focus_areas": tags["focus"][pk],
                "leads": leads,
                "supporting": supporting,
                "is_reportable": is_reportable,
                "status": status if is_reportable else "",
                "status_label": STATUS_LABELS[status] if is_reportable else "",
                "previous_status": previous_status if is_reportable else "",
                "previous_status_label": STATUS_LABELS[previous_status] if is_reportable else "",
                "changed": is_reportable and previous is not None and status != previous_status,
                "is_past_end": past_end,
                "is_exception": status in EXCEPTION_STATUSES or past_end,
                "updates": [_update_row(u, guard) for u in current],
            }
        )
    reportable = [r for r in rows if r["is_reportable"]]
    expected = [(r, agency) for r in reportable for agency in r["leads"]]
    reported_now = {(r["id"], u["agency"]) for r in reportable for u in r["updates"]}
    outstanding = [
        {
            "number": row["number"],
            "title": row["title"],
            "agency": agency,
            "state": unreported.get((row["id"], agency), TO_START),
            "state_label": STATE_LABELS[unreported.get((row["id"], agency), TO_START)],
        }
        for row, agency in expected
        if (row["id"], agency) not in reported_now
    ]
    by_agency: dict[str, list[str]] = defaultdict(list)
    for row, agency in expected:
        if (row["id"], agency) not in reported_now:
            by_agency[agency].append(NO_RETURN)
    for row in reportable:
        for update in row["updates"]:
            by_agency[update["agency"]].append(update["status"])

    indicators = [_indicator_row(m, readings[m["id"]]) for m in measures]
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
        "reportable_count": len(reportable),
        "counts": status_counts(r["status"] for r in reportable),
        "matrix": _matrix(reportable, axes),
        "agencies": [
            {"agency": name, "total": len(statuses), "counts": status_counts(statuses)}
            for name, statuses in sorted(by_agency.items())
        ],
        "trend": [
            {
                **_period_dict(p),
                "counts": status_counts(
                    worst_status(u["status"] for u in reported.get((p.pk, r["id"]), []))
                    for r in reportable
                ),
            }
            for p in periods
        ],
        "returns": {
            "expected": len(expected),
            "received": len(expected) - len(outstanding),
            "outstanding": outstanding,
        },
        "changed_count": sum(r["changed"] for r in reportable),
        "past_end_count": sum(r["is_past_end"] for r in rows),
        "exception_count": sum(r["is_exception"] for r in rows),
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


def _update_row(update: dict, guard: TextGuard) -> dict:
    texts = {}
    for field in ("commentary", "risks", "next_steps"):
        texts[field], texts[f"{field}_withheld"] = guard.text(
            "update", update["pk"], field, update[field]
        )
    return {
        "agency": update["agency__short_name"],
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
    """Priority areas (rows) × focus areas (columns): each cell's actions by status. An action
    tagged with several areas counts in each of their cells; untagged ones in “Not tagged”."""
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
                    "worst": worst_status(cells[(r["slug"], c["slug"])])
                    if cells[(r["slug"], c["slug"])]
                    else "",
                    "counts": [
                        item
                        for item in status_counts(cells[(r["slug"], c["slug"])])
                        if item["count"]
                    ],
                }
                for c in columns
            ]
            for r in rows
        ],
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _indicator_row(measure: dict, readings: list[tuple]) -> dict:
    """A success measure's indicator: its readings up to the period's end, the latest, and how
    far it has come from the baseline towards the target."""
    baseline, target = _number(measure["baseline"]), _number(measure["target"])
    latest_date, latest_value, _ = readings[-1] if readings else (None, None, None)
    progress = None
    if latest_value is not None and target is not None:
        start = baseline or 0.0
        if target != start:
            progress = round(100 * (float(latest_value) - start) / (target - start))
    return {
        "action_number": measure["action__number"],
        "action_title": measure["action__title"],
        "indicator": measure["indicator"],
        "statement": measure["statement"],
        "unit": measure["unit"],
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
