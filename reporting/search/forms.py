"""The search box and its filters, read from the query string."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPlan
from agencies.models import Agency
from reporting.models import ReportingPeriod, StatusUpdate
from reporting.periods.forms import PeriodChoiceField

from .registry import FILTERS, registered

QUERY_MAX_CHARS = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=QUERY_MAX_CHARS,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=_("Show"), required=False)
    plan = forms.ModelChoiceField(
        queryset=ActionPlan.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any plan"),
        label=_("Plan"),
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any agency"),
        label=_("Agency"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *StatusUpdate.Status.choices],
    )
    period = PeriodChoiceField(
        queryset=ReportingPeriod.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Any period"),
        label=_("Period"),
        error_messages={"invalid_choice": _("That is not a reporting period.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = ActionPlan.objects.visible_to(user).order_by("-start_date")
        self.fields["agency"].queryset = Agency.objects.visible_to(user).order_by("short_name")
        self.fields["period"].queryset = ReportingPeriod.objects.visible_to(user).order_by(
            "-year", "-quarter"
        )
        self.fields["kind"].choices = [("", gettext("Everything"))] + [
            (kind.key, kind.label) for kind in registered()
        ]

    def chosen_filters(self) -> dict:
        """The filters set, by name (``registry.FILTERS``)."""
        return {name: self.cleaned_data[name] for name in FILTERS if self.cleaned_data.get(name)}

    def chosen_kinds(self):
        key = self.cleaned_data.get("kind")
        return [kind for kind in registered() if kind.key == key] if key else None
