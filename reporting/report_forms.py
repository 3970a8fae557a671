"""Forms of the dashboard and reports pages. They parse input; dashboard and reports decide."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from actions.models import Action, ActionPlan, FocusArea, PriorityArea
from agencies.models import Agency

from .dashboard import DashboardFilters
from .models import Report, ReportingPeriod, StatusUpdate, Withholding


class PeriodChoiceField(forms.ModelChoiceField):
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


def periods_of(plan: ActionPlan, today: datetime.date | None = None):
    """The quarters of ``plan`` that have begun, latest first."""
    today = today or timezone.localdate()
    return ReportingPeriod.objects.filter(
        ends_on__gte=plan.start_date, starts_on__lte=min(plan.end_date, today)
    ).order_by("-starts_on")


def default_period(plan: ActionPlan) -> ReportingPeriod | None:
    """The quarter open for returns if it is one of the plan's, else the plan's latest begun."""
    periods = periods_of(plan)
    return periods.filter(state=ReportingPeriod.State.OPEN).first() or periods.first()


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
        empty_label="All agencies",
        label="Coordinating agency",
    )
    priority = forms.ModelChoiceField(
        queryset=PriorityArea.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="All priority areas",
        label="Priority area",
    )
    focus = forms.ModelChoiceField(
        queryset=FocusArea.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="All focus areas",
        label="Focus area",
    )

    def __init__(self, data, *, plan: ActionPlan):
        # Always bound, with the default period filled in, so the form shows what is shown.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("period") and (period := default_period(plan)):
            data["period"] = period.code
        elif period := ReportingPeriod.objects.named(data.get("period")):
            data["period"] = period.code  # the select shows it, whichever name it was given
        super().__init__(data)
        self.plan = plan
        self.fields["period"].queryset = periods_of(plan)
        self.fields["period"].empty_label = None
        self.fields["agency"].queryset = Agency.objects.filter(
            coordinations__action__plan=plan
        ).distinct()
        self.fields["priority"].queryset = PriorityArea.objects.filter(strategy=plan.strategy)
        self.fields["focus"].queryset = FocusArea.objects.filter(strategy=plan.strategy)

    def selection(self) -> tuple[ReportingPeriod | None, DashboardFilters]:
        """The chosen period (or the default) and filters; invalid choices count as unset."""
        self.is_valid()
        cleaned = {name: self.cleaned_data.get(name) for name in self.fields}
        return cleaned["period"] or default_period(self.plan), DashboardFilters(
            agency=cleaned["agency"],
            priority_area=cleaned["priority"],
            focus_area=cleaned["focus"],
        )


class ReportRequestForm(forms.ModelForm):
    """What the secretariat asks for: a plan and period, an audience, a version and marking."""

    period = PeriodChoiceField(queryset=ReportingPeriod.objects.none(), label="Reporting period")

    class Meta:
        model = Report
        fields = ["plan", "period", "audience", "variant", "chosen_marking"]
        widgets = {"audience": forms.RadioSelect, "variant": forms.RadioSelect}
        labels = {"chosen_marking": "Protective marking"}
        help_texts = {
            "audience": "Cabinet: short, with the exceptions. Security and Intelligence Board: "
            "every priority area with its risks. Steering group: every action's latest update, "
            "what changed and the outstanding returns.",
            "variant": "The public version leaves out withheld text and carries no marking.",
            "chosen_marking": "Printed on every page of the full version; raised automatically "
            "if the report contains text marked higher.",
        }

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["plan"].queryset = plans
        self.fields["plan"].empty_label = None
        self.fields["audience"].choices = Report.Audience.choices  # no blank radio button
        today = timezone.localdate()
        self.fields["period"].queryset = ReportingPeriod.objects.filter(
            starts_on__lte=today
        ).order_by("-starts_on")

    def clean(self):
        cleaned = super().clean()
        plan, period = cleaned.get("plan"), cleaned.get("period")
        if (
            plan
            and period
            and not (period.ends_on >= plan.start_date and period.starts_on <= plan.end_date)
        ):
            self.add_error("period", f"{period.label} is outside the plan's dates.")
        return cleaned


class WithholdingForm(forms.ModelForm):
    """Withhold an action's field, or an agency's update on it for the period, from release."""

    action = forms.ModelChoiceField(queryset=Action.objects.none(), label="Action")
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label="Agency whose update it is",
        help_text="Only for update text.",
    )

    class Meta:
        model = Withholding
        fields = ["field", "ground", "marking", "note"]  # action or update: set in clean()
        labels = {"field": "What to withhold"}

    def __init__(self, *args, plan: ActionPlan, period: ReportingPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.period = period
        self.fields["action"].queryset = Action.objects.filter(plan=plan).order_by("sort_key")
        self.fields["action"].label_from_instance = lambda a: f"{plan.code} {a.number}: {a.title}"
        self.order_fields(["action", "field", "agency", "ground", "marking", "note"])
        self.fields["agency"].queryset = Agency.objects.filter(
            coordinations__action__plan=plan
        ).distinct()

    def clean(self):
        cleaned = super().clean()
        action, field, agency = cleaned.get("action"), cleaned.get("field"), cleaned.get("agency")
        if not action or not field:
            return cleaned
        if field in Withholding.ACTION_FIELDS:
            self.instance.action, self.instance.update = action, None
            if not getattr(action, field):
                self.add_error("field", f"{action.number} has no {field} to withhold.")
        elif agency is None:
            self.add_error("agency", "Choose the agency whose update it is.")
        else:
            update = StatusUpdate.objects.filter(
                action=action, agency=agency, period=self.period
            ).first()
            if update is None:
                self.add_error(
                    "agency",
                    f"{agency} has no update on {action.number} for {self.period.label}.",
                )
            self.instance.action, self.instance.update = None, update
        return cleaned

    def _get_validation_exclusions(self):
        # Once clean() has found the target, it is checked against the model's constraints too.
        exclusions = super()._get_validation_exclusions()
        return exclusions if self._errors else exclusions - {"action", "update"}
