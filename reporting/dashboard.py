"""The one data set behind the dashboard, the PDF reports and the Word status table.

``build_dashboard`` aggregates a plan's actions and their status updates for a period into plain
JSON-ready dicts, in a fixed number of queries however many actions there are. Everything it
reads starts from the visibility querysets (``Action.objects.visible_to``,
``StatusUpdate.objects.visible_to``), so a page or report never shows what its reader may not
see. A Report stores this dict as its snapshot and renders from nothing else.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from django.utils import timezone

from actions.models import (
    Action,
    ActionAgency,
    ActionPlan,
    FocusArea,
    IndicatorReading,
    PriorityArea,
    SuccessMeasure,
)
from agencies.models import Agency
from agencies.roles import sees_everything

from .demo import DEMO_READING_NOTE
from .models import ProtectiveMarking, ReportingPeriod, StatusUpdate, Withholding
from .models.reports import withheld_placeholder

SNAPSHOT_VERSION = 1
NO_RETURN = "none"
# Worst first: an action's status is the worst its agencies reported.
STATUS_SEVERITY = [
    StatusUpdate.Status.OFF_TRACK,
    StatusUpdate.Status.AT_RISK,
    StatusUpdate.Status.ON_HOLD,
    StatusUpdate.Status.NOT_STARTED,
    StatusUpdate.Status.ON_TRACK,
    StatusUpdate.Status.COMPLETE,
    StatusUpdate.Status.DISCONTINUED,
]
STATUS_LABELS = {**dict(StatusUpdate.Status.choices), NO_RETURN: "No return yet"}
# The order statuses are listed and stacked in: good news first, no return last.
STATUS_ORDER = [
    StatusUpdate.Status.COMPLETE,
    StatusUpdate.Status.ON_TRACK,
    StatusUpdate.Status.NOT_STARTED,
    StatusUpdate.Status.ON_HOLD,
    StatusUpdate.Status.AT_RISK,
    StatusUpdate.Status.OFF_TRACK,
    StatusUpdate.Status.DISCONTINUED,
    NO_RETURN,
]
REPORTED_STATES = (StatusUpdate.State.SUBMITTED, StatusUpdate.State.ACCEPTED)
EXCEPTION_STATUSES = (StatusUpdate.Status.AT_RISK, StatusUpdate.Status.OFF_TRACK)
FINISHED_STATUSES = (StatusUpdate.Status.COMPLETE, StatusUpdate.Status.DISCONTINUED)
UNASSIGNED = ""


@dataclass(frozen=True)
class DashboardFilters:
    """Narrow the dashboard to the actions one agency coordinates (as lead or in support), or
    to a priority or focus area (None: all)."""

    agency: Agency | None = None
    priority_area: PriorityArea | None = None
    focus_area: FocusArea | None = None

    def apply(self, actions):
        if self.agency:
            actions = actions.filter(coordinators__agency=self.agency)
        if self.priority_area:
            actions = actions.filter(priority_areas=self.priority_area)
        if self.focus_area:
            actions = actions.filter(focus_areas=self.focus_area)
        return actions.distinct()

    def describe(self) -> dict:
        return {
            "agency": str(self.agency) if self.agency else "",
            "priority_area": str(self.priority_area) if self.priority_area else "",
            "focus_area": str(self.focus_area) if self.focus_area else "",
        }


_SEVERITY = [status.value for status in STATUS_SEVERITY]


def worst_status(statuses) -> str:
    present = set(statuses)
    return next((status for status in _SEVERITY if status in present), NO_RETURN)


def status_counts(statuses) -> list[dict]:
    """Every status in display order with how many of ``statuses`` have it."""
    counts = Counter(statuses)
    return [{"status": s, "label": STATUS_LABELS[s], "count": counts[s]} for s in STATUS_ORDER]


def actions_in_scope(plan: ActionPlan, user, filters: DashboardFilters):
    """The plan's actions this user reports on: all for the secretariat and viewers, their own
    agencies' for agency people (whose updates are all they may see). ``user=None`` is a trusted
    caller, the shell, and sees everything."""
    actions = Action.objects.filter(plan=plan)
    if user is not None:
        actions = actions.visible_to(user)
        if not sees_everything(user):
            actions = actions.filter(coordinators__agency__in=Agency.objects.for_user(user))
    return filters.apply(actions)


def trend_periods(plan: ActionPlan, period: ReportingPeriod, length: int) -> list[ReportingPeriod]:
    """``period`` and up to ``length - 1`` quarters before it within the plan, oldest first."""
    earlier = ReportingPeriod.objects.filter(
        starts_on__lte=period.starts_on, ends_on__gte=plan.start_date
    ).order_by("-starts_on")[:length]
    periods = list(reversed(earlier))
    return periods if period in periods else [*periods, period][-length:]


def build_dashboard(
    plan: ActionPlan,
    period: ReportingPeriod,
    *,
    user,
    filters: DashboardFilters | None = None,
    public: bool = False,
    trend_length: int = 4,
    as_at: datetime.datetime | None = None,
) -> dict:
    """Aggregate ``plan`` for ``period`` as ``user`` may see it (everything for ``user=None``,
    the shell), as JSON-ready data.

    ``public`` replaces withheld text with its Official Information Act placeholder, so the
    result (and a snapshot of it) never holds that text.
    """
    filters = filters or DashboardFilters()
    as_at = as_at or timezone.now()
    # Plain values, not model instances: at thousands of actions the ORM's per-object work
    # (prefetch managers, related descriptors) would cost more than the queries.
    in_scope = actions_in_scope(plan, user, filters).values("pk")
    actions = list(
        Action.objects.filter(pk__in=in_scope)
        .order_by("sort_key")
        .values(
            "id",
            "number",
            "title",
            "description",
            "resourcing",
            "timeframe",
            "ends_on",
            "parent_id",
            "group__title",
            "parent__number",
        )
    )
    coordinators = _grouped(
        ActionAgency.objects.filter(action__in=in_scope)
        .order_by("order", "pk")
        .values_list("action_id", "agency__short_name", "role")
    )
    tags = {
        "priority": _grouped(
            Action.priority_areas.through.objects.filter(action__in=in_scope)
            .order_by("priorityarea__order", "priorityarea__name")
            .values_list("action_id", "priorityarea__slug")
        ),
        "focus": _grouped(
            Action.focus_areas.through.objects.filter(action__in=in_scope)
            .order_by("focusarea__order", "focusarea__name")
            .values_list("action_id", "focusarea__slug")
        ),
    }
    periods = trend_periods(plan, period, trend_length)
    previous = periods[-2] if len(periods) > 1 else None
    visible_updates = (
        StatusUpdate.objects.all() if user is None else StatusUpdate.objects.visible_to(user)
    )
    updates = list(
        visible_updates.filter(action__in=in_scope, period__in=periods)
        .values(
            "pk",
            "action_id",
            "period_id",
            "agency__short_name",
            "status",
            "state",
            "percent_complete",
            "commentary",
            "risks",
            "next_steps",
            "is_demo",
            "is_late",
            "submitted_at",
        )
        .order_by("agency__short_name")
    )
    withholdings = list(
        Withholding.objects.for_content(in_scope, period).values(
            "action_id", "update_id", "field", "ground", "marking"
        )
    )
    indicators = SuccessMeasure.objects.filter(action__in=in_scope).exclude(indicator="")
    measures = list(
        indicators.order_by("action__sort_key", "order").values(
            "id",
            "action__number",
            "action__title",
            "indicator",
            "statement",
            "unit",
            "baseline",
            "target",
            "target_date",
        )
    )
    readings = _grouped(
        IndicatorReading.objects.filter(measure__in=indicators, date__lte=period.ends_on)
        .order_by("date")
        .values_list("measure_id", "date", "value", "note")
    )
    axes = {
        "priority": list(PriorityArea.objects.filter(strategy_id=plan.strategy_id)),
        "focus": list(FocusArea.objects.filter(strategy_id=plan.strategy_id)),
    }
    return _assemble(
        plan=plan,
        period=period,
        periods=periods,
        previous=previous,
        actions=actions,
        coordinators=coordinators,
        tags=tags,
        updates=updates,
        withholdings=withholdings,
        measures=measures,
        readings=readings,
        axes=axes,
        filters=filters,
        public=public,
        as_at=as_at,
    )


def _grouped(rows) -> dict[int, list]:
    """(key, value…) rows → {key: [value or (values…), …]} in row order."""
    grouped = defaultdict(list)
    for key, *values in rows:
        grouped[key].append(values[0] if len(values) == 1 else tuple(values))
    return grouped


def _withheld_text(withholdings: list[dict]) -> dict[tuple[str, int, str], dict]:
    """(``"action"``/``"update"``, id, field) → the withholding covering that text."""
    index = {}
    for item in withholdings:
        fields = (
            ("commentary", "risks", "next_steps")
            if item["field"] == Withholding.Field.UPDATE
            else (item["field"],)
        )
        kind, pk = (
            ("action", item["action_id"]) if item["action_id"] else ("update", item["update_id"])
        )
        for field in fields:
            index[(kind, pk, field)] = item
    return index


class _TextGuard:
    """Hands out an action's or update's text, withheld or not, and remembers the markings of
    withheld text it handed out in full."""

    def __init__(self, withholdings: list[dict], *, public: bool):
        self.index = _withheld_text(withholdings)
        self.public = public
        self.markings_shown: set[str] = set()
        self.withheld_count = 0

    def text(self, kind: str, pk: int, field: str, value: str) -> tuple[str, str]:
        """(text to print, ground it is withheld under or "")."""
        item = self.index.get((kind, pk, field))
        if item is None or not value:
            return value, ""
        self.withheld_count += 1
        if self.public:
            return withheld_placeholder(item["ground"]), item["ground"]
        self.markings_shown.add(item["marking"])
        return value, item["ground"]


def _assemble(
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
    guard = _TextGuard(withholdings, public=public)
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
            "state": unreported.get((row["id"], agency), NO_RETURN),
            "state_label": _outstanding_label(unreported.get((row["id"], agency))),
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


def _outstanding_label(state: str | None) -> str:
    if state is None:
        return "Not started"
    return StatusUpdate.State(state).label


def _period_dict(period: ReportingPeriod) -> dict:
    return {
        "code": period.code,
        "label": period.label,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "due_on": period.due_on.isoformat(),
        "state": period.state,
    }


def _update_row(update: dict, guard: _TextGuard) -> dict:
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
            {"date": day.isoformat(), "value": float(value), "is_demo": note == DEMO_READING_NOTE}
            for day, value, note in readings
        ],
    }
