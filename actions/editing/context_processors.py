"""The menu's "Edit plans" entry, shown to whoever ``ActionPlan.objects.editable_by`` allows."""

from django.utils.functional import SimpleLazyObject

from actions.models import ActionPlan
from core.rules import allows


def plan_editing(request):
    user = getattr(request, "user", None)  # absent on error pages raised before authentication
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_plan_editing": SimpleLazyObject(lambda: allows(ActionPlan.objects.editable_by(user)))
    }
