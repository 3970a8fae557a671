"""Forms of the dashboard and reports pages. They parse input; dashboard and reports decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.markings import limit_to_ceiling
from reporting.models import Report, ReportingPeriod
from reporting.periods.forms import PeriodChoiceField


class ReportRequestForm(forms.ModelForm):
    """What the secretariat asks for: a plan and period, an audience, a version and marking."""

    period = PeriodChoiceField(
        queryset=ReportingPeriod.objects.none(), label=gettext_lazy("Reporting period")
    )

    class Meta:
        model = Report
        fields = ["plan", "period", "audience", "variant", "chosen_marking"]
        widgets = {"audience": forms.RadioSelect, "variant": forms.RadioSelect}
        labels = {"chosen_marking": gettext_lazy("Protective marking")}
        help_texts = {
            "audience": gettext_lazy(
                "Cabinet: short, with the exceptions. Security and Intelligence Board: "
                "every priority area with its risks. Steering group: every action's latest "
                "update, what changed and the outstanding returns."
            ),
            "variant": gettext_lazy(
                "The public version leaves out withheld text and carries no marking."
            ),
            "chosen_marking": gettext_lazy(
                "Printed on every page of the full version; raised automatically "
                "if the report contains text marked higher."
            ),
        }

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["plan"].queryset = plans
        self.fields["plan"].empty_label = None
        self.fields["audience"].choices = Report.Audience.choices  # no blank radio button
        limit_to_ceiling(self, "chosen_marking")
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
            self.add_error(
                "period", _("%(period)s is outside the plan's dates.") % {"period": period.label}
            )
        return cleaned
