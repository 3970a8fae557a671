"""Lookups for plans and actions. Who may see what is decided here and nowhere else."""

from django.db import models
from django.db.models import Prefetch

from agencies.roles import sees_everything


def has_any_role(user) -> bool:
    """Signed-in people with a role: secretariat, viewers, and members of an agency."""
    if not user.is_authenticated or not user.is_active:
        return False
    return sees_everything(user) or user.memberships.exists()


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Plans are published documents: everyone with a role reads them."""
        return self if has_any_role(user) else self.none()


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The plan's text is public; every signed-in person with a role may read every action."""
        return self if has_any_role(user) else self.none()

    def top_level(self):
        return self.filter(parent__isnull=True)

    def for_agency(self, agency, *, role: str | None = None):
        """Actions the agency coordinates (in any role, or only ``role``)."""
        filters = {"coordinators__agency": agency}
        if role:
            filters["coordinators__role"] = role
        return self.filter(**filters).distinct()

    def with_plan_details(self):
        """Everything a plan page shows, in a fixed number of queries. The related rows come as
        lists on each action (``coordinator_list``, ``measure_list``, ``priority_area_list``,
        ``focus_area_list``), read as often as needed without another queryset per read."""
        from .models import ActionAgency

        return self.select_related("plan", "group", "parent").prefetch_related(
            Prefetch(
                "coordinators",
                queryset=ActionAgency.objects.select_related("agency")
                .prefetch_related("assumptions")
                .order_by("order"),
                to_attr="coordinator_list",
            ),
            "assumptions",
            Prefetch("success_measures", to_attr="measure_list"),
            Prefetch("priority_areas", to_attr="priority_area_list"),
            Prefetch("focus_areas", to_attr="focus_area_list"),
        )


class StrategyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Strategies are published documents: everyone with a role reads them."""
        return self if has_any_role(user) else self.none()

    def with_contents(self):
        """Everything a strategy page and the API's strategy detail show, in a fixed number of
        queries."""
        from .models import StrategyItem, StrategyPriorityAction, StrategySection

        return self.prefetch_related(
            "assumptions",
            "focus_areas",
            "contributing_agencies",
            "work_programme_overviews",
            Prefetch(
                "priority_areas__priority_actions",
                queryset=StrategyPriorityAction.objects.prefetch_related(
                    Prefetch("delivered_by", queryset=_actions_with_plan())
                ),
            ),
            Prefetch(
                "sections",
                queryset=StrategySection.objects.prefetch_related(
                    Prefetch(
                        "items",
                        queryset=StrategyItem.objects.filter(parent=None).prefetch_related(
                            "children"
                        ),
                    )
                ),
            ),
        )


def _actions_with_plan():
    from .models import Action

    return Action.objects.select_related("plan").order_by("sort_key")


class AssumptionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status="open")

    def for_object(self, obj):
        from django.contrib.contenttypes.models import ContentType

        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
