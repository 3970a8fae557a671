"""The quarterly return's workflow: the one way updates and periods change, for pages and API.

Contract (every function checks who may do it, so callers only parse input and render):

- ``prefill_update(action, period, agency)`` → a new, **unsaved** ``StatusUpdate`` carrying
  the agency's latest earlier update on the action (status, per cent, commentary, risks, next
  steps), so leads only change what changed. Call it when the period has no update yet.
- ``save_update(update, *, action, period, agency, data, by, expected_version)`` → the saved
  update. ``update`` is the stored update, or None to start one (then ``action``, ``period``
  and ``agency`` say which, and ``expected_version`` is ignored); for a stored update, a None
  ``expected_version`` means the caller never saw it, which is a conflict. ``data`` holds the
  fields to change (any of ``UPDATE_FIELDS``) and optionally ``"readings"``: ``{measure_id:
  {"value": Decimal | None, "note": str}}``, recorded as at the period's last day (None deletes).
- ``submit_update(update, *, by, expected_version)``: leads only; late after the due date.
- ``accept_update(update, *, by, expected_version=None)`` and
  ``return_update(update, *, by, comment, expected_version=None)``: the secretariat.
- ``open_period(period, *, by)`` and ``close_period(period, *, by)``: the secretariat.
- ``add_next_period(*, by)``: the secretariat sets up the quarter after the latest period.

Errors: ``PermissionDenied`` when the user's role or agency doesn't allow it; ``ValidationError``
for invalid data or a state that doesn't allow it (period not open or closed, update already
submitted); ``StaleUpdateError`` (``.current`` is the stored update) when someone else changed
the update since ``expected_version`` — nothing is written then. Each change writes one history
row (who, when, why) on the update. Functions run in a transaction of their own.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from actions.models import Action, IndicatorReading
from agencies.models import Agency

from .models import ReportingPeriod, StatusUpdate
from .models.updates import StaleUpdateError
from .querysets import may_manage_periods, may_report_on, may_submit_for

__all__ = [
    "UPDATE_FIELDS",
    "StaleUpdateError",
    "accept_update",
    "add_next_period",
    "close_period",
    "open_period",
    "prefill_update",
    "return_update",
    "save_update",
    "submit_update",
]

UPDATE_FIELDS = ("status", "percent_complete", "commentary", "risks", "next_steps")


def prefill_update(action: Action, period: ReportingPeriod, agency: Agency) -> StatusUpdate:
    previous = (
        StatusUpdate.objects.filter(action=action, agency=agency)
        .filter(
            Q(period__year__lt=period.year)
            | Q(period__year=period.year, period__quarter__lt=period.quarter)
        )
        .order_by("-period__year", "-period__quarter")
        .first()
    )
    update = StatusUpdate(action=action, period=period, agency=agency)
    if previous is not None:
        for field in UPDATE_FIELDS:
            setattr(update, field, getattr(previous, field))
    else:
        update.status = StatusUpdate.Status.NOT_STARTED
    return update


@transaction.atomic
def save_update(
    update: StatusUpdate | None,
    *,
    action: Action | None = None,
    period: ReportingPeriod | None = None,
    agency: Agency | None = None,
    data: dict,
    by,
    expected_version: int | None,
) -> StatusUpdate:
    is_new = update is None
    if is_new:
        update = _start_update(action, period, agency, by=by)
    elif not may_report_on(by, update.action, update.agency):
        raise PermissionDenied("You can only change your own agency's updates.")
    elif expected_version is None:  # written as if new, but someone has started it meanwhile
        raise StaleUpdateError(StatusUpdate.objects.get(pk=update.pk))
    update.require_editable()
    readings = data.get("readings") or {}
    _apply(update, data)
    if is_new:  # the unique constraint is what refuses a second creator
        _create(update, by=by)
    else:
        update.save_if_unchanged(expected_version, by=by, reason="Saved")
    _record_readings(update, readings, by=by)
    return update


@transaction.atomic
def submit_update(update: StatusUpdate, *, by, expected_version: int) -> StatusUpdate:
    if not may_submit_for(by, update.agency) or not may_report_on(by, update.action, update.agency):
        raise PermissionDenied("Only the agency's lead can submit its updates.")
    update.submit(by=by)
    update.save_if_unchanged(
        expected_version, by=by, reason="Submitted late" if update.is_late else "Submitted"
    )
    return update


@transaction.atomic
def accept_update(update: StatusUpdate, *, by, expected_version: int | None = None) -> StatusUpdate:
    _require_secretariat(by)
    update.accept(by=by)
    update.save_if_unchanged(_version(update, expected_version), by=by, reason="Accepted")
    return update


@transaction.atomic
def return_update(
    update: StatusUpdate, *, by, comment: str, expected_version: int | None = None
) -> StatusUpdate:
    _require_secretariat(by)
    update.return_for_changes(by=by, comment=comment)
    update.save_if_unchanged(
        _version(update, expected_version), by=by, reason="Returned for changes"
    )
    return update


@transaction.atomic
def open_period(period: ReportingPeriod, *, by) -> ReportingPeriod:
    _require_secretariat(by)
    period.open_for_returns()
    period.save(update_fields=["state"])
    return period


@transaction.atomic
def close_period(period: ReportingPeriod, *, by) -> ReportingPeriod:
    _require_secretariat(by)
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
    _require_secretariat(by)
    return ReportingPeriod.objects.for_quarter(*next_quarter())


# Internals ----------------------------------------------------------------------------------


def _require_secretariat(user) -> None:
    if not may_manage_periods(user):
        raise PermissionDenied("Only the secretariat can do this.")


def _version(update: StatusUpdate, expected_version: int | None) -> int:
    return update.version if expected_version is None else expected_version


def _start_update(action, period, agency, *, by) -> StatusUpdate:
    if action is None or period is None or agency is None:
        raise ValueError("Starting an update needs its action, period and agency.")
    if not may_report_on(by, action, agency):
        raise PermissionDenied("You can only report for your own agency on actions it coordinates.")
    existing = StatusUpdate.objects.filter(action=action, period=period, agency=agency).first()
    if existing is not None:
        raise StaleUpdateError(existing)
    update = prefill_update(action, period, agency)
    update.created_by = by
    return update


def _apply(update: StatusUpdate, data: dict) -> None:
    unknown = set(data) - {*UPDATE_FIELDS, "readings"}
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    for field in UPDATE_FIELDS:
        if field in data:
            value = data[field]
            setattr(update, field, "" if value is None and field != "percent_complete" else value)
    update.full_clean(
        exclude=[
            "action",
            "period",
            "agency",
            "created_by",
            "updated_by",
            "submitted_by",
            "reviewed_by",
        ],
        validate_unique=False,
        validate_constraints=False,
    )


def _create(update: StatusUpdate, *, by) -> None:
    update.updated_by = by
    update._history_user = by
    update._change_reason = "Started"
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError:
        # Someone else started this update a moment ago: theirs stands, and ours is refused.
        raise StaleUpdateError(
            StatusUpdate.objects.get(
                action=update.action_id, period=update.period_id, agency=update.agency_id
            )
        ) from None
    finally:
        del update._history_user, update._change_reason


def _record_readings(update: StatusUpdate, readings: dict, *, by) -> None:
    measures = {m.pk: m for m in update.action.success_measures.exclude(indicator="")}
    for measure_id, reading in readings.items():
        measure = measures.get(int(measure_id))
        if measure is None:
            raise ValidationError(f"Success measure {measure_id} has no indicator on this action.")
        value: Decimal | None = reading.get("value")
        existing = IndicatorReading.objects.filter(
            measure=measure, date=update.period.ends_on
        ).first()
        if value is None:
            if existing is not None:
                existing._history_user = by
                existing.delete()
            continue
        note = reading.get("note") or ""
        if existing is not None and (existing.value, existing.note) == (value, note):
            continue
        target = existing or IndicatorReading(measure=measure, date=update.period.ends_on)
        target.value, target.note, target.recorded_by = value, note, by
        target._history_user = by
        target.full_clean(exclude=["measure", "recorded_by"], validate_unique=False)
        target.save()
