"""Opening, closing and adding reporting periods: the secretariat's side of the quarter.

Each change is recorded in the period's history with who made it and why (``open_period``,
``put_back_to_scheduled``, ``close_period``). Opening before the scheduled date needs
``confirm_early``, since every lead is emailed that returns are open.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.rules import allows
from reporting.models import ReportingPeriod

# Return states that mean an agency has handed its return in (a mistaken opening can be undone
# only while none is).
HANDED_IN = ("submitted", "accepted", "returned")


@transaction.atomic
def open_period(
    period: ReportingPeriod, *, by, confirm_early: bool = False, today: datetime.date | None = None
) -> ReportingPeriod:
    _refuse_unless_manager(by)
    today = today or timezone.localdate()
    early = today < period.opens_on
    if early and not confirm_early:
        raise ValidationError(
            _(
                "%(period)s is scheduled to open on %(date)s. "
                "Tick the box to confirm opening it early."
            )
            % {"period": period.label, "date": date_format(period.opens_on, "j F Y")},
            code="needs_confirmation",
        )
    period.open_for_returns()
    _save(period, by=by, reason="Opened early" if early else "Opened")
    return period


@transaction.atomic
def put_back_to_scheduled(period: ReportingPeriod, *, by) -> ReportingPeriod:
    """Undo an opening made by mistake, while no return has been handed in."""
    _refuse_unless_manager(by)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    period.put_back_to_scheduled(
        submitted=period.status_updates.filter(state__in=HANDED_IN).count()
    )
    _save(period, by=by, reason="Put back to scheduled")
    return period


@transaction.atomic
def close_period(period: ReportingPeriod, *, by) -> ReportingPeriod:
    _refuse_unless_manager(by)
    period.close_for_returns()
    _save(period, by=by, reason="Closed")
    return period


def next_quarter() -> tuple[int, int]:
    """The (year, quarter) after the latest period there is (or the current quarter, if none)."""
    latest = ReportingPeriod.objects.order_by("-year", "-quarter").first()
    if latest is None:
        today = timezone.localdate()
        return today.year, (today.month - 1) // 3 + 1
    return (latest.year + 1, 1) if latest.quarter == 4 else (latest.year, latest.quarter + 1)


@transaction.atomic
def add_next_period(*, by) -> ReportingPeriod:
    _refuse_unless_manager(by)
    return ReportingPeriod.objects.for_quarter(*next_quarter())


def _save(period: ReportingPeriod, *, by, reason: str) -> None:
    period._history_user, period._change_reason = by, reason
    try:
        period.save(update_fields=["state"])
    finally:
        del period._history_user, period._change_reason


def _refuse_unless_manager(user) -> None:
    if not allows(ReportingPeriod.objects.manageable_by(user)):
        raise PermissionDenied("Only the secretariat opens, closes and adds periods.")
