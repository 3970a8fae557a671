"""How strategies, plans, areas, agencies, actions and indicator readings look in the API.

``ActionSerializer`` is the one declaration of an action's shape: single actions go through it,
and lists are built from ``.values()`` rows in the shape it declares (``core.api.rows``), with
its ``list_parts`` saying how lists read what isn't a column. A test holds both to one output.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.models import (
    Action,
    ActionAgency,
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
from agencies.models import Agency
from core.api.rows import Computed, Related
from core.lookups import any_of


class AgencyLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "slug", "name", "short_name"]


class AssumptionSerializer(serializers.ModelSerializer):
    field = serializers.CharField(help_text="The fact that is assumed; blank for the whole record.")

    class Meta:
        model = Assumption
        fields = ["field", "reason"]


class AssumptionsField(serializers.ListField):
    """The record's open assumptions: ``[{field, reason}]``; empty where every fact is as the
    source states it (or the secretariat has confirmed or corrected it)."""

    child = AssumptionSerializer()

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        kwargs.setdefault(
            "help_text",
            "Facts the source doesn't state, each with its reason, until the secretariat confirms "
            "or corrects them.",
        )
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return [{"field": a.field, "reason": a.reason} for a in obj.open_assumptions()]


class OpenAssumptions:
    """A list part (``core.api.rows``): the open assumptions of a page of records in one query,
    as ``AssumptionsField`` shows them, or with ``whole_record`` the reason the record as a whole
    is assumed (None if it isn't)."""

    columns = ()

    def __init__(self, *, whole_record: bool = False):
        self.whole_record = whole_record

    def bind(self, model, field) -> None:
        self.model = model

    def prepare(self, rows: list[dict], key: str):
        found = open_assumptions({self.model: [row[key] for row in rows]})[self.model]
        if self.whole_record:
            return lambda row: found.get(row[key], {}).get("")
        return lambda row: [
            {"field": field, "reason": reason} for field, reason in found.get(row[key], {}).items()
        ]


class StrategySerializer(serializers.ModelSerializer):
    assumptions = AssumptionsField()

    class Meta:
        model = Strategy
        fields = [
            "id",
            "slug",
            "title",
            "short_title",
            "start_year",
            "end_year",
            "vision",
            "goal",
            "source",
            "assumptions",
        ]


class StrategyItemSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField(help_text="Its own items, where the source groups.")

    class Meta:
        model = StrategyItem
        fields = ["title", "summary", "body", "items"]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "summary": {"type": "string"},
                    "body": {"type": "string"},
                    "items": {"type": "array", "items": {"type": "object"}},
                },
            },
        }
    )
    def get_items(self, item) -> list:
        return StrategyItemSerializer(item.children.all(), many=True).data


class StrategySectionSerializer(serializers.ModelSerializer):
    items = StrategyItemSerializer(many=True, read_only=True)

    class Meta:
        model = StrategySection
        fields = ["kind", "heading", "introduction", "items", "closing"]


class DeliveringActionSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.slug", read_only=True)
    reference = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ["id", "plan", "number", "reference", "title"]

    def get_reference(self, action) -> str:
        return f"{action.plan.code} {action.number}"


class StrategyPriorityActionSerializer(serializers.ModelSerializer):
    delivered_by = DeliveringActionSerializer(
        many=True,
        read_only=True,
        help_text="The plan actions delivering it; empty where no plan action does.",
    )

    class Meta:
        model = StrategyPriorityAction
        fields = ["title", "lead_in", "bullets", "description", "delivered_by", "delivery_note"]


class StrategyPriorityAreaSerializer(serializers.ModelSerializer):
    priority_actions = StrategyPriorityActionSerializer(many=True, read_only=True)

    class Meta:
        model = PriorityArea
        fields = ["id", "slug", "name", "summary", "description", "priority_actions"]


class StrategyFocusAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["id", "slug", "name", "summary", "description"]


class WorkProgrammeOverviewSerializer(serializers.ModelSerializer):
    marking = serializers.CharField(
        help_text="Its protective marking (IN CONFIDENCE): handle the content accordingly."
    )

    class Meta:
        model = WorkProgrammeOverview
        fields = ["slug", "title", "marking", "lanes", "levels", "parts", "note", "source"]


class StrategyPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionPlan
        fields = ["id", "slug", "code", "title", "short_title"]


class StrategyDetailSerializer(StrategySerializer):
    """A strategy with every part its source sets out."""

    sections = StrategySectionSerializer(many=True, read_only=True)
    priority_areas_heading = serializers.CharField(read_only=True)
    priority_areas_introduction = serializers.CharField(read_only=True)
    priority_areas = StrategyPriorityAreaSerializer(many=True, read_only=True)
    focus_areas_heading = serializers.CharField(read_only=True)
    focus_areas = StrategyFocusAreaSerializer(many=True, read_only=True)
    contributing_agencies = AgencyLinkSerializer(many=True, read_only=True)
    plans = StrategyPlanSerializer(many=True, read_only=True)
    work_programme_overviews = WorkProgrammeOverviewSerializer(many=True, read_only=True)

    class Meta(StrategySerializer.Meta):
        fields = [
            *StrategySerializer.Meta.fields,
            "sections",
            "priority_areas_heading",
            "priority_areas_introduction",
            "priority_areas",
            "focus_areas_heading",
            "focus_areas",
            "contributing_agencies",
            "plans",
            "work_programme_overviews",
        ]


class StrategyAreaSerializer(serializers.ModelSerializer):
    strategy_id = serializers.IntegerField(read_only=True)
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        fields = [
            "id",
            "strategy_id",
            "strategy",
            "slug",
            "name",
            "summary",
            "description",
            "order",
        ]


class PriorityAreaSerializer(StrategyAreaSerializer):
    class Meta(StrategyAreaSerializer.Meta):
        model = PriorityArea


class FocusAreaSerializer(StrategyAreaSerializer):
    class Meta(StrategyAreaSerializer.Meta):
        model = FocusArea


class PlanSerializer(serializers.ModelSerializer):
    strategy_id = serializers.IntegerField(read_only=True)
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    assumptions = AssumptionsField()

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "slug",
            "code",
            "title",
            "short_title",
            "strategy_id",
            "strategy",
            "start_date",
            "end_date",
            "source",
            "assumptions",
        ]


class CoordinatorSerializer(serializers.ModelSerializer):
    agency_id = serializers.IntegerField(read_only=True)
    agency = serializers.CharField(source="agency.slug", read_only=True)
    agency_name = serializers.CharField(source="agency.short_name", read_only=True)
    assumption = serializers.SerializerMethodField(
        help_text="Why this agency (and its role) is assumed, where the source doesn't name it."
    )

    class Meta:
        model = ActionAgency
        fields = ["agency_id", "agency", "agency_name", "role", "designated_at", "assumption"]

    def get_assumption(self, coordinator) -> str | None:
        assumption = coordinator.assumption_for("")
        return assumption.reason if assumption else None

    list_parts = {"assumption": OpenAssumptions(whole_record=True)}


class SuccessMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuccessMeasure
        fields = [
            "id",
            "statement",
            "indicator",
            "unit",
            "baseline",
            "baseline_date",
            "target",
            "target_date",
            "direction",
        ]


# The orders of an action's lists, for lists of actions and the detail view alike.
COORDINATOR_ORDER = ("order", "id")
MEASURE_ORDER = ("order", "id")
AREA_ORDER = ("order", "name", "id")


def reference_of(code: str, number: str) -> str:
    """How people cite an action: “TSOC 13a”."""
    return f"{code} {number}"


class ActionSerializer(serializers.ModelSerializer):
    plan_id = serializers.IntegerField(read_only=True)
    plan = serializers.CharField(source="plan.slug", read_only=True, help_text="The plan's slug.")
    reference = serializers.SerializerMethodField(help_text="How people cite it: “TSOC 13a”.")
    parent_id = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The action a sub-action or strand belongs to.",
    )
    parent_number = serializers.CharField(
        source="parent.number", read_only=True, allow_null=True, default=None
    )
    group_id = serializers.IntegerField(read_only=True, allow_null=True)
    group_title = serializers.CharField(
        source="group.title", read_only=True, allow_null=True, default=None
    )
    priority_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    agencies = CoordinatorSerializer(
        source="coordinators",
        many=True,
        read_only=True,
        help_text="Coordinating agencies and their roles, in the order the plan lists them.",
    )
    success_measures = SuccessMeasureSerializer(many=True, read_only=True)
    assumptions = AssumptionsField()

    class Meta:
        model = Action
        fields = [
            "id",
            "plan_id",
            "plan",
            "reference",
            "kind",
            "number",
            "title",
            "short_title",
            "description",
            "resourcing",
            "timeframe",
            "starts_on",
            "ends_on",
            "is_ongoing",
            "timeframe_unparsed",
            "parent_id",
            "parent_number",
            "group_id",
            "group_title",
            "priority_areas",
            "focus_areas",
            "agencies",
            "success_measures",
            "assumptions",
        ]

    list_parts = {
        "reference": Computed(("plan__code", "number"), reference_of),
        "priority_areas": Related(order=AREA_ORDER),
        "focus_areas": Related(order=AREA_ORDER),
        "agencies": Related(order=COORDINATOR_ORDER),
        "success_measures": Related(order=MEASURE_ORDER),
        "assumptions": OpenAssumptions(),
    }

    def get_reference(self, action) -> str:
        return reference_of(action.plan.code, action.number)


class IndicatorReadingSerializer(serializers.ModelSerializer):
    measure_id = serializers.IntegerField(read_only=True)
    action_id = serializers.IntegerField(source="measure.action_id", read_only=True)

    class Meta:
        model = IndicatorReading
        fields = ["id", "measure_id", "action_id", "date", "value", "note"]


def open_assumptions(ids_by_model: dict) -> dict:
    """``{model: {object id: {field: reason}}}`` of the open assumptions, in one query, in the
    order ``Assumption`` sorts them (as ``open_assumptions()`` reads them)."""
    types = ContentType.objects.get_for_models(*ids_by_model)
    found = {model: defaultdict(dict) for model in ids_by_model}
    by_type = {types[model].pk: model for model in ids_by_model}
    query = Assumption.objects.none()
    for model, ids in ids_by_model.items():
        of_model = Assumption.objects.filter(content_type=types[model], object_id__any=any_of(ids))
        query = query | of_model
    rows = (
        query.open().order_by("field").values_list("content_type", "object_id", "field", "reason")
    )
    for content_type, object_id, field, reason in rows:
        found[by_type[content_type]][object_id][field] = reason
    return found
