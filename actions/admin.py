"""Admin for strategies, plans and actions.

Models with history use ``ReadOnlyHistoryAdmin``: their history page is the audit trail, which
can be read but never reverted. Other apps' admins with history should use it too.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet

from core.admin import ReadOnlyHistoryAdmin

from .models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionLink,
    ActionPlan,
    Assumption,
    FocusArea,
    IndicatorReading,
    PriorityArea,
    Strategy,
    StrategyItem,
    StrategyPriorityAction,
    StrategySection,
    SuccessMeasure,
    WorkProgrammeOverview,
)

AREA_CHECKBOXES = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


def _limit_choices(form_class, field_name: str, queryset) -> None:
    """Offer only ``queryset`` in the form's ``field_name`` (a fresh form class per request)."""
    if field_name in form_class.base_fields:
        form_class.base_fields[field_name].queryset = queryset


def _area_label(area) -> str:
    return f"{area.name} ({area.strategy})"


def _action_label(action) -> str:
    return f"{action.number}: {action.title[:60]}"


class AreaListFilter(admin.RelatedFieldListFilter):
    """Priority and focus areas named with their strategy: both strategies have a “Unify”."""

    def field_choices(self, field, request, model_admin):
        areas = field.related_model.objects.select_related("strategy")
        return [(area.pk, _area_label(area)) for area in areas]


# Strategies ----------------------------------------------------------------------------------


class PriorityAreaInline(admin.TabularInline):
    model = PriorityArea
    extra = 0
    fields = ["order", "name", "slug", "summary", "description"]
    prepopulated_fields = {"slug": ["name"]}


class FocusAreaInline(PriorityAreaInline):
    model = FocusArea


class StrategySectionInline(admin.TabularInline):
    model = StrategySection
    extra = 0
    fields = ["order", "kind", "heading", "introduction"]
    show_change_link = True


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["short_title", "title", "start_year", "end_year"]
    search_fields = ["title", "short_title", "slug", "vision", "goal"]
    prepopulated_fields = {"slug": ["short_title"]}
    filter_horizontal = ["contributing_agencies"]
    inlines = [PriorityAreaInline, FocusAreaInline, StrategySectionInline]


class StrategyItemInline(admin.TabularInline):
    model = StrategyItem
    extra = 0
    fields = ["order", "parent", "title", "summary", "body"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        _limit_choices(formset.form, "parent", StrategyItem.objects.filter(section=obj))
        return formset


@admin.register(StrategySection)
class StrategySectionAdmin(admin.ModelAdmin):
    list_display = ["heading", "kind", "strategy", "order"]
    list_filter = ["strategy", "kind"]
    search_fields = ["heading", "introduction", "items__body", "items__title"]
    list_select_related = ["strategy"]
    inlines = [StrategyItemInline]


@admin.register(StrategyItem)
class StrategyItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section", "parent", "order"]
    list_filter = ["section__strategy", "section__kind"]
    search_fields = ["title", "summary", "body"]
    list_select_related = ["section__strategy", "parent"]
    raw_id_fields = ["parent"]


@admin.register(StrategyPriorityAction)
class StrategyPriorityActionAdmin(admin.ModelAdmin):
    list_display = ["title", "priority_area", "order"]
    list_filter = ["priority_area__strategy"]
    search_fields = ["title", "description"]
    list_select_related = ["priority_area__strategy"]
    filter_horizontal = ["delivered_by"]


@admin.register(WorkProgrammeOverview)
class WorkProgrammeOverviewAdmin(admin.ModelAdmin):
    list_display = ["title", "marking", "strategy"]
    search_fields = ["title", "note"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Assumption)
class AssumptionAdmin(ReadOnlyHistoryAdmin):
    """The facts the sources don't state. The secretariat confirms one as it stands, or corrects
    the fact on its own record and marks the assumption corrected; each step is in the history."""

    list_display = ["record_label", "field", "reason", "status", "resolved_by", "resolved_at"]
    list_filter = ["status", "content_type"]
    search_fields = ["reason", "field", "resolution_note"]
    readonly_fields = ["content_type", "object_id", "record_label", "resolved_by", "resolved_at"]
    fields = [
        "content_type",
        "object_id",
        "record_label",
        "field",
        "reason",
        "status",
        "resolution_note",
        "resolved_by",
        "resolved_at",
    ]
    actions = ["confirm", "mark_corrected"]

    @admin.display(description="record")
    def record_label(self, assumption) -> str:
        return str(assumption.record) if assumption.record is not None else "(removed)"

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data and obj.status != Assumption.Status.OPEN:
            obj.resolve(status=obj.status, by=request.user, note=obj.resolution_note)
        else:
            super().save_model(request, obj, form, change)

    def _resolve(self, request, queryset, status: str) -> None:
        for assumption in queryset.filter(status=Assumption.Status.OPEN):
            assumption.resolve(status=status, by=request.user)

    @admin.action(description="Confirm: the fact stands as loaded", permissions=["change"])
    def confirm(self, request, queryset):
        self._resolve(request, queryset, Assumption.Status.CONFIRMED)

    @admin.action(description="Mark corrected (after correcting the fact)", permissions=["change"])
    def mark_corrected(self, request, queryset):
        self._resolve(request, queryset, Assumption.Status.CORRECTED)


class StrategyAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "strategy", "order"]
    list_filter = ["strategy"]
    search_fields = ["name", "slug", "description"]
    list_select_related = ["strategy"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register(PriorityArea, StrategyAreaAdmin)
admin.site.register(FocusArea, StrategyAreaAdmin)


# Plans and groups ----------------------------------------------------------------------------


class ActionGroupInline(admin.TabularInline):
    model = ActionGroup
    extra = 0
    fields = ["order", "number", "title", "parent"]
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        _limit_choices(formset.form, "parent", ActionGroup.objects.filter(plan=obj))
        return formset


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnlyHistoryAdmin):
    list_display = ["short_title", "code", "strategy", "start_date", "end_date", "action_count"]
    list_filter = ["strategy"]
    search_fields = ["title", "short_title", "slug", "code"]
    prepopulated_fields = {"slug": ["short_title"]}
    inlines = [ActionGroupInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("strategy")
            .annotate(action_count=Count("actions", filter=Q(actions__parent__isnull=True)))
        )

    @admin.display(description="actions", ordering="action_count")
    def action_count(self, plan) -> int:
        return plan.action_count


@admin.register(ActionGroup)
class ActionGroupAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "plan", "parent", "order"]
    list_filter = ["plan"]
    search_fields = ["title", "number", "plan__short_title"]
    list_select_related = ["plan", "parent"]
    formfield_overrides = AREA_CHECKBOXES

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            _limit_choices(form, "parent", obj.plan.groups.exclude(pk=obj.pk))
            _limit_choices(form, "priority_areas", obj.plan.strategy.priority_areas.all())
        return form


# Actions -------------------------------------------------------------------------------------


class ActionAdminForm(forms.ModelForm):
    """Groups, parents and areas must come from the action's own plan and strategy."""

    class Meta:
        model = Action
        fields = [
            "plan",
            "number",
            "parent",
            "group",
            "title",
            "description",
            "resourcing",
            "timeframe",
            "priority_areas",
            "focus_areas",
        ]

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        if plan is None:
            return cleaned
        for name in ("group", "parent"):
            value = cleaned.get(name)
            if value is not None and value.plan_id != plan.pk:
                self.add_error(name, f"Choose one from {plan}.")
        if cleaned.get("parent") is not None and cleaned["parent"] == self.instance:
            self.add_error("parent", "An action can't be its own parent.")
        for name in ("priority_areas", "focus_areas"):
            if any(area.strategy_id != plan.strategy_id for area in cleaned.get(name) or []):
                self.add_error(name, f"Choose areas of the {plan.strategy}.")
        return cleaned


class SubActionFormSet(BaseInlineFormSet):
    """Sub-actions belong to their parent's plan (new ones to its group too), and take a number
    that is free in that plan."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.plan_id = self.instance.plan_id
        if form.instance.pk is None:
            form.instance.group_id = self.instance.group_id
        return form

    def clean(self):
        super().clean()
        numbers: set[str] = set()
        for form in self.forms:
            number = form.cleaned_data.get("number") if hasattr(form, "cleaned_data") else None
            if not number or form.cleaned_data.get("DELETE"):
                continue
            taken = (
                Action.objects.filter(plan_id=self.instance.plan_id, number=number)
                .exclude(pk=form.instance.pk)
                .exists()
            )
            if taken or number in numbers:
                form.add_error("number", "The plan already has an action with this number.")
            numbers.add(number)


class SubActionInline(admin.TabularInline):
    model = Action
    fk_name = "parent"
    formset = SubActionFormSet
    fields = ["kind", "number", "title", "timeframe"]
    extra = 0
    show_change_link = True
    verbose_name = "sub-action or strand"
    verbose_name_plural = "sub-actions and strands"


class CoordinatorFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        leads = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == ActionAgency.Role.LEAD
        ]
        if len(leads) > 1:
            raise forms.ValidationError(
                "Designate one lead at most; the other agencies keep coordinating."
            )

    def save_new(self, form, commit=True):
        _record_designation(form, self.request_user)
        return super().save_new(form, commit)

    def save_existing(self, form, obj, commit=True):
        _record_designation(form, self.request_user)
        return super().save_existing(form, obj, commit)


def _record_designation(form, user) -> None:
    """A role set to lead in the admin is a designation by the secretariat: who and when."""
    from django.utils import timezone

    if "role" not in form.changed_data:
        return
    coordinator = form.instance
    if coordinator.role == ActionAgency.Role.LEAD:
        coordinator.designated_by, coordinator.designated_at = user, timezone.now()
    else:
        coordinator.designated_by, coordinator.designated_at = None, None


class ActionAgencyInline(admin.TabularInline):
    model = ActionAgency
    formset = CoordinatorFormSet
    extra = 0
    fields = ["agency", "role", "order", "designated_by", "designated_at"]
    readonly_fields = ["designated_by", "designated_at"]
    autocomplete_fields = ["agency"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        return formset


class SuccessMeasureInline(admin.StackedInline):
    model = SuccessMeasure
    extra = 0
    fields = [
        "statement",
        "order",
        ("indicator", "unit"),
        ("baseline", "target", "target_date"),
    ]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}
    show_change_link = True


class ActionLinkInline(admin.TabularInline):
    model = ActionLink
    fk_name = "action"
    extra = 0
    fields = ["kind", "earlier_action", "note"]
    autocomplete_fields = ["earlier_action"]
    verbose_name_plural = "links to earlier actions"


class IsSubActionFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("action", "Actions"), ("sub_action", "Sub-actions"), ("strand", "Strands")]

    def queryset(self, request, queryset):
        if self.value() == "action":
            return queryset.filter(parent__isnull=True)
        if self.value() == "sub_action":
            return queryset.filter(parent__isnull=False, kind=Action.Kind.ACTION)
        if self.value() == "strand":
            return queryset.filter(kind=Action.Kind.STRAND)
        return queryset


@admin.register(Action)
class ActionAdmin(ReadOnlyHistoryAdmin):
    form = ActionAdminForm
    list_display = ["number", "title", "plan", "parent_number", "timeframe", "timeframe_unparsed"]
    list_display_links = ["number", "title"]
    list_filter = [
        "plan",
        IsSubActionFilter,
        ("priority_areas", AreaListFilter),
        ("focus_areas", AreaListFilter),
        "coordinators__agency",
        "coordinators__role",
        "timeframe_unparsed",
        "is_ongoing",
    ]
    search_fields = [
        "number",
        "title",
        "description",
        "coordinators__agency__name",
        "coordinators__agency__short_name",
    ]
    list_select_related = ["plan", "parent"]
    fieldsets = [
        (None, {"fields": ["plan", "kind", "number", "parent", "group", "title", "description"]}),
        (
            "Delivery",
            {
                "fields": [
                    "resourcing",
                    "timeframe",
                    ("starts_on", "ends_on", "is_ongoing", "timeframe_unparsed"),
                ]
            },
        ),
        (
            "Priority and focus",
            {
                "fields": ["priority_areas", "focus_areas"],
                "description": "Tags from the plan's strategy. The TSOC 2026–2030 plan's tags "
                "were lost from its source document: set them here.",
            },
        ),
    ]
    readonly_fields = ["starts_on", "ends_on", "is_ongoing", "timeframe_unparsed"]
    formfield_overrides = AREA_CHECKBOXES
    inlines = [ActionAgencyInline, SuccessMeasureInline, SubActionInline, ActionLinkInline]

    @admin.display(description="part of", ordering="parent__sort_key")
    def parent_number(self, action) -> str:
        return action.parent.number if action.parent else ""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["parent"].label_from_instance = _action_label
        if obj is None:
            for name, model in (("priority_areas", PriorityArea), ("focus_areas", FocusArea)):
                _limit_choices(form, name, model.objects.select_related("strategy"))
                form.base_fields[name].label_from_instance = _area_label
        else:
            _limit_choices(form, "group", obj.plan.groups.all())
            _limit_choices(form, "parent", obj.plan.actions.exclude(pk=obj.pk))
            _limit_choices(form, "priority_areas", obj.plan.strategy.priority_areas.all())
            _limit_choices(form, "focus_areas", obj.plan.strategy.focus_areas.all())
        return form


@admin.register(ActionAgency)
class ActionAgencyAdmin(ReadOnlyHistoryAdmin):
    list_display = ["action", "agency", "role_label"]
    list_filter = ["role", "agency", "action__plan"]
    search_fields = ["action__number", "action__title", "agency__name", "agency__short_name"]
    autocomplete_fields = ["action", "agency"]
    list_select_related = ["action__plan", "agency"]
    readonly_fields = ["designated_by", "designated_at"]
    actions = ["designate_lead"]

    @admin.display(description="role")
    def role_label(self, coordinator) -> str:
        return coordinator.role_label

    @admin.action(description="Designate as the lead of its action, sub-action or strand")
    def designate_lead(self, request, queryset):
        chosen = list(queryset.select_related("action__plan", "agency"))
        if len({c.action_id for c in chosen}) != len(chosen):
            self.message_user(
                request,
                "Choose one agency per action: an action, sub-action or strand has one lead.",
                level="error",
            )
            return
        for coordinator in chosen:
            coordinator.designate_as_lead(by=request.user)
        self.message_user(
            request, f"Designated {len(chosen)} lead{'s' if len(chosen) != 1 else ''}."
        )

    def save_model(self, request, obj, form, change):
        _record_designation(form, request.user)
        super().save_model(request, obj, form, change)


@admin.register(ActionLink)
class ActionLinkAdmin(ReadOnlyHistoryAdmin):
    list_display = ["action", "kind", "earlier_action"]
    list_filter = ["kind", "action__plan"]
    search_fields = ["action__number", "action__title", "earlier_action__number", "note"]
    autocomplete_fields = ["action", "earlier_action"]
    list_select_related = ["action__plan", "earlier_action__plan"]


# Success measures and readings ---------------------------------------------------------------


class IndicatorReadingInline(admin.TabularInline):
    model = IndicatorReading
    extra = 0
    fields = ["date", "value", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]


class HasIndicatorFilter(admin.SimpleListFilter):
    title = "indicator"
    parameter_name = "indicator"

    def lookups(self, request, model_admin):
        return [("yes", "Has an indicator"), ("no", "Statement only")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(indicator="")
        if self.value() == "no":
            return queryset.filter(indicator="")
        return queryset


@admin.register(SuccessMeasure)
class SuccessMeasureAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "action", "indicator", "unit", "target", "target_date"]
    list_filter = [HasIndicatorFilter, "action__plan"]
    search_fields = ["statement", "indicator", "action__number", "action__title"]
    autocomplete_fields = ["action"]
    list_select_related = ["action__plan"]
    inlines = [IndicatorReadingInline]

    def save_formset(self, request, form, formset, change):
        readings = formset.save(commit=False)
        for reading in readings:
            if isinstance(reading, IndicatorReading) and reading.recorded_by_id is None:
                reading.recorded_by = request.user
            reading.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


@admin.register(IndicatorReading)
class IndicatorReadingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["measure", "date", "value", "recorded_by"]
    list_filter = ["measure__action__plan", "date", "is_demo"]
    search_fields = ["measure__statement", "measure__indicator", "measure__action__number", "note"]
    autocomplete_fields = ["measure"]
    readonly_fields = ["recorded_by"]
    date_hierarchy = "date"
    list_select_related = ["measure", "recorded_by"]

    def save_model(self, request, obj, form, change):
        if obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
