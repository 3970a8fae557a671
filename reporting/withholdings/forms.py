"""The form that withholds a field or an update's text from proactive release."""

from django import forms

from actions.models import Action, ActionPlan
from agencies.models import Agency
from core.markings import limit_to_ceiling
from reporting.models import ReportingPeriod, StatusUpdate, Withholding


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
        # A comment is withheld from its place in the update's conversation.
        self.fields["field"].choices = [
            choice
            for choice in self.fields["field"].choices
            if choice[0] != Withholding.Field.COMMENT
        ]
        self.fields["action"].queryset = Action.objects.filter(plan=plan).order_by("sort_key")
        self.fields["action"].label_from_instance = lambda a: f"{plan.code} {a.number}: {a.title}"
        self.order_fields(["action", "field", "agency", "ground", "marking", "note"])
        limit_to_ceiling(self, "marking")
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
