"""How strategies, plans, areas, agencies, actions and indicator readings look in the API.

Actions have two serialisers with one shape: ``ActionSerializer`` (DRF, used for single actions
and for the schema) and ``action_rows`` (plain dicts from ``.values()`` rows, used for lists,
where per-row serializer overhead would dominate). A test holds them to identical output.
"""

from collections import defaultdict

from rest_framework import serializers

from actions.models import (
    Action,
    ActionAgency,
    ActionPlan,
    FocusArea,
    IndicatorReading,
    PriorityArea,
    Strategy,
    SuccessMeasure,
)


class StrategySerializer(serializers.ModelSerializer):
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
            "source",
        ]


class StrategyAreaSerializer(serializers.ModelSerializer):
    strategy_id = serializers.IntegerField(read_only=True)
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        fields = ["id", "strategy_id", "strategy", "slug", "name", "description", "order"]


class PriorityAreaSerializer(StrategyAreaSerializer):
    class Meta(StrategyAreaSerializer.Meta):
        model = PriorityArea


class FocusAreaSerializer(StrategyAreaSerializer):
    class Meta(StrategyAreaSerializer.Meta):
        model = FocusArea


class PlanSerializer(serializers.ModelSerializer):
    strategy_id = serializers.IntegerField(read_only=True)
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)

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
        ]


class CoordinatorSerializer(serializers.ModelSerializer):
    agency_id = serializers.IntegerField(read_only=True)
    agency = serializers.CharField(source="agency.slug", read_only=True)
    agency_name = serializers.CharField(source="agency.short_name", read_only=True)

    class Meta:
        model = ActionAgency
        fields = ["agency_id", "agency", "agency_name", "role", "scope"]


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

    class Meta:
        model = Action
        fields = [
            "id",
            "plan_id",
            "plan",
            "reference",
            "number",
            "title",
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
COORDINATOR_FIELDS = {  # as CoordinatorSerializer names them
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
        }
        for row in rows
    ]
