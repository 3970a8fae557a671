"""API filters for the register, follow-up actions and dependencies."""

import django_filters
from django.utils import timezone

from core.filters import StrictBooleanFilter, by_id, by_slug, described
from reporting.models import ActionDependency, FollowUp, Risk
from reporting.models.risk_scale import Level


class RiskFilterSet(django_filters.FilterSet):
    plan_id = by_id("plan", "Plan")
    plan = by_slug("plan", "Plan")
    agency_id = by_id("owner_agency", "Owner agency")
    agency = by_slug("owner_agency", "Owner agency")
    action_id = by_id("actions", "Linked action")
    status = django_filters.MultipleChoiceFilter(
        choices=Risk.Status.choices, label="Status (repeat for any of several)."
    )
    level = django_filters.ChoiceFilter(
        choices=Level.choices, method="filter_level", label="Level of the rating."
    )
    review_overdue = described(
        StrictBooleanFilter(
            method="filter_review_overdue", label="Open or treated with its review date passed."
        ),
        {"type": "boolean"},
    )

    class Meta:
        model = Risk
        fields = ["plan_id", "plan", "agency_id", "agency", "action_id", "status", "level"]

    def filter_level(self, queryset, name, value):
        return queryset.at_level(value)

    def filter_review_overdue(self, queryset, name, value):
        overdue = Risk.objects.review_overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class FollowUpFilterSet(django_filters.FilterSet):
    meeting_id = by_id("meeting", "Meeting")
    agency_id = by_id("owner_agency", "Owner agency")
    agency = by_slug("owner_agency", "Owner agency")
    status = django_filters.MultipleChoiceFilter(
        choices=FollowUp.Status.choices, label="Status (repeat for any of several)."
    )
    overdue = described(
        StrictBooleanFilter(method="filter_overdue", label="Still open past its due date."),
        {"type": "boolean"},
    )

    class Meta:
        model = FollowUp
        fields = ["meeting_id", "agency_id", "agency", "status"]

    def filter_overdue(self, queryset, name, value):
        overdue = FollowUp.objects.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class ActionDependencyFilterSet(django_filters.FilterSet):
    action_id = by_id("action", "Dependent action")
    depends_on_id = by_id("depends_on", "Action depended on")
    plan_id = by_id("action__plan", "Plan of the dependent action")

    class Meta:
        model = ActionDependency
        fields = ["action_id", "depends_on_id", "plan_id"]
