"""The form that withholds an action, a part of it, or an update's text from proactive release."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import Action, ActionPlan
from agencies.models import Agency
from core.markings import limit_to_ceiling
from reporting.models import ReportingPeriod, StatusUpdate, Withholding

F = Withholding.Field

# What the form offers, grouped as the secretariat thinks of it (a comment is withheld from its
# place in the update's conversation; a risk on the risk's own page).
FIELD_CHOICES = [
    (
        gettext_lazy("The action, sub-action or strand"),
        [
            (f.value, f.label)
            for f in (F.ACTION, F.TITLE, F.DESCRIPTION, F.RESOURCING, F.AGENCIES, F.MEASURES)
        ],
    ),
    (
        gettext_lazy("An agency's update on it this quarter"),
        [(f.value, f.label) for f in (F.UPDATE, F.COMMENTARY, F.RISKS, F.NEXT_STEPS)],
    ),
]


def _has_part(action: Action, field: str) -> bool:
    """Whether there is anything to withhold in this part of the action."""
    if field == F.AGENCIES:
        return action.coordinators.exists()
    if field == F.MEASURES:
        return action.success_measures.exists()
    return field == F.ACTION or bool(getattr(action, field))


class WithholdingForm(forms.ModelForm):
    """Withhold an action (its sub-actions and strands are actions too) or a part of it, or an
    agency's update on it for the period, from release."""

    action = forms.ModelChoiceField(
        queryset=Action.objects.none(),
        label=gettext_lazy("Action, sub-action or strand"),
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label=gettext_lazy("Agency whose update it is"),
        help_text=gettext_lazy("Only for an update's text."),
    )

    class Meta:
        model = Withholding
        fields = ["field", "ground", "marking", "note"]  # action or update: set in clean()
        labels = {"field": gettext_lazy("What to withhold")}

    def __init__(self, *args, plan: ActionPlan, period: ReportingPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.period = period
        self.fields["field"].choices = [("", "---------"), *FIELD_CHOICES]
        self.fields["field"].help_text = _(
            "The public version prints “[withheld under s …]” in its place. A whole action "
            "withheld still counts in the figures, under its number."
        )
        self.fields["action"].queryset = Action.objects.filter(plan=plan).order_by("sort_key")
        self.fields["action"].label_from_instance = lambda a: (
            _("%(code)s %(number)s: strand: %(title)s")
            % {"code": plan.code, "number": a.number, "title": a.title}
            if a.kind == Action.Kind.STRAND
            else f"{plan.code} {a.number}: {a.title}"
        )
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
            if not _has_part(action, field):
                part = F(field).label.removeprefix("Action's ").removeprefix("Action ")
                self.add_error(
                    "field",
                    _("%(number)s has no %(part)s to withhold.")
                    % {"number": action.number, "part": part.lower()},
                )
        elif agency is None:
            self.add_error("agency", _("Choose the agency whose update it is."))
        else:
            update = StatusUpdate.objects.filter(
                action=action, agency=agency, period=self.period
            ).first()
            if update is None:
                self.add_error(
                    "agency",
                    _("%(agency)s has no update on %(number)s for %(period)s.")
                    % {"agency": agency, "number": action.number, "period": self.period.label},
                )
            self.instance.action, self.instance.update = None, update
        return cleaned

    def _get_validation_exclusions(self):
        # Once clean() has found the target, it is checked against the model's constraints too.
        exclusions = super()._get_validation_exclusions()
        return exclusions if self._errors else exclusions - {"action", "update"}
