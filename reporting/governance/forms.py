"""The governance forms: the register's filters, a risk, a meeting, a decision, a follow-up and
a dependency. They keep what was typed when a check fails."""

from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import Action, ActionPlan
from agencies.models import Agency
from reporting.models import Decision, FollowUp, Meeting, Report, Risk
from reporting.models.risk_scale import Level

DATE = forms.DateInput(attrs={"type": "date"})


class RegisterFilterForm(forms.Form):
    plan = forms.ModelChoiceField(
        ActionPlan.objects.none(),
        required=False,
        label=_("Plan"),
        empty_label=_("All plans"),
        to_field_name="slug",
    )
    agency = forms.ModelChoiceField(
        Agency.objects.none(),
        required=False,
        label=_("Agency"),
        empty_label=_("All agencies"),
        to_field_name="slug",
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *Level.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Open and treated")), *Risk.Status.choices, ("all", _("All"))],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Only reviews overdue"), required=False)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["plan"].queryset = ActionPlan.objects.visible_to(user).order_by("-start_date")
        self.fields["agency"].queryset = Agency.objects.visible_to(user).order_by("short_name")

    def apply(self, risks, today):
        if not self.is_valid():
            return risks.live()
        data = self.cleaned_data
        if data["plan"]:
            risks = risks.filter(plan=data["plan"])
        if data["agency"]:
            risks = risks.filter(owner_agency=data["agency"])
        if data["level"]:
            risks = risks.at_level(data["level"])
        if data["status"] == "all":
            pass
        elif data["status"]:
            risks = risks.filter(status=data["status"])
        else:
            risks = risks.live()
        if data["overdue"]:
            risks = risks.review_overdue(today)
        return risks


class RiskForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    actions = forms.ModelMultipleChoiceField(
        Action.objects.none(),
        required=False,
        label=_("Linked actions"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Risk
        fields = [
            "title",
            "description",
            "cause",
            "consequence",
            "owner_agency",
            "likelihood",
            "consequence_rating",
            "treatment",
            "residual_likelihood",
            "residual_consequence",
            "review_on",
            "status",
            "actions",
            "withheld_under",
            "marking",
        ]
        widgets = {
            "review_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "cause": forms.Textarea(attrs={"rows": 2}),
            "consequence": forms.Textarea(attrs={"rows": 2}),
            "treatment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        if "actions" in self.fields:
            actions = self.fields["actions"]
            actions.queryset = Action.objects.filter(plan=plan).order_by("sort_key")
            actions.label_from_instance = lambda a: f"{a.number}: {a.title}"
        self.fields["owner_agency"].queryset = Agency.objects.order_by("short_name")
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)


class PromoteRiskForm(RiskForm):
    actions = None  # the entry is linked to the return's action; more can be linked later

    class Meta(RiskForm.Meta):
        fields = [f for f in RiskForm.Meta.fields if f not in ("status", "actions")]


class MeetingForm(forms.ModelForm):
    reports_tabled = forms.ModelMultipleChoiceField(
        Report.objects.none(),
        required=False,
        label=_("Reports tabled"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = ["title", "held_on", "attendees", "reports_tabled"]
        widgets = {"held_on": DATE, "attendees": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports_tabled"].queryset = Report.objects.filter(
            plan=plan, state=Report.State.READY
        ).order_by("-requested_at")


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "decided_on"]
        widgets = {"decided_on": DATE, "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, prefix="decision", **kwargs)
        self.fields["decided_on"].required = False
        self.fields["decided_on"].help_text = _("Leave empty for the meeting's date.")


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["what", "decision", "owner_agency", "owner_user", "due_on"]
        widgets = {"due_on": DATE, "what": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, prefix="follow_up", **kwargs)
        self.fields["decision"].queryset = meeting.decisions.all()
        self.fields["owner_agency"].queryset = Agency.objects.order_by("short_name")
        self.fields["owner_user"].label = _("Owner (a person, if not the agency as a whole)")

    def clean(self):
        data = super().clean()
        if not data.get("owner_agency") and not data.get("owner_user"):
            self.add_error("owner_agency", _("Choose the agency or person who owns it."))
        return data


class FollowUpChangeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = FollowUp
        fields = ["status", "notes", "due_on"]
        widgets = {"due_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)


class DependencyForm(forms.Form):
    depends_on = forms.ModelChoiceField(Action.objects.none(), label=_("This action depends on"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["depends_on"].queryset = (
            Action.objects.exclude(pk=action.pk)
            .select_related("plan")
            .order_by("plan__slug", "sort_key")
        )
        self.fields["depends_on"].label_from_instance = lambda a: (
            f"{a.plan.code} {a.number}: {a.title}"
        )
