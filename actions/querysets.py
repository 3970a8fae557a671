"""Lookups for plans and actions. Who may see what is decided here and nowhere else.

The models are named through ``apps.get_model``: ``models.py`` builds on this module, so this
module can't import it."""

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch

from agencies.models import Agency
from agencies.roles import has_role, is_secretariat, sees_every_agency


class ReferenceDataQuerySet(models.QuerySet):
    """Strategies, their areas and plans are published documents: everyone with a role reads
    them."""

    def visible_to(self, user):
        return self if has_role(user) else self.none()


class ActionPlanQuerySet(ReferenceDataQuerySet):
    def editable_by(self, user):
        """The plans ``user`` may change on the editing pages (their actions, groups,
        coordinating agencies, tags, timeframes, success measures and links) and the strategies'
        plans they may add: every plan for the secretariat, none for anyone else."""
        return self if is_secretariat(user) else self.none()


class ActionQuerySet(ReferenceDataQuerySet):
    """Every signed-in person with a role may read every action of every plan (``visible_to``);
    progress on them is narrower (``progress_visible_to``)."""

    def progress_visible_to(self, user):
        """Actions whose returns ``user`` may read: all of them for the secretariat and viewers;
        for agency people, every part of an action one of whose lines their agencies coordinate
        (in any role): the action, its sub-actions and strands, other agencies' returns on them
        included, so what they read of an action's status is whole."""
        if sees_every_agency(user):
            return self.visible_to(user)
        coordinations = apps.get_model("actions", "ActionAgency").objects.filter(
            agency__in=Agency.objects.of_member(user)
        )
        # The coordinated actions and their parents, each one list the database hashes once (a
        # condition per action would be worked out for every action there is).
        coordinated = coordinations.values("action_id")
        their_parents = coordinations.filter(action__parent__isnull=False).values(
            "action__parent_id"
        )
        in_family = (
            models.Q(pk__in=coordinated)  # a line the agency coordinates
            | models.Q(pk__in=their_parents)  # an action one of whose parts it coordinates
            | models.Q(parent__in=coordinated)  # a part of an action it coordinates
            | models.Q(parent__in=their_parents)  # another part of that same action
        )
        return self.visible_to(user).filter(in_family)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def lines(self):
        """Reportable lines: actions with no sub-actions or strands, sub-actions and strands."""
        children = apps.get_model("actions", "Action").objects.filter(parent=OuterRef("pk"))
        return self.filter(~Exists(children))

    def with_plan_details(self):
        """Everything a plan page shows, in a fixed number of queries. The related rows come as
        lists on each action (``coordinator_list``, ``measure_list``, ``priority_area_list``,
        ``focus_area_list``), read as often as needed without another queryset per read."""
        ActionAgency = apps.get_model("actions", "ActionAgency")
        return self.select_related("plan", "group", "parent").prefetch_related(
            Prefetch(
                "coordinators",
                queryset=ActionAgency.objects.select_related("agency")
                .prefetch_related(ActionAgency.prefetch_assumptions())
                .order_by("order"),
                to_attr="coordinator_list",
            ),
            self.model.prefetch_assumptions(),
            Prefetch("success_measures", to_attr="measure_list"),
            Prefetch("priority_areas", to_attr="priority_area_list"),
            Prefetch("focus_areas", to_attr="focus_area_list"),
        )


class IndicatorReadingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readings of the success measures of the actions ``user`` may see."""
        actions = apps.get_model("actions", "Action").objects.visible_to(user)
        return self.filter(measure__action__in=actions)


class ActionAgencyQuerySet(models.QuerySet):
    def responsible(self):
        """The coordinations whose returns are their line's: the designated lead where the
        secretariat has designated one, otherwise every coordinating agency (jointly).
        Supporting agencies' returns are input, never the line's."""
        ActionAgency = apps.get_model("actions", "ActionAgency")
        lead = ActionAgency.objects.filter(action=OuterRef("action"), role="lead")
        return self.filter(models.Q(role="lead") | models.Q(role="coordinating") & ~Exists(lead))

    def reportable_by(self, user):
        """The coordinations ``user`` writes returns for: their agencies' (the person a lead
        or contributor of the agency) on reportable lines (``ActionQuerySet.lines``)."""
        lines = apps.get_model("actions", "Action").objects.lines()
        return self.filter(agency__in=Agency.objects.of_member(user), action__in=lines)

    def submittable_by(self, user):
        """The coordinations ``user`` may submit returns for: their agencies' that they lead."""
        return self.reportable_by(user).filter(
            agency__in=Agency.objects.of_member(user, role="lead")
        )


def responsible_among(coordinations):
    """``ActionAgencyQuerySet.responsible`` over one line's (agency, role) pairs, for rows
    already read: the designated lead, else every coordinating agency."""
    leads = [agency for agency, role in coordinations if role == "lead"]
    return leads or [agency for agency, role in coordinations if role == "coordinating"]


class StrategyQuerySet(ReferenceDataQuerySet):
    def with_contents(self):
        """Everything a strategy page and the API's strategy detail show, in a fixed number of
        queries."""
        StrategyItem = apps.get_model("actions", "StrategyItem")
        StrategyPriorityAction = apps.get_model("actions", "StrategyPriorityAction")
        StrategySection = apps.get_model("actions", "StrategySection")
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
    return apps.get_model("actions", "Action").objects.select_related("plan").order_by("sort_key")


class AssumptionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status="open")

    def for_object(self, obj):
        from django.contrib.contenttypes.models import ContentType

        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
