"""The editing pages' forms. They parse and check what was typed; the services change things.

``changes()`` gives only the fields the browser sent, so a field a page left out (or a form
posted by a script without it) never empties stored text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionLink,
    ActionPlan,
    SuccessMeasure,
)
from agencies.models import Agency


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionedForm(forms.ModelForm):
    """A model form that carries the version it was read at and reports what was sent."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # Multiple-choice fields (checkboxes) send nothing when none is ticked; a hidden marker says
    # the page showed them, so "none ticked" is told apart from "not on the page".
    shown_marker = "shown"

    def changes(self) -> dict:
        sent = set(self.data)
        changes = {}
        for name, value in self.cleaned_data.items():
            if name == "version":
                continue
            field = self[name]
            if isinstance(self.fields[name], forms.ModelMultipleChoiceField):
                if f"{field.html_name}-{self.shown_marker}" in sent:
                    changes[name] = list(value)
            elif field.html_name in sent:
                changes[name] = value
        return changes


class PlanForm(VersionedForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "short_title", "code", "start_date", "end_date", "introduction"]
        fields += ["source"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False


class NewPlanForm(PlanForm):
    class Meta(PlanForm.Meta):
        fields = ["slug", *PlanForm.Meta.fields]
        labels = {"slug": _("Web address name")}
        help_texts = {
            "slug": _(
                "Lower-case letters, numbers and hyphens, e.g. “tsoc-action-plan-2031-2035”; "
                "it goes in the plan's web address and can't be changed later."
            )
        }


class GroupForm(VersionedForm):
    class Meta:
        model = ActionGroup
        fields = ["number", "title", "parent"]
        labels = {"title": _("Heading"), "parent": _("Sits under")}
        help_texts = {
            "number": _("As the plan numbers the heading, if it does."),
            "parent": _("Leave empty for a heading at the top level."),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        others = plan.groups.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.fields["version"].initial = self.instance.version
        self.fields["parent"].queryset = others
        self.fields["parent"].empty_label = _("(top level)")
        self.fields["version"].required = bool(self.instance.pk)


class AreaCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ActionForm(VersionedForm):
    priority_areas = AreaCheckboxes(queryset=None, required=False, label=_("Priority tags"))
    focus_areas = AreaCheckboxes(queryset=None, required=False, label=_("Focus tags"))

    class Meta:
        model = Action
        fields = ["number", "title", "short_title", "description", "resourcing", "timeframe"]
        fields += ["group", "priority_areas", "focus_areas"]
        labels = {"group": _("Group heading")}
        help_texts = {
            "timeframe": _(
                "As the plan words it, e.g. “Q2–Q4 2020”, “2026/27” or “Ongoing”. The "
                "page says how it reads the dates; text it can't read is kept as written."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "resourcing": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = plan.groups.all()
        self.fields["group"].empty_label = _("(no heading)")
        self.fields["priority_areas"].queryset = plan.strategy.priority_areas.all()
        self.fields["focus_areas"].queryset = plan.strategy.focus_areas.all()
        self.fields["version"].required = bool(self.instance.pk)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class AddCoordinatorForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=None, label=_("Agency"), empty_label=_("Choose an agency")
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (ActionAgency.Role.COORDINATING, _("Coordinating (jointly, with any others)")),
            (ActionAgency.Role.SUPPORTING, _("Supporting")),
        ],
        initial=ActionAgency.Role.COORDINATING,
        widget=forms.RadioSelect,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, prefix="agency", **kwargs)
        self.fields["agency"].queryset = Agency.objects.exclude(
            coordinations__action=action
        ).order_by("name")
        self.fields["version"].initial = action.version


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=[
            (ActionAgency.Role.COORDINATING, _("Coordinating")),
            (ActionAgency.Role.SUPPORTING, _("Supporting")),
        ]
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class VersionOnlyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MeasureForm(VersionedForm):
    class Meta:
        model = SuccessMeasure
        fields = ["statement", "indicator", "unit", "baseline", "baseline_date", "target"]
        fields += ["target_date", "direction"]
        labels = {"indicator": _("Indicator (what is counted)")}
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "baseline_date": DateInput(),
            "target_date": DateInput(),
        }
        help_texts = {
            "unit": _("E.g. “seizures”, “per cent”, “$m”."),
            "baseline": _("The number at the start."),
            "target": _("The number to reach."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = [
            ("", _("Not stated")),
            *SuccessMeasure.Direction.choices,
        ]
        self.fields["version"].required = bool(self.instance.pk)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class EarlierActionChoice(forms.ModelChoiceField):
    def label_from_instance(self, action):
        return f"{action.plan.code} {action.number} ({action.plan.short_title}): {action.label}"


class LinkForm(forms.Form):
    earlier_action = EarlierActionChoice(
        queryset=None, label=_("Earlier plan's action"), empty_label=_("Choose an action")
    )
    kind = forms.ChoiceField(
        label=_("This action"), choices=ActionLink.Kind.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, prefix="link", **kwargs)
        self.fields["earlier_action"].queryset = (
            Action.objects.filter(plan__start_date__lte=action.plan.start_date)
            .exclude(plan=action.plan)
            .select_related("plan")
            .order_by("-plan__start_date", "sort_key")
        )
        self.fields["version"].initial = action.version
