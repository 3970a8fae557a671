"""How strategies, plans, areas, agencies, actions and indicator readings look in the API.

``ActionSerializer`` is the one declaration of an action's shape: single actions go through it,
and lists are built from ``.values()`` rows in the shape it declares (``core.api.rows``), with
its ``list_parts`` saying how lists read what isn't a column. A test holds both to one output.
"""

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
from core.api.rows import Computed, Related


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

    list_parts = {
        "reference": Computed(("plan__code", "number"), reference_of),
        "priority_areas": Related(order=AREA_ORDER),
        "focus_areas": Related(order=AREA_ORDER),
        "agencies": Related(order=COORDINATOR_ORDER),
        "success_measures": Related(order=MEASURE_ORDER),
    }

    def get_reference(self, action) -> str:
        return reference_of(action.plan.code, action.number)


class IndicatorReadingSerializer(serializers.ModelSerializer):
    measure_id = serializers.IntegerField(read_only=True)
    action_id = serializers.IntegerField(source="measure.action_id", read_only=True)

    class Meta:
        model = IndicatorReading
        fields = ["id", "measure_id", "action_id", "date", "value", "note"]
