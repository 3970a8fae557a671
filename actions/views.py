"""Pages for reading strategies, plans and actions."""

from collections.abc import Callable

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from core import page_cache

from .models import (
    Action,
    ActionGroup,
    ActionPlan,
    IndicatorReading,
    Strategy,
    StrategySection,
)

# The order a strategy page reads in; "areas" is where its priorities and focus areas go.
STRATEGY_PAGE_ORDER = [
    StrategySection.Kind.OBJECTIVES,
    StrategySection.Kind.PRINCIPLES,
    StrategySection.Kind.TE_AO_MAORI_PRINCIPLES,
    "areas",
    StrategySection.Kind.SUCCESS,
    StrategySection.Kind.INDICATORS,
    StrategySection.Kind.DEFINITION,
    StrategySection.Kind.OFFENDING_TYPES,
    StrategySection.Kind.HARMS,
    StrategySection.Kind.ENABLERS,
    StrategySection.Kind.PERPETRATORS,
    StrategySection.Kind.VULNERABILITIES,
    StrategySection.Kind.RELATED_PROGRAMMES,
    StrategySection.Kind.NEXT_STEPS,
]


class StrategyListView(ListView):
    template_name = "actions/strategy_list.html"
    context_object_name = "strategies"

    def get_queryset(self):
        return Strategy.objects.visible_to(self.request.user).prefetch_related("plans")


class StrategyDetailView(DetailView):
    """A strategy as its source sets it out, for every signed-in role."""

    template_name = "actions/strategy_detail.html"
    context_object_name = "strategy"

    def get_queryset(self):
        return Strategy.objects.visible_to(self.request.user).with_contents()

    def get_context_data(self, **kwargs):
        strategy = self.object
        sections = {section.kind: section for section in strategy.sections.all()}
        ordered = [kind if kind == "areas" else sections.get(kind) for kind in STRATEGY_PAGE_ORDER]
        ordered += [s for s in sections.values() if s.kind not in STRATEGY_PAGE_ORDER]
        plans = strategy.plans.order_by("start_date")
        return super().get_context_data(
            sections=[s for s in ordered if s],
            plans=plans,
            plan_names=plans_named(plans),
            overviews=strategy.work_programme_overviews.all(),
            **kwargs,
        )


def plans_named(plans) -> str:
    """The plans' short titles as one phrase, read after "the": "A or the B"."""
    phrase = ""
    for plan in plans:
        if phrase:
            phrase = _("%(plans)s or the %(plan)s") % {"plans": phrase, "plan": plan.short_title}
        else:
            phrase = plan.short_title
    return phrase


class PlanListView(ListView):
    template_name = "actions/plan_list.html"
    context_object_name = "plans"

    def get_queryset(self):
        return (
            ActionPlan.objects.visible_to(self.request.user)
            .select_related("strategy")
            .prefetch_related("assumptions")
            .annotate(action_count=Count("actions", filter=Q(actions__parent__isnull=True)))
        )


# Where the plan's cached actions go in its page (an HTML comment nothing else writes).
PLAN_BODY_SLOT = "<!-- the plan's actions -->"


class PlanDetailView(DetailView):
    template_name = "actions/plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return (
            ActionPlan.objects.visible_to(self.request.user)
            .select_related("strategy")
            .prefetch_related("assumptions")
        )

    def get_context_data(self, **kwargs):
        plan = self.object
        # The plan's actions, the same for every reader: kept in the cache, as the bytes
        # they are sent as, until one of them changes (``core.page_cache``).
        self.body = page_cache.cached(plan.pk, ("plan page",), lambda: plan_body(plan).encode())
        return super().get_context_data(context_plan=plan, body=mark_safe(PLAN_BODY_SLOT), **kwargs)

    def render_to_response(self, context, **response_kwargs):
        """The page is rendered around a slot, and the body put in it as the bytes it was kept
        as: a plan of 3,000 actions is 4 MB of HTML, and every copy of it (decoded from the
        cache, joined into the page, encoded again) was a millisecond or more a request."""
        response = super().render_to_response(context, **response_kwargs)
        head, tail = response.render().content.split(PLAN_BODY_SLOT.encode(), 1)
        response.content = [head, self.body, tail]
        return response


def plan_body(plan: ActionPlan) -> str:
    """The plan page's sections and actions, rendered."""
    actions = list(Action.objects.filter(plan=plan).with_plan_details().order_by("sort_key"))
    groups = list(
        ActionGroup.objects.filter(plan=plan)
        .prefetch_related(Prefetch("priority_areas"))
        .order_by("order")
    )
    return render_to_string(
        "actions/_plan_body.html",
        {
            "plan": plan,
            "action_url_prefix": plan.action_url_prefix(),
            "sections": plan_sections(groups, actions),
            "ungrouped": [a for a in actions if a.group_id is None and a.parent_id is None],
        },
    )


def plan_sections(groups: list[ActionGroup], actions: list[Action]) -> list[dict]:
    """The plan as nested sections: each group with its top-level actions (and their
    sub-actions attached as ``action.children``) and its child groups, in source order."""
    sub_actions: dict[int, list[Action]] = {}
    for action in actions:
        if action.parent_id:
            sub_actions.setdefault(action.parent_id, []).append(action)
    by_group: dict[int, list[Action]] = {}
    for action in actions:
        action.children = sub_actions.get(action.pk, [])
        if action.parent_id is None and action.group_id:
            by_group.setdefault(action.group_id, []).append(action)
    children: dict[int | None, list[ActionGroup]] = {}
    for group in groups:
        children.setdefault(group.parent_id, []).append(group)

    def build(parent_id, depth):
        return [
            {
                "group": group,
                "depth": depth,
                "actions": by_group.get(group.pk, []),
                "sections": build(group.pk, depth + 1),
            }
            for group in children.get(parent_id, [])
        ]

    return build(None, 0)


# Sections the apps above this one add to the foot of the action page, each registered from its
# AppConfig.ready(): called with the request and the action, it returns its rendered HTML. The
# action page knows none of them.
action_page_sections: list[Callable[[HttpRequest, Action], str]] = []


class ActionDetailView(DetailView):
    template_name = "actions/action_detail.html"
    context_object_name = "action"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Action.objects.visible_to(self.request.user).with_plan_details(),
            plan__slug=self.kwargs["plan"],
            number=self.kwargs["number"],
        )

    def get_context_data(self, **kwargs):
        action = self.object
        sub_actions = list(action.sub_actions.with_plan_details().order_by("sort_key"))
        return super().get_context_data(
            context_plan=action.plan,
            action_url_prefix=action.plan.action_url_prefix(),
            sub_actions=sub_actions,
            strands=[child for child in sub_actions if child.is_strand],
            measures=action.success_measures.prefetch_related(
                Prefetch(
                    "readings",
                    IndicatorReading.objects.select_related("agency", "recorded_by").order_by(
                        "date", "agency__short_name"
                    ),
                )
            ),
            links_to_earlier=action.links_to_earlier.select_related(
                "earlier_action__plan"
            ).prefetch_related("assumptions"),
            links_to_later=action.links_to_later.select_related("action__plan").prefetch_related(
                "assumptions"
            ),
            sections=[section(self.request, action) for section in action_page_sections],
            **kwargs,
        )
