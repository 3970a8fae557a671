"""Filters for strategies, plans, areas, actions and indicator readings.

Foreign keys are filtered in pairs, by id (``plan_id``) and by slug (``plan``); an id or slug
that matches nothing gives an empty list, not an error. Text search is one ``search`` filter
per list. Values that can't be what a parameter takes (``plan_id=abc``) are refused with 400.
"""

import django_filters
from django.db.models import Q

from core.filters import DateFilter, TextFilter, by_id, by_slug

from .models import (
    Action,
    ActionAgency,
    ActionPlan,
    FocusArea,
    IndicatorReading,
    PriorityArea,
    Strategy,
)


class StrategyAreaFilterSet(django_filters.FilterSet):
    strategy_id = by_id("strategy", "Strategy")
    strategy = by_slug("strategy", "Strategy")
    slug = TextFilter(label="Area slug (unique within a strategy).")


class PriorityAreaFilterSet(StrategyAreaFilterSet):
    class Meta:
        model = PriorityArea
        fields = ["strategy_id", "strategy", "slug"]


class FocusAreaFilterSet(StrategyAreaFilterSet):
    class Meta:
        model = FocusArea
        fields = ["strategy_id", "strategy", "slug"]


class StrategyFilterSet(django_filters.FilterSet):
    slug = TextFilter(label="Strategy slug.")

    class Meta:
        model = Strategy
        fields = ["slug"]


class PlanFilterSet(django_filters.FilterSet):
    strategy_id = by_id("strategy", "Strategy")
    strategy = by_slug("strategy", "Strategy")
    slug = TextFilter(label="Plan slug.")
    code = TextFilter(lookup_expr="iexact", label="Plan code, e.g. TSOC.")

    class Meta:
        model = ActionPlan
        fields = ["strategy_id", "strategy", "slug", "code"]


class ActionFilterSet(django_filters.FilterSet):
    plan_id = by_id("plan", "Plan")
    plan = by_slug("plan", "Plan")
    agency_id = by_id("agency", "Coordinated by this agency (any role):", method="filter_agency")
    agency = TextFilter(
        label="Coordinated by this agency (any role): slug.", method="filter_agency_slug"
    )
    responsible_agency_id = by_id(
        "agency",
        "This agency is responsible for it (its designated lead, else a coordinating agency):",
        method="filter_responsible_agency",
    )
    responsible_agency = TextFilter(
        label="This agency is responsible for it (its designated lead, else a coordinating "
        "agency): slug.",
        method="filter_responsible_agency_slug",
    )
    priority_area_id = by_id("priority_areas", "Priority area")
    priority_area = TextFilter(
        method="filter_priority_area",
        label="Priority area slug, e.g. “prevent” (with plan, where strategies share slugs).",
    )
    focus_area_id = by_id("focus_areas", "Focus area")
    focus_area = TextFilter(
        method="filter_focus_area",
        label="Focus area slug, e.g. “border” (with plan, where strategies share slugs).",
    )
    number = TextFilter(lookup_expr="iexact", label="Action number, e.g. 13a.")
    search = TextFilter(
        method="filter_search",
        label="Title, description or resourcing contains this, or it is the action's number "
        "(“13a”) or reference (“TSOC 13a”).",
    )

    class Meta:
        model = Action
        fields = [
            "plan_id",
            "plan",
            "agency_id",
            "agency",
            "responsible_agency_id",
            "responsible_agency",
            "priority_area_id",
            "priority_area",
            "focus_area_id",
            "focus_area",
            "number",
            "search",
        ]

    def _coordinated_by(self, queryset, **coordination):
        actions = ActionAgency.objects.filter(**coordination).values("action_id")
        return queryset.filter(pk__in=actions)

    def filter_agency(self, queryset, name, agency_id):
        return self._coordinated_by(queryset, agency_id=agency_id)

    def filter_agency_slug(self, queryset, name, slug):
        return self._coordinated_by(queryset, agency__slug=slug)

    def _responsible(self, queryset, **coordination):
        actions = ActionAgency.objects.responsible().filter(**coordination).values("action_id")
        return queryset.filter(pk__in=actions)

    def filter_responsible_agency(self, queryset, name, agency_id):
        return self._responsible(queryset, agency_id=agency_id)

    def filter_responsible_agency_slug(self, queryset, name, slug):
        return self._responsible(queryset, agency__slug=slug)

    def filter_priority_area(self, queryset, name, slug):
        tagged = Action.priority_areas.through.objects.filter(priorityarea__slug=slug)
        return queryset.filter(pk__in=tagged.values("action_id"))

    def filter_focus_area(self, queryset, name, slug):
        tagged = Action.focus_areas.through.objects.filter(focusarea__slug=slug)
        return queryset.filter(pk__in=tagged.values("action_id"))

    def filter_search(self, queryset, name, value):
        text = Q(title__icontains=value) | Q(description__icontains=value)
        text |= Q(resourcing__icontains=value) | Q(number__iexact=value)
        code, _, number = value.strip().partition(" ")
        if number:
            text |= Q(plan__code__iexact=code, number__iexact=number.strip())
        return queryset.filter(text)


class IndicatorReadingFilterSet(django_filters.FilterSet):
    measure_id = by_id("measure", "Success measure")
    action_id = by_id("measure__action", "Action")
    plan_id = by_id("measure__action__plan", "Plan")
    plan = by_slug("measure__action__plan", "Plan")
    date_from = DateFilter(
        field_name="date", lookup_expr="gte", label="As at this date or later (YYYY-MM-DD)."
    )
    date_to = DateFilter(
        field_name="date", lookup_expr="lte", label="As at this date or earlier (YYYY-MM-DD)."
    )

    class Meta:
        model = IndicatorReading
        fields = ["measure_id", "action_id", "plan_id", "plan", "date_from", "date_to"]
