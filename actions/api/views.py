"""Read-only endpoints for the plans' reference data. Who may read is decided by the querysets
in ``actions.querysets`` (``visible_to``, ``has_any_role``)."""

from django.db.models import Prefetch

from actions.filtersets import (
    AgencyFilterSet,
    FocusAreaFilterSet,
    IndicatorReadingFilterSet,
    PlanFilterSet,
    PriorityAreaFilterSet,
    StrategyFilterSet,
)
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
from actions.querysets import has_any_role
from agencies.api.viewsets import ApiViewSet
from agencies.models import Agency

from .serializers import (
    AREA_ORDER,
    COORDINATOR_ORDER,
    MEASURE_ORDER,
    AgencySerializer,
    FocusAreaSerializer,
    IndicatorReadingSerializer,
    PlanSerializer,
    PriorityAreaSerializer,
    StrategyDetailSerializer,
    StrategySerializer,
)


class ReferenceDataViewSet(ApiViewSet):
    """Reference data everyone with a role reads (the published plans and who's in them)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if has_any_role(self.request.user) else queryset.none()


class AgencyViewSet(ReferenceDataViewSet):
    """Government agencies that coordinate actions, with the other names they go by."""

    queryset = Agency.objects.prefetch_related("aliases")
    serializer_class = AgencySerializer
    filterset_class = AgencyFilterSet
    ordering_fields = ("id", "slug", "short_name", "name")


class StrategyViewSet(ReferenceDataViewSet):
    """Whole-of-government strategies, e.g. the TSOC Strategy."""

    queryset = Strategy.objects.prefetch_related("assumptions")
    serializer_class = StrategySerializer
    filterset_class = StrategyFilterSet
    ordering_fields = ("id", "slug", "start_year", "title")

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.with_contents() if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        """The list names each strategy; one strategy comes with every part of it."""
        return StrategyDetailSerializer if self.action == "retrieve" else StrategySerializer


class PriorityAreaViewSet(ReferenceDataViewSet):
    """A strategy's priority areas, e.g. Unify, Prevent, Detect, Dismantle."""

    queryset = PriorityArea.objects.select_related("strategy")
    serializer_class = PriorityAreaSerializer
    filterset_class = PriorityAreaFilterSet
    ordering_fields = ("id", "slug", "name", "order")


class FocusAreaViewSet(PriorityAreaViewSet):
    """A strategy's focus areas, e.g. International, Border, National, Community."""

    queryset = FocusArea.objects.select_related("strategy")
    serializer_class = FocusAreaSerializer
    filterset_class = FocusAreaFilterSet


class PlanViewSet(ApiViewSet):
    """Dated action plans that deliver a strategy."""

    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    ordering_fields = ("id", "slug", "start_date", "title")

    def get_queryset(self):
        return (
            ActionPlan.objects.visible_to(self.request.user)
            .select_related("strategy")
            .prefetch_related("assumptions")
        )


class IndicatorReadingViewSet(ApiViewSet):
    """Dated values of the success measures' indicators."""

    serializer_class = IndicatorReadingSerializer
    filterset_class = IndicatorReadingFilterSet
    ordering_fields = ("id", "date")

    def get_queryset(self):
        actions = Action.objects.visible_to(self.request.user)
        return IndicatorReading.objects.filter(measure__action__in=actions).select_related(
            "measure"
        )


def with_action_details(actions):
    """What ``ActionSerializer`` reads, in a fixed number of queries, in the list's order."""
    return actions.select_related("plan", "group", "parent").prefetch_related(
        Prefetch(
            "coordinators",
            queryset=ActionAgency.objects.select_related("agency")
            .prefetch_related("assumptions")
            .order_by(*COORDINATOR_ORDER),
        ),
        "assumptions",
        Prefetch("success_measures", queryset=SuccessMeasure.objects.order_by(*MEASURE_ORDER)),
        Prefetch("priority_areas", queryset=PriorityArea.objects.order_by(*AREA_ORDER)),
        Prefetch("focus_areas", queryset=FocusArea.objects.order_by(*AREA_ORDER)),
    )
