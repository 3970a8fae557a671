"""Filters for actions by progress, status updates and reporting periods."""

import re

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field

from actions.filtersets import ActionFilterSet
from core.filters import DateTimeFilter, StrictBooleanFilter, TextFilter, by_id, by_slug, integer
from reporting.progress.by_action import progress_by_action
from reporting.statuses import PROGRESS_STATUS_CHOICES

from .models import Evidence, ReportingPeriod, StatusUpdate

PERIOD_FORMS = "“Q1 2026/27”, “2026/27-Q1” or the code “2026-Q3”"


# The shapes of a quarter's name, as the OpenAPI schema states them (spaces, not other white
# space: a control character in a query is refused before this, by core.middleware). Text of
# another shape is refused (400); text of one of these shapes that names no quarter
# (“2026/29-Q1”) matches nothing, as an unknown slug does.
PERIOD_NAME_PATTERN = (
    r"^[ ]*(?:[0-9]{4}[ ]*-?[ ]*[Qq][ ]*[1-4]"
    r"|[Qq][ ]*[1-4][ ]*[0-9]{4}[ ]*/[ ]*(?:[0-9]{2}|[0-9]{4})"
    r"|[0-9]{4}[ ]*/[ ]*(?:[0-9]{2}|[0-9]{4})[ ]*-?[ ]*[Qq][ ]*[1-4])[ ]*$"
)
NO_SUCH_QUARTER = (0, 0)


class PeriodNameField(forms.CharField):
    """A quarter as people name it (``ReportingPeriod.parse_name``); cleans to (year, quarter)."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return ReportingPeriod.parse_name(text)
        except ValueError as error:
            if re.fullmatch(PERIOD_NAME_PATTERN, text):
                return NO_SUCH_QUARTER
            raise forms.ValidationError(str(error), code="invalid") from None


@extend_schema_field({"type": "string", "pattern": PERIOD_NAME_PATTERN})
class PeriodNameFilter(django_filters.CharFilter):
    """Rows whose period (``field_name``, "pk" for periods themselves) is the one named."""

    field_class = PeriodNameField

    def filter(self, qs, value):
        if value is None:
            return qs
        named = ReportingPeriod.objects.filter(year=value[0], quarter=value[1])
        return qs.filter(**{f"{self.field_name}__in": named})


class ActionProgressFilterSet(ActionFilterSet):
    """Actions by plan, agency, area and text (``ActionFilterSet``), and by their progress."""

    period = PeriodNameFilter(
        method="filter_period",
        label=f"The period whose progress is shown ({PERIOD_FORMS}); by default, the quarter "
        "the dashboard shows for each plan.",
    )
    period_id = by_id("period", "As period, by the period's", method="filter_period")
    status = django_filters.MultipleChoiceFilter(
        choices=PROGRESS_STATUS_CHOICES,
        method="filter_status",
        label="Its progress's status (by the status rule) is one of these (repeat for several).",
    )
    overdue = StrictBooleanFilter(
        method="filter_overdue",
        label="An agency responsible for one of its lines has an overdue return.",
    )

    class Meta(ActionFilterSet.Meta):
        fields = [*ActionFilterSet.Meta.fields, "period", "period_id", "status", "overdue"]

    def chosen_period(self) -> ReportingPeriod | None:
        named, pk = self.form.cleaned_data.get("period"), self.form.cleaned_data.get("period_id")
        if not named and pk is None:
            return None
        periods = ReportingPeriod.objects.all()
        if named:
            periods = periods.filter(year=named[0], quarter=named[1])
        return periods.filter(pk=pk).first() if pk is not None else periods.first()

    def filter_period(self, queryset, name, value):
        """A period chooses which quarter's progress is shown; one that doesn't exist (or
        an id and a name that disagree) matches nothing."""
        return queryset if self.chosen_period() is not None else queryset.none()

    def filter_status(self, queryset, name: str, statuses: list[str]):
        if not statuses:
            return queryset
        ids = list(queryset.values_list("pk", flat=True))
        progress = progress_by_action(ids, user=self.request.user, period=self.chosen_period())
        return queryset.filter(
            pk__in=[pk for pk, p in progress.items() if p and p["status"] in statuses]
        )

    def filter_overdue(self, queryset, name, overdue):
        return queryset.filter(overdue=overdue)


class StatusUpdateFilterSet(django_filters.FilterSet):
    period_id = by_id("period", "Period")
    period = PeriodNameFilter(field_name="period", label=f"The period: {PERIOD_FORMS}.")
    agency_id = by_id("agency", "Agency")
    agency = by_slug("agency", "Agency")
    action_id = by_id("action", "Action")
    plan_id = by_id("action__plan", "Plan")
    plan = by_slug("action__plan", "Plan")
    status = django_filters.MultipleChoiceFilter(
        choices=StatusUpdate.Status.choices, label="Status (repeat for any of several)."
    )
    state = django_filters.MultipleChoiceFilter(
        choices=StatusUpdate.State.choices, label="Return state (repeat for any of several)."
    )
    changed_since = DateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Changed at or after this time (ISO 8601, e.g. 2026-10-01T00:00:00Z): for "
        "incremental sync, pass the largest updated_at you have seen.",
    )
    is_demo = StrictBooleanFilter(label="Demonstration data (true) or real (false).")
    search = TextFilter(
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
    code = PeriodNameFilter(field_name="pk", label=f"The period: {PERIOD_FORMS}.")
    year = integer("year", "Calendar year.", minimum=1, maximum=32767)
    quarter = integer("quarter", "Calendar quarter, 1 to 4.", minimum=1, maximum=4)
    state = django_filters.MultipleChoiceFilter(
        choices=ReportingPeriod.State.choices, label="State (repeat for any of several)."
    )

    class Meta:
        model = ReportingPeriod
        fields = ["code", "year", "quarter", "state"]


class EvidenceFilterSet(django_filters.FilterSet):
    update_id = by_id("update", "Status update")
    reading_id = by_id("reading", "Indicator reading")

    class Meta:
        model = Evidence
        fields = ["update_id", "reading_id"]
