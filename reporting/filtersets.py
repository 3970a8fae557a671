"""Filters for actions by progress, status updates and reporting periods."""

import django_filters
from django.db.models import Q

from actions.filtersets import ActionFilterSet, by_id, by_slug, described
from actions.models import Action, ActionPlan
from agencies.models import Agency

from .models import ReportingPeriod, StatusUpdate
from .progress import with_latest_status


class ActionProgressFilterSet(ActionFilterSet):
    """Actions by plan, agency, area and text (``ActionFilterSet``), and by their progress."""

    period = described(
        django_filters.ModelChoiceFilter(
            queryset=ReportingPeriod.objects.all(),
            to_field_name="code",
            method="filter_period",
            label="Only actions with a lead return for this period (code, e.g. 2026-Q3); "
            "latest_status is then that period's return.",
        ),
        {"type": "string"},
    )
    period_id = django_filters.ModelChoiceFilter(
        field_name="status_updates__period",
        queryset=ReportingPeriod.objects.all(),
        method="filter_period",
        label="As period, by the period's id.",
    )
    latest_status = django_filters.MultipleChoiceFilter(
        choices=StatusUpdate.Status.choices,
        method="filter_latest_status",
        label="The latest status is one of these (repeat for several).",
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="A lead agency's return for an open period is overdue."
    )

    class Meta(ActionFilterSet.Meta):
        fields = [*ActionFilterSet.Meta.fields, "period", "period_id", "latest_status", "overdue"]

    def filter_queryset(self, queryset):
        period = self.form.cleaned_data.get("period") or self.form.cleaned_data.get("period_id")
        if period is not None:  # the latest status becomes that period's return
            queryset = with_latest_status(queryset, user=self.request.user, period=period)
        return super().filter_queryset(queryset)

    def filter_period(self, queryset, name, period):
        return queryset.filter(latest_status_id__isnull=False) if period else queryset

    def filter_latest_status(self, queryset, name, statuses):
        if not statuses:
            return queryset
        matching = StatusUpdate.objects.filter(status__in=statuses).values("pk")
        return queryset.filter(latest_status_id__in=matching)

    def filter_overdue(self, queryset, name, overdue):
        return queryset.filter(overdue=overdue)


class StatusUpdateFilterSet(django_filters.FilterSet):
    period_id = by_id(ReportingPeriod.objects.all(), "period", "Period")
    period = django_filters.ModelMultipleChoiceFilter(
        field_name="period__code",
        to_field_name="code",
        queryset=ReportingPeriod.objects.all(),
        label="Period code, e.g. 2026-Q3 (repeat for any of several).",
    )
    agency_id = by_id(Agency.objects.all(), "agency", "Agency")
    agency = by_slug(Agency.objects.all(), "agency", "Agency")
    action_id = by_id(Action.objects.all(), "action", "Action")
    plan_id = by_id(ActionPlan.objects.all(), "action__plan", "Plan")
    plan = by_slug(ActionPlan.objects.all(), "action__plan", "Plan")
    status = django_filters.MultipleChoiceFilter(
        choices=StatusUpdate.Status.choices, label="Status (repeat for any of several)."
    )
    state = django_filters.MultipleChoiceFilter(
        choices=StatusUpdate.State.choices, label="Return state (repeat for any of several)."
    )
    changed_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Changed at or after this time (ISO 8601, e.g. 2026-10-01T00:00:00Z): for "
        "incremental sync, pass the largest updated_at you have seen.",
    )
    is_demo = django_filters.BooleanFilter(label="Demonstration data (true) or real (false).")
    search = django_filters.CharFilter(
        method="filter_search", label="Commentary, risks or next steps contain this text."
    )

    class Meta:
        model = StatusUpdate
        fields = [
            "period_id",
            "period",
            "agency_id",
            "agency",
            "action_id",
            "plan_id",
            "plan",
            "status",
            "state",
            "changed_since",
            "is_demo",
            "search",
        ]

    def filter_search(self, queryset, name, value):
        text = Q(commentary__icontains=value) | Q(risks__icontains=value)
        return queryset.filter(text | Q(next_steps__icontains=value))


class PeriodFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=ReportingPeriod.State.choices, label="State (repeat for any of several)."
    )

    class Meta:
        model = ReportingPeriod
        fields = ["code", "year", "quarter", "state"]
