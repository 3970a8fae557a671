"""Filters for strategies, plans, areas, agencies, actions and indicator readings.

Foreign keys are filtered in pairs, by id (``plan_id``) and by slug (``plan``); an id or slug
that matches nothing gives an empty list, not an error. Text search is one ``search`` filter
per list. Values that can't be what a parameter takes (``plan_id=abc``) are refused with 400.
"""

import django_filters
import django_filters.fields
from django import forms
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
)

LARGEST_ID = 2**63 - 1  # the database's bigint


def described(filter_, schema: dict):
    """``filter_`` with its OpenAPI schema stated (django-filter can't say it exactly)."""
    return extend_schema_field({**schema, "description": filter_.label})(filter_)


class RefuseEmpty:
    """A parameter given with no value (``?year=``) is an error, not the same as leaving it
    out, so a client that builds a query wrongly finds out."""

    def to_python(self, value):
        if value == "":
            raise forms.ValidationError("Give a value, or leave the parameter out.")
        return super().to_python(value)


class IntegerField(RefuseEmpty, forms.IntegerField):
    pass


class DateField(RefuseEmpty, forms.DateField):
    pass


class DateTimeField(RefuseEmpty, django_filters.fields.IsoDateTimeField):
    pass


class DateFilter(django_filters.DateFilter):
    field_class = DateField


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = DateTimeField


class TextField(forms.CharField):
    """Text as given, less NUL characters (which no stored text contains)."""

    def to_python(self, value):
        return super().to_python(value).replace("\x00", "")


class TextFilter(django_filters.CharFilter):
    field_class = TextField


class StrictBooleanField(forms.Field):
    """``true`` or ``false``; anything else is an error, not “no filter”."""

    widget = forms.TextInput
    VALUES = {"true": True, "false": False}

    def to_python(self, value):
        if value is None:
            return None
        if value.lower() not in self.VALUES:
            raise forms.ValidationError("Give true or false.")
        return self.VALUES[value.lower()]


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class IntegerFilter(django_filters.NumberFilter):
    field_class = IntegerField  # not NumberFilter's decimal: an id is never 1.5


def integer(field_name: str, label: str, *, minimum: int = 1, maximum: int = LARGEST_ID, **kw):
    """A whole-number filter within the range the database stores."""
    return described(
        IntegerFilter(
            field_name=field_name,
            label=label,
            min_value=minimum,
            max_value=maximum,
            **kw,
        ),
        {"type": "integer", "minimum": minimum, "maximum": maximum},
    )


def by_id(field_name: str, label: str, **kwargs):
    return integer(field_name, f"{label} id.", **kwargs)


def by_slug(field_name: str, label: str, **kwargs):
    return TextFilter(field_name=f"{field_name}__slug", label=f"{label} slug.", **kwargs)


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


class AgencyFilterSet(django_filters.FilterSet):
    slug = TextFilter(label="Agency slug.")
    search = TextFilter(
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
    plan_id = by_id("plan", "Plan")
    plan = by_slug("plan", "Plan")
    agency_id = by_id("agency", "Coordinated by this agency (any role):", method="filter_agency")
    agency = TextFilter(
        label="Coordinated by this agency (any role): slug.", method="filter_agency_slug"
    )
    lead_agency_id = by_id("agency", "Led by this agency:", method="filter_lead_agency")
    lead_agency = TextFilter(label="Led by this agency: slug.", method="filter_lead_agency_slug")
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
            "lead_agency_id",
            "lead_agency",
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

    def filter_lead_agency(self, queryset, name, agency_id):
        return self._coordinated_by(queryset, agency_id=agency_id, role=ActionAgency.Role.LEAD)

    def filter_lead_agency_slug(self, queryset, name, slug):
        return self._coordinated_by(queryset, agency__slug=slug, role=ActionAgency.Role.LEAD)

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
