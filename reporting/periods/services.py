"""Opening, closing and adding reporting periods: the secretariat's side of the quarter."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.rules import allows
from reporting.models import ReportingPeriod


@transaction.atomic
def open_period(period: ReportingPeriod, *, by) -> ReportingPeriod:
    _require_manager(by)
    period.open_for_returns()
    period.save(update_fields=["state"])
    return period


@transaction.atomic
def close_period(period: ReportingPeriod, *, by) -> ReportingPeriod:
    _require_manager(by)
    period.close_for_returns()
    period.save(update_fields=["state"])
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
    _require_manager(by)
    return ReportingPeriod.objects.for_quarter(*next_quarter())


def _require_manager(user) -> None:
    if not allows(ReportingPeriod.objects.manageable_by(user)):
        raise PermissionDenied("Only the secretariat opens, closes and adds periods.")
