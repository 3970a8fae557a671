"""How strategies, plans, areas, agencies, actions and indicator readings look in the API.

Actions have two serialisers with one shape: ``ActionSerializer`` (DRF, used for single actions
and for the schema) and ``action_rows`` (plain dicts from ``.values()`` rows, used for lists,
where per-row serializer overhead would dominate). A test holds them to identical output.
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
        fields = ["agency_id", "agency", "agency_name", "role", "scope", "assumption"]

    def get_assumption(self, coordinator) -> str | None:
        assumption = coordinator.assumption_for("")
        return assumption.reason if assumption else None


class SuccessMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuccessMeasure
        fields = [
            "id",
            "statement",
            "scope",
            "indicator",
            "unit",
            "baseline",
            "target",
            "target_date",
        ]


class ActionSerializer(serializers.ModelSerializer):
    plan_id = serializers.IntegerField(read_only=True)
    plan = serializers.CharField(source="plan.slug", read_only=True, help_text="The plan's slug.")
    reference = serializers.SerializerMethodField(help_text="How people cite it: “TSOC 13a”.")
    parent_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The action a sub-action belongs to."
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

    def get_reference(self, action) -> str:
        return f"{action.plan.code} {action.number}"


class IndicatorReadingSerializer(serializers.ModelSerializer):
    measure_id = serializers.IntegerField(read_only=True)
    action_id = serializers.IntegerField(source="measure.action_id", read_only=True)

    class Meta:
        model = IndicatorReading
        fields = ["id", "measure_id", "action_id", "date", "value", "note"]


# The lean list path ---------------------------------------------------------------------------

ACTION_VALUES = (
    "id",
    "plan_id",
    "plan__slug",
    "plan__code",
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
    "parent__number",
    "group_id",
    "group__title",
)
COORDINATOR_ORDER = ("order", "id")
COORDINATOR_FIELDS = {  # as CoordinatorSerializer names them ("id" is dropped after use)
    "id": "id",
    "agency_id": "agency_id",
    "agency": "agency__slug",
    "agency_name": "agency__short_name",
    "role": "role",
    "scope": "scope",
}
MEASURE_ORDER = ("order", "id")
AREA_ORDER = ("order", "name", "id")


def action_related(model_objects, ids, fields: dict[str, str], order) -> dict[int, list[dict]]:
    """``{action id: [{name: value, …}, …]}`` for one related list of a page of actions, in one
    query; ``fields`` maps each name to the field it is read from."""
    grouped = defaultdict(list)
    names, related = tuple(fields), model_objects.filter(action_id__in=ids).order_by(*order)
    for action_id, *values in related.values_list("action_id", *fields.values()):
        grouped[action_id].append(dict(zip(names, values, strict=True)))
    return grouped


def action_slugs(area_objects, ids) -> dict[int, list[str]]:
    """``{action id: [slug, …]}`` of the page's priority or focus areas, in one query."""
    grouped = defaultdict(list)
    areas = area_objects.filter(actions__in=ids).order_by(*AREA_ORDER)
    for action_id, slug in areas.values_list("actions", "slug"):
        grouped[action_id].append(slug)
    return grouped


def action_rows(rows: list[dict]) -> list[dict]:
    """A page of ``queryset.values(*ACTION_VALUES)`` rows as ``ActionSerializer`` renders
    actions: four queries for the page's agencies, measures and areas, whatever its size."""
    ids = [row["id"] for row in rows]
    agencies = action_related(ActionAgency.objects, ids, COORDINATOR_FIELDS, COORDINATOR_ORDER)
    coordinator_ids = [c["id"] for each in agencies.values() for c in each]
    assumed = open_assumptions({Action: ids, ActionAgency: coordinator_ids})
    for each in agencies.values():
        for coordinator in each:
            reasons = assumed[ActionAgency].get(coordinator.pop("id"), {})
            coordinator["assumption"] = reasons.get("")
    measures = action_related(
        SuccessMeasure.objects,
        ids,
        {name: name for name in SuccessMeasureSerializer.Meta.fields},
        MEASURE_ORDER,
    )
    priority = action_slugs(PriorityArea.objects, ids)
    focus = action_slugs(FocusArea.objects, ids)
    return [
        {
            "id": row["id"],
            "plan_id": row["plan_id"],
            "plan": row["plan__slug"],
            "reference": f"{row['plan__code']} {row['number']}",
            "number": row["number"],
            "title": row["title"],
            "short_title": row["short_title"],
            "description": row["description"],
            "resourcing": row["resourcing"],
            "timeframe": row["timeframe"],
            "starts_on": row["starts_on"],
            "ends_on": row["ends_on"],
            "is_ongoing": row["is_ongoing"],
            "timeframe_unparsed": row["timeframe_unparsed"],
            "parent_id": row["parent_id"],
            "parent_number": row["parent__number"],
            "group_id": row["group_id"],
            "group_title": row["group__title"],
            "priority_areas": priority[row["id"]],
            "focus_areas": focus[row["id"]],
            "agencies": agencies[row["id"]],
            "success_measures": measures[row["id"]],
            "assumptions": [
                {"field": field, "reason": reason}
                for field, reason in assumed[Action].get(row["id"], {}).items()
            ],
        }
        for row in rows
    ]


def open_assumptions(ids_by_model: dict) -> dict:
    """``{model: {object id: {field: reason}}}`` of the open assumptions, in one query, in the
    order ``Assumption`` sorts them (as ``open_assumptions()`` reads them)."""
    types = ContentType.objects.get_for_models(*ids_by_model)
    found = {model: defaultdict(dict) for model in ids_by_model}
    by_type = {types[model].pk: model for model in ids_by_model}
    query = Assumption.objects.none()
    for model, ids in ids_by_model.items():
        query = query | Assumption.objects.filter(content_type=types[model], object_id__in=ids)
    rows = (
        query.open().order_by("field").values_list("content_type", "object_id", "field", "reason")
    )
    for content_type, object_id, field, reason in rows:
        found[by_type[content_type]][object_id][field] = reason
    return found
