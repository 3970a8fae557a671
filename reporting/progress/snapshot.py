"""The one data set behind the dashboard, the PDF reports and the Word status table.

``build_dashboard`` aggregates a plan's actions and their status updates for a period into plain
JSON-ready dicts, in a fixed number of queries however many actions there are. Everything it
reads starts from the visibility querysets (``Action.objects.visible_to``,
``StatusUpdate.objects.visible_to``), so a page or report never shows what its reader may not
see. A Report stores this dict as its snapshot and renders from nothing else.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from actions.models import (
    Action,
    ActionAgency,
    ActionPlan,
    FocusArea,
    IndicatorReading,
    PriorityArea,
    SuccessMeasure,
    role_label,
)
from agencies.models import Agency
from reporting.models import ReportingPeriod, StatusUpdate
from reporting.progress.assembly import assemble
from reporting.progress.redaction import Redaction

# What ``build_dashboard(texts=False)`` gives for a text it didn't read (there was some).
NOT_READ = "[not read]"


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


@dataclass(frozen=True)
class Scope:
    """Whose view of the plan a snapshot takes: the actions and the updates it may draw on."""

    actions: QuerySet
    updates: QuerySet

    @classmethod
    def of(cls, user) -> "Scope":
        """What ``user`` may read: the actions and updates ``progress_visible_to`` them."""
        return cls(Action.objects.progress_visible_to(user), StatusUpdate.objects.visible_to(user))

    @classmethod
    def for_report(cls) -> "Scope":
        """A report's: every agency's progress, as its audiences (the steering group, Cabinet,
        the SIB) read it. Who may ask for a report is ``Report.objects.buildable_by``."""
        return cls(Action.objects.all(), StatusUpdate.objects.all())


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
    scope: Scope,
    filters: DashboardFilters | None = None,
    public: bool = False,
    trend_length: int = 4,
    as_at: datetime.datetime | None = None,
    texts: bool = True,
) -> dict:
    """Aggregate ``plan`` for ``period`` within ``scope``, as JSON-ready data.

    ``public`` replaces withheld text (``reporting.progress.redaction``) with its Official
    Information Act placeholder, so the result (and a snapshot of it) never holds that text.
    Without ``texts`` (the dashboard, which shows none) the actions' descriptions and resourcing
    and the updates' commentary, risks and next steps are not read, only whether there is any:
    they come as ``NOT_READ`` where there is, else "" (so the marking of withheld text is the
    same either way).
    """
    action_texts = ("description", "resourcing")
    update_texts = ("commentary", "risks", "next_steps")
    read_texts = {} if texts else {f"has_{f}": ~Q(**{f: ""}) for f in action_texts + update_texts}
    filters = filters or DashboardFilters()
    as_at = as_at or timezone.now()
    # Plain values, not model instances: at thousands of actions the ORM's per-object work
    # (prefetch managers, related descriptors) would cost more than the queries.
    in_scope = filters.apply(scope.actions.filter(plan=plan)).values("pk")
    actions = list(
        Action.objects.filter(pk__in=in_scope)
        .annotate(has_parts=Exists(Action.objects.filter(parent=OuterRef("pk"))))
        .order_by("sort_key")
        .values(
            "id",
            "kind",
            "has_parts",
            "number",
            "title",
            "timeframe",
            "ends_on",
            "parent_id",
            "group__title",
            "parent__number",
            *(action_texts if texts else ()),
            **{f"has_{f}": read_texts[f"has_{f}"] for f in action_texts if not texts},
        )
    )
    coordinator_rows = list(
        ActionAgency.objects.filter(action__in=in_scope)
        .order_by("order", "pk")
        .values_list(
            "action_id",
            "agency__short_name",
            "role",
            "designated_at",
            "agency__name",
            "agency__maori_name",
        )
    )
    coordinators = _grouped(
        (action_id, (name, role, role_label(role, designated_at)))
        for action_id, name, role, designated_at, _, _ in coordinator_rows
    )
    # What a report's cover calls each agency: its official name and its Māori name.
    agency_names = {
        short: {"name": name, "maori_name": maori}
        for _, short, _, _, name, maori in coordinator_rows
    }
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
    updates = list(
        scope.updates.filter(action__in=in_scope, period__in=periods)
        .values(
            "pk",
            "action_id",
            "period_id",
            "agency__short_name",
            "status",
            "state",
            "percent_complete",
            "is_demo",
            "is_late",
            "submitted_at",
            *(update_texts if texts else ()),
            **{f"has_{f}": read_texts[f"has_{f}"] for f in update_texts if not texts},
        )
        .order_by("agency__short_name")
    )
    if not texts:
        for rows, fields in ((actions, action_texts), (updates, update_texts)):
            for row in rows:
                for field in fields:
                    row[field] = NOT_READ if row.pop(f"has_{field}") else ""
    redaction = Redaction.of_actions(
        in_scope, {a["id"]: a["parent_id"] for a in actions}, public=public, period=period
    )
    indicators = SuccessMeasure.objects.filter(action__in=in_scope).exclude(indicator="")
    measures = list(
        indicators.order_by("action__sort_key", "order").values(
            "id",
            "action_id",
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
    readings = _grouped(_one_reading_per_date(indicators, period))
    axes = {
        "priority": list(PriorityArea.objects.filter(strategy_id=plan.strategy_id)),
        "focus": list(FocusArea.objects.filter(strategy_id=plan.strategy_id)),
    }
    return assemble(
        plan=plan,
        period=period,
        periods=periods,
        previous=previous,
        actions=actions,
        coordinators=coordinators,
        agency_names=agency_names,
        tags=tags,
        updates=updates,
        redaction=redaction,
        measures=measures,
        readings=readings,
        axes=axes,
        filters=filters,
        as_at=as_at,
    )


def _one_reading_per_date(indicators, period: ReportingPeriod) -> list[tuple]:
    """(measure, date, value, is_demo) rows, one per measure and date: where several agencies
    recorded a reading for a date, a responsible agency's counts (the line's lead, else its
    coordinating agencies'), then an imported one, then the first supporting agency's."""
    is_lead = Exists(
        ActionAgency.objects.responsible().filter(
            action=OuterRef("measure__action"), agency=OuterRef("agency")
        )
    )
    rows = (
        IndicatorReading.objects.filter(measure__in=indicators, date__lte=period.ends_on)
        .annotate(by_lead=is_lead)
        .order_by("measure_id", "date", "-by_lead", F("agency").asc(nulls_first=True), "pk")
        .values_list("measure_id", "date", "value", "is_demo")
    )
    chosen, seen = [], set()
    for row in rows:
        if row[:2] not in seen:
            seen.add(row[:2])
            chosen.append(row)
    return sorted(chosen, key=lambda row: row[1])


def _grouped(rows) -> dict[int, list]:
    """(key, value…) rows → {key: [value or (values…), …]} in row order."""
    grouped = defaultdict(list)
    for key, *values in rows:
        grouped[key].append(values[0] if len(values) == 1 else tuple(values))
    return grouped
