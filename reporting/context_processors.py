"""What every page shows: the plan and period in the context bar, and the role's navigation.

Views that are about a particular plan or period set ``context_plan``/``context_period``
themselves, which takes precedence over these defaults. Everything here is lazy, so a page
that doesn't show it costs no queries.
"""

from django.utils.functional import SimpleLazyObject

from actions.models import ActionPlan
from agencies.models import Agency
from core.rules import allows
from reporting.returns.obligations import plans_running_in

from .models import ReportingPeriod


def _current_plan():
    period = ReportingPeriod.objects.current()
    plans = plans_running_in(period) if period else ActionPlan.objects.order_by("-start_date")
    return plans.first()


def reporting(request):
    user = getattr(request, "user", None)  # absent on error pages raised before authentication
    if user is None or not user.is_authenticated:
        return {}
    return {
        "context_period": SimpleLazyObject(ReportingPeriod.objects.current),
        "context_plan": SimpleLazyObject(_current_plan),
        "nav_my_actions": SimpleLazyObject(lambda: Agency.objects.of_member(user).exists()),
        "nav_periods": SimpleLazyObject(
            lambda: allows(ReportingPeriod.objects.overseeable_by(user))
        ),
    }
