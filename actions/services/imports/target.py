"""Finding the plan a file is imported into, and the strategy a new plan goes under."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext as _

from ...models import ActionPlan, Strategy
from .problems import ImportProblem, PlanImportError


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def find_target(plan_slug: str, strategy_slug: str | None) -> tuple[ActionPlan | None, Strategy]:
    try:
        validate_slug(plan_slug)
    except ValidationError:
        raise PlanImportError(
            [
                ImportProblem(
                    _("“%(slug)s” is not a plan slug: use letters, numbers and hyphens")
                    % {"slug": plan_slug}
                )
            ]
        ) from None
    if len(plan_slug) > _max_length(ActionPlan, "slug"):
        raise PlanImportError(
            [ImportProblem(_("the plan slug “%(slug)s” is too long") % {"slug": plan_slug})]
        )
    plan = ActionPlan.objects.select_related("strategy").filter(slug=plan_slug).first()
    if strategy_slug:
        strategy = Strategy.objects.filter(slug=strategy_slug).first()
        if strategy is None:
            known = ", ".join(
                Strategy.objects.order_by("slug").values_list("slug", flat=True)
            ) or _("none yet")
            raise PlanImportError(
                [
                    ImportProblem(
                        _("no strategy “%(slug)s” (known: %(known)s)")
                        % {"slug": strategy_slug, "known": known}
                    )
                ]
            )
        if plan is not None and plan.strategy != strategy:
            raise PlanImportError(
                [
                    ImportProblem(
                        _("the plan “%(slug)s” belongs to the %(strategy)s, not %(other)s")
                        % {"slug": plan_slug, "strategy": plan.strategy, "other": strategy}
                    )
                ]
            )
    elif plan is not None:
        strategy = plan.strategy
    else:
        strategy = Strategy.objects.order_by("-start_year", "-pk").first()
        if strategy is None:
            raise PlanImportError(
                [
                    ImportProblem(
                        _("there is no strategy to put a new plan under: run load_plans first")
                    )
                ]
            )
    return plan, strategy
