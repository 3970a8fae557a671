"""Filters for strategies, plans, areas, agencies, actions and indicator readings.

Foreign keys are filtered in pairs, by id (``plan_id``) and by slug (``plan``); a parameter may
repeat to mean “any of these”. Text search is one ``search`` filter per list.
"""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field

from agencies.models import Agency

from .models import (
    Action,
    ActionAgency,
    ActionPlan,
    FocusArea,
    IndicatorReading,
    PriorityArea,
    Strategy,
    SuccessMeasure,
)


def by_id(queryset, field_name: str, label: str):
    return django_filters.ModelMultipleChoiceFilter(
        field_name=field_name, queryset=queryset, label=f"{label} id (repeat for any of several)."
    )


def by_slug(queryset, field_name: str, label: str, **kwargs):
    return django_filters.ModelMultipleChoiceFilter(
        field_name=f"{field_name}__slug",
        to_field_name="slug",
        queryset=queryset,
        label=f"{label} slug (repeat for any of several).",
        **kwargs,
    )


def described(filter_, schema: dict):
    """``filter_`` with its OpenAPI type stated, where a ``method`` hides it from the schema."""
    return extend_schema_field({**schema, "description": filter_.label})(filter_)


class StrategyAreaFilterSet(django_filters.FilterSet):
    strategy_id = by_id(Strategy.objects.all(), "strategy", "Strategy")
    strategy = by_slug(Strategy.objects.all(), "strategy", "Strategy")
    slug = django_filters.CharFilter(label="Area slug (unique within a strategy).")


class PriorityAreaFilterSet(StrategyAreaFilterSet):
    class Meta:
        model = PriorityArea
        fields = ["strategy_id", "strategy", "slug"]


class FocusAreaFilterSet(StrategyAreaFilterSet):
    class Meta:
        model = FocusArea
        fields = ["strategy_id", "strategy", "slug"]


class PlanFilterSet(django_filters.FilterSet):
    strategy_id = by_id(Strategy.objects.all(), "strategy", "Strategy")
    strategy = by_slug(Strategy.objects.all(), "strategy", "Strategy")

    class Meta:
        model = ActionPlan
        fields = ["strategy_id", "strategy", "slug", "code"]


class AgencyFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label="Name, short name, slug or another name contains this."
    )

    class Meta:
        model = Agency
        fields = ["slug", "search"]

    def filter_search(self, queryset, name, value):
        text = Q(name__icontains=value) | Q(short_name__icontains=value)
        text |= Q(slug__icontains=value) | Q(aliases__name__icontains=value)
        return queryset.filter(pk__in=Agency.objects.filter(text).values("pk"))


class ActionFilterSet(django_filters.FilterSet):
    plan_id = by_id(ActionPlan.objects.all(), "plan", "Plan")
    plan = by_slug(ActionPlan.objects.all(), "plan", "Plan")
    agency_id = django_filters.ModelMultipleChoiceFilter(
        field_name="coordinators__agency",
        queryset=Agency.objects.all(),
        method="filter_agency",
        label="Coordinated by this agency id, in any role (repeat for any of several).",
    )
    agency = described(
        django_filters.ModelMultipleChoiceFilter(
            queryset=Agency.objects.all(),
            to_field_name="slug",
            method="filter_agency",
            label="Coordinated by this agency slug, in any role (repeat for any of several).",
        ),
        {"type": "string"},
    )
    lead_agency_id = django_filters.ModelMultipleChoiceFilter(
        field_name="coordinators__agency",
        queryset=Agency.objects.all(),
        method="filter_lead_agency",
        label="Led by this agency id (repeat for any of several).",
    )
    lead_agency = described(
        django_filters.ModelMultipleChoiceFilter(
            queryset=Agency.objects.all(),
            to_field_name="slug",
            method="filter_lead_agency",
            label="Led by this agency slug (repeat for any of several).",
        ),
        {"type": "string"},
    )
    priority_area_id = by_id(PriorityArea.objects.all(), "priority_areas", "Priority area")
    priority_area = django_filters.CharFilter(
        method="filter_priority_area",
        label="Priority area slug, e.g. “prevent” (combine with plan where slugs repeat).",
    )
    focus_area_id = by_id(FocusArea.objects.all(), "focus_areas", "Focus area")
    focus_area = django_filters.CharFilter(
        method="filter_focus_area",
        label="Focus area slug, e.g. “border” (combine with plan where slugs repeat).",
    )
    number = django_filters.CharFilter(lookup_expr="iexact", label="Action number, e.g. 13a.")
    search = django_filters.CharFilter(
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
            "lead_agency_id",
            "lead_agency",
            "priority_area_id",
            "priority_area",
            "focus_area_id",
            "focus_area",
            "number",
            "search",
        ]

    def _coordinated_by(self, queryset, agencies, **extra):
        coordinations = ActionAgency.objects.filter(agency__in=agencies, **extra)
        return queryset.filter(pk__in=coordinations.values("action_id"))

    def filter_agency(self, queryset, name, agencies):
        return self._coordinated_by(queryset, agencies) if agencies else queryset

    def filter_lead_agency(self, queryset, name, agencies):
        if not agencies:
            return queryset
        return self._coordinated_by(queryset, agencies, role=ActionAgency.Role.LEAD)

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
    measure_id = by_id(SuccessMeasure.objects.all(), "measure", "Success measure")
    action_id = by_id(Action.objects.all(), "measure__action", "Action")
    plan_id = by_id(ActionPlan.objects.all(), "measure__action__plan", "Plan")
    plan = by_slug(ActionPlan.objects.all(), "measure__action__plan", "Plan")
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="As at this date or later (YYYY-MM-DD)."
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="As at this date or earlier (YYYY-MM-DD)."
    )

    class Meta:
        model = IndicatorReading
        fields = ["measure_id", "action_id", "plan_id", "plan", "date_from", "date_to"]
