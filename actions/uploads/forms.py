"""The upload form: which plan, and the file."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from actions.models import ActionPlan


class PlanUploadForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=ActionPlan.objects.none(),
        label="Plan to update",
        empty_label=None,
    )
    file = forms.FileField(
        label="Plan file",
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.xlsm"}),
        error_messages={"required": "Choose the plan file to upload"},
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["file"].help_text = (
            "A .csv (saved as CSV UTF-8) or .xlsx file in the plan template, as the download below "
            f"writes it; at most {filesizeformat(settings.PLAN_IMPORT_MAX_BYTES)} and "
            f"{settings.PLAN_IMPORT_MAX_ROWS:,} actions. Nothing changes until you confirm."
        )
