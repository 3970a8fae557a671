"""What retires a plan's cached pages (``core.page_cache``): a save or delete of any row the
dashboard or the plan page shows, by whatever page, service, import or admin made it. In one
place, so a new way of editing these rows retires the pages without knowing about them.

- A plan's own rows (its actions and their coordinating agencies, areas, success measures and
  readings; its groups; returns on its actions; withholdings of their text) retire that plan's
  pages.
- Rows every plan shows (periods, agencies, strategies and their areas, assumptions, dependencies
  between actions, which cross plans) retire every plan's.

``StatusUpdate.save_if_unchanged`` writes with one UPDATE, which sends no ``post_save``: it sends
``update_written``, answered here too.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from actions.models import (
    Action,
    ActionAgency,
    ActionGroup,
    ActionPlan,
    Assumption,
    FocusArea,
    IndicatorReading,
    PriorityArea,
    Strategy,
    SuccessMeasure,
)
from agencies.models import Agency
from core.page_cache import bump
from reporting.models import ActionDependency, ReportingPeriod, StatusUpdate, Withholding
from reporting.models.updates import update_written


def _plan_of_action(action_id) -> int | None:
    return Action.objects.filter(pk=action_id).values_list("plan_id", flat=True).first()


# model → how to find the plan of a changed row (None: it may be every plan's).
PLAN_OF = {
    ActionPlan: lambda row: row.pk,
    Action: lambda row: row.plan_id,
    ActionGroup: lambda row: row.plan_id,
    ActionAgency: lambda row: _plan_of_action(row.action_id),
    SuccessMeasure: lambda row: _plan_of_action(row.action_id),
    IndicatorReading: lambda row: (
        SuccessMeasure.objects.filter(pk=row.measure_id)
        .values_list("action__plan_id", flat=True)
        .first()
    ),
    StatusUpdate: lambda row: _plan_of_action(row.action_id),
    Withholding: lambda row: (
        _plan_of_action(row.action_id)
        if row.action_id
        else (
            StatusUpdate.objects.filter(pk=row.update_id)
            .values_list("action__plan_id", flat=True)
            .first()
            if row.update_id
            else None
        )
    ),
}
EVERY_PLAN = (
    ReportingPeriod,
    Agency,
    Strategy,
    PriorityArea,
    FocusArea,
    Assumption,
    ActionDependency,
)


def _retire(sender, instance, **kwargs):
    plan_id = PLAN_OF[sender](instance) if sender in PLAN_OF else None
    bump(plan_id)  # a row whose plan can't be found (deleted with it): every plan's


def _retire_for_areas(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        bump(instance.plan_id if isinstance(instance, Action) else None)


def connect() -> None:
    for model in (*PLAN_OF, *EVERY_PLAN):
        uid = f"page_cache.{model._meta.label}"
        post_save.connect(_retire, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_retire, sender=model, dispatch_uid=f"{uid}.delete")
    update_written.connect(_retire, sender=StatusUpdate, dispatch_uid="page_cache.update_written")
    for through in (Action.priority_areas.through, Action.focus_areas.through):
        m2m_changed.connect(
            _retire_for_areas, sender=through, dispatch_uid=f"page_cache.{through._meta.label}"
        )
