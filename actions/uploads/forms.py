"""The upload form: which plan, and the file."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPlan


class PlanUploadForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=ActionPlan.objects.none(),
        label=_("Plan to update"),
        empty_label=None,
    )
    file = forms.FileField(
        label=_("Plan file"),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.xlsm"}),
        error_messages={"required": _("Choose the plan file to upload")},
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["file"].help_text = _(
            "A .csv (saved as CSV UTF-8) or .xlsx file in the plan template, as the download below "
            "writes it; at most %(size)s and %(rows)s actions. Nothing changes until you confirm."
        ) % {
            "size": filesizeformat(settings.PLAN_IMPORT_MAX_BYTES),
            "rows": f"{settings.PLAN_IMPORT_MAX_ROWS:,}",
        }
