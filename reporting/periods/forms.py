"""Choosing a plan's period (and the dashboard's filters): the chooser the dashboard, the reports
and the withholdings pages share."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPlan, FocusArea, PriorityArea
from agencies.models import Agency
from reporting.models import ReportingPeriod
from reporting.progress.snapshot import DashboardFilters


class PeriodChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("That is not one of this plan's quarters.")}

    """A period. Chosen by its code (``to_field_name="code"``, as in a query string), it may be
    given by any name people write: “Q1 2026/27”, “2026/27-Q1” or “2026-Q3”."""

    def to_python(self, value):
        if self.to_field_name != "code" or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.queryset.by_name(value).get()
        except ValueError as error:
            raise ValidationError(str(error), code="invalid_choice") from None
        except ReportingPeriod.DoesNotExist:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    def label_from_instance(self, period):
        return f"{period.long_label} — {period.get_state_display().lower()}"


class DashboardFilterForm(forms.Form):
    """The dashboard's period and filters, read from the query string (invalid values are
    reported next to their field and ignored)."""

    period = PeriodChoiceField(
        queryset=ReportingPeriod.objects.none(), to_field_name="code", required=False
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All agencies"),
        label=_("Coordinating agency"),
    )
    priority = forms.ModelChoiceField(
        queryset=PriorityArea.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All priority areas"),
        label=_("Priority area"),
    )
    focus = forms.ModelChoiceField(
        queryset=FocusArea.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All focus areas"),
        label=_("Focus area"),
    )

    def __init__(self, data, *, plan: ActionPlan):
        # Always bound, with the default period filled in, so the form shows what is shown.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("period") and (period := ReportingPeriod.objects.default_for(plan)):
            data["period"] = period.code
        elif period := ReportingPeriod.objects.named(data.get("period")):
            data["period"] = period.code  # the select shows it, whichever name it was given
        super().__init__(data)
        self.plan = plan
        self.fields["period"].queryset = ReportingPeriod.objects.begun_in(plan)
        self.fields["period"].empty_label = None
        self.fields["agency"].queryset = Agency.objects.filter(
            coordinations__action__plan=plan
        ).distinct()
        self.fields["priority"].queryset = PriorityArea.objects.filter(strategy=plan.strategy)
        self.fields["focus"].queryset = FocusArea.objects.filter(strategy=plan.strategy)

    def selection(self) -> tuple[ReportingPeriod | None, DashboardFilters]:
        """The chosen period (or the default) and filters. An invalid choice is ignored: its
        field keeps the message saying so, and shows the value the figures are for instead."""
        self.is_valid()
        cleaned = {name: self.cleaned_data.get(name) for name in self.fields}
        period = cleaned["period"] or ReportingPeriod.objects.default_for(self.plan)
        for name in list(self.errors):
            self.data[name] = getattr(period, "code", "") if name == "period" else ""
            if name == "period" and period:
                ignored = gettext("%(error)s Ignored: showing %(period)s.")
            else:
                ignored = gettext("%(error)s Ignored: showing all.")
            message = ignored % {
                "error": self.errors[name][0],
                "period": getattr(period, "label", ""),
            }
            self.errors[name] = self.error_class([message])
        return period, DashboardFilters(
            agency=cleaned["agency"],
            priority_area=cleaned["priority"],
            focus_area=cleaned["focus"],
        )
