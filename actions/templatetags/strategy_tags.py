"""The strategy a plan delivers, for pages and packs that frame their content against it."""

from django import template

from actions.models import Strategy

register = template.Library()


@register.simple_tag
def plan_strategy(plan_slug: str) -> Strategy | None:
    """``{% plan_strategy data.plan.slug as strategy %}``: the plan's strategy with its priority
    and focus areas, or None."""
    return (
        Strategy.objects.filter(plans__slug=plan_slug)
        .prefetch_related("priority_areas", "focus_areas", "assumptions")
        .first()
    )
