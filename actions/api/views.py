"""Read-only endpoints for the plans' reference data. Who may read is decided by the querysets
in each model's ``visible_to``, which the base viewset applies."""

from django.db.models import Prefetch

from actions.filtersets import (
    FocusAreaFilterSet,
    IndicatorReadingFilterSet,
    PlanFilterSet,
    PriorityAreaFilterSet,
    StrategyFilterSet,
)
from actions.models import (
    ActionAgency,
    ActionPlan,
    FocusArea,
    IndicatorReading,
    PriorityArea,
    Strategy,
    SuccessMeasure,
)
from core.api.viewsets import ApiViewSet

from .serializers import (
    AREA_ORDER,
    COORDINATOR_ORDER,
    MEASURE_ORDER,
    FocusAreaSerializer,
    IndicatorReadingSerializer,
    PlanSerializer,
    PriorityAreaSerializer,
    StrategyDetailSerializer,
    StrategySerializer,
)


class StrategyViewSet(ApiViewSet):
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


class PriorityAreaViewSet(ApiViewSet):
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
    queryset = ActionPlan.objects.select_related("strategy").prefetch_related("assumptions")
    ordering_fields = ("id", "slug", "start_date", "title")


class IndicatorReadingViewSet(ApiViewSet):
    """Dated values of the success measures' indicators."""

    serializer_class = IndicatorReadingSerializer
    filterset_class = IndicatorReadingFilterSet
    queryset = IndicatorReading.objects.select_related("measure")
    ordering_fields = ("id", "date")


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
