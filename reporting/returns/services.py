"""The quarterly return's workflow: the one way updates change, for pages and API.

Contract (every function checks who may do it against the same queryset methods the views
fetch with, so callers only parse input, call one of these and render the answer):

- ``prefill_update(action, period, agency)`` → a new, **unsaved** ``StatusUpdate`` carrying
  the agency's latest earlier update on the action (status, per cent, commentary, risks, next
  steps), so leads only change what changed. Call it when the period has no update yet.
- ``start_update(action, period, agency, *, data, by)`` → the agency's new update for the
  period, prefilled, with ``data`` applied (``ActionAgency.objects.reportable_by``).
- ``change_update(update, *, data, by, expected_version)`` → the changed update
  (``StatusUpdate.objects.editable_by``).
  ``data`` holds the fields to change (any of ``UPDATE_FIELDS``) and optionally ``"readings"``:
  ``{measure_id: {"value": Decimal | None, "note": str, "remove": bool}}``: the agency's own
  readings, recorded as at the period's last day. A reading is deleted only by ``"remove":
  True``; an empty value leaves the stored reading as it is. Readings are written in the same
  version-checked transaction as the update, so a stale save changes no reading either.
- ``submit_update(update, *, by, expected_version)``: leads only (``submittable_by``); late
  after the due date; only a complete, consistent return (``StatusUpdate.clean_for_submit``).
- ``withdraw_update(update, *, by, expected_version)``: a lead takes a submitted return back to
  draft before it is reviewed (``withdrawable_by``).
- ``accept_update(update, *, by, comment="", expected_version)`` (the comment is kept) and
  ``return_update(update, *, by, comment, expected_version)``: the secretariat
  (``reviewable_by``). Each decision is also an entry in the update's conversation, with its
  comment.
- ``accept_updates(choices, *, by)``: the secretariat accepts several submitted updates at once,
  ``choices`` being (update, the version it was read at) pairs; each is accepted on its own
  and version-checked, so a stale one is skipped (``BulkAcceptance.stale``), never overwritten.
- ``correct_update(update, *, data, reason, by, expected_version)``: the secretariat corrects a
  slip in a submitted or accepted update's text without returning it (``correctable_by``); the
  history records it as theirs with the reason, and the conversation says so.

Every change names the version it was made from: ``StaleUpdateError`` (``.current`` is the
stored update) when someone else changed the update since, and nothing is written then.
Errors: ``PermissionDenied`` when the user's role or agency doesn't allow it; ``ValidationError``
for invalid data or a state that doesn't allow it (period not open or closed, update already
submitted). Each change writes one history row (who, when, why) on the update. Functions run in
a transaction of their own. Returning and accepting announce the review (``signals``), which
the reminders room answers by emailing the agency, recorded in the reminder log with the change.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from actions.models import Action, ActionAgency, IndicatorReading
from agencies.models import Agency
from core.rules import allows
from reporting.models import Comment, ReportingPeriod, StatusUpdate
from reporting.models.updates import StaleUpdateError
from reporting.returns.signals import ACCEPTED, RETURNED, comment_posted, update_reviewed

UPDATE_FIELDS = ("status", "percent_complete", "commentary", "risks", "next_steps")
# What the secretariat may correct without returning an update: its text, not its status.
CORRECTABLE_FIELDS = ("commentary", "risks", "next_steps")


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
def start_update(
    action: Action, period: ReportingPeriod, agency: Agency, *, data: dict, by
) -> StatusUpdate:
    """Start ``agency``'s update on ``action`` for ``period``; ``StaleUpdateError`` if someone
    started it meanwhile (theirs stands)."""
    if not ActionAgency.objects.reportable_by(by).filter(action=action, agency=agency).exists():
        raise PermissionDenied("You can only report for your own agency on actions it coordinates.")
    existing = StatusUpdate.objects.filter(action=action, period=period, agency=agency).first()
    if existing is not None:
        raise StaleUpdateError(existing)
    update = prefill_update(action, period, agency)
    update.created_by = by
    update.require_editable()
    _apply(update, data)
    _create(update, by=by)  # the unique constraint is what refuses a second creator
    _record_readings(update, data.get("readings") or {}, by=by)
    return update


@transaction.atomic
def change_update(update: StatusUpdate, *, data: dict, by, expected_version: int) -> StatusUpdate:
    _refuse_unless_in(
        StatusUpdate.objects.editable_by(by),
        ActionAgency.objects.reportable_by(by),
        update,
        expected_version=expected_version,
        refusal="You can only change your own agency's updates.",
    )
    _apply(update, data)
    update.save_if_unchanged(expected_version, by=by, reason="Saved")
    _record_readings(update, data.get("readings") or {}, by=by)
    return update


@transaction.atomic
def submit_update(update: StatusUpdate, *, by, expected_version: int) -> StatusUpdate:
    _refuse_unless_in(
        StatusUpdate.objects.submittable_by(by),
        ActionAgency.objects.submittable_by(by),
        update,
        expected_version=expected_version,
        refusal="Only the agency's lead can submit its updates.",
    )
    update.submit(by=by)
    update.save_if_unchanged(
        expected_version, by=by, reason="Submitted late" if update.is_late else "Submitted"
    )
    return update


@transaction.atomic
def withdraw_update(update: StatusUpdate, *, by, expected_version: int) -> StatusUpdate:
    _refuse_unless_in(
        StatusUpdate.objects.withdrawable_by(by),
        ActionAgency.objects.submittable_by(by),
        update,
        expected_version=expected_version,
        refusal="Only the agency's lead can withdraw its updates.",
        check=lambda stored: stored.withdraw(by=by),
    )
    update.withdraw(by=by)
    update.save_if_unchanged(expected_version, by=by, reason="Withdrawn before review")
    return update


@transaction.atomic
def accept_update(
    update: StatusUpdate, *, by, comment: str = "", expected_version: int
) -> StatusUpdate:
    _refuse_unless_reviewer(by, update)
    update.accept(by=by, comment=comment)
    update.save_if_unchanged(expected_version, by=by, reason="Accepted")
    Comment.post(update, kind=Comment.Kind.ACCEPTED, body=update.review_comment, by=by)
    update_reviewed.send(sender=StatusUpdate, update=update, decision=ACCEPTED)
    return update


@dataclass
class BulkAcceptance:
    """What ``accept_updates`` did: the updates accepted, the ones changed by someone else
    since they were read (skipped), and the ones refused with the reason."""

    accepted: list[StatusUpdate] = dataclass_field(default_factory=list)
    stale: list[StatusUpdate] = dataclass_field(default_factory=list)
    refused: list[tuple[StatusUpdate, str]] = dataclass_field(default_factory=list)


def accept_updates(choices: list[tuple[StatusUpdate, int]], *, by) -> BulkAcceptance:
    """Accept each (update, version read) on its own: one stale or refused update leaves the
    others accepted, and is itself left exactly as it is."""
    _refuse_unless_reviewer(by, None)
    outcome = BulkAcceptance()
    for update, version in choices:
        if update.version != version:  # changed since it was read: whatever it is now, skip it
            outcome.stale.append(update)
            continue
        try:
            outcome.accepted.append(accept_update(update, by=by, expected_version=version))
        except StaleUpdateError as error:
            outcome.stale.append(error.current)
        except ValidationError as refused:
            outcome.refused.append((update, " ".join(refused.messages)))
    return outcome


@transaction.atomic
def return_update(update: StatusUpdate, *, by, comment: str, expected_version: int) -> StatusUpdate:
    _refuse_unless_reviewer(by, update)
    update.return_for_changes(by=by, comment=comment)
    update.save_if_unchanged(expected_version, by=by, reason="Returned for changes")
    Comment.post(update, kind=Comment.Kind.RETURNED, body=update.review_comment, by=by)
    update_reviewed.send(sender=StatusUpdate, update=update, decision=RETURNED)
    return update


@transaction.atomic
def correct_update(
    update: StatusUpdate, *, data: dict, reason: str, by, expected_version: int
) -> StatusUpdate:
    """Write the secretariat's correction of the text, with ``reason``, without returning it."""
    if not StatusUpdate.objects.correctable_by(by).filter(pk=update.pk).exists():
        stored = StatusUpdate.objects.get(pk=update.pk)
        if stored.version != expected_version:
            raise StaleUpdateError(stored)
        if not allows(StatusUpdate.objects.correctable_by(by)):
            raise PermissionDenied("Only the secretariat corrects updates without returning them.")
        raise ValidationError(
            _(
                "Only a submitted or accepted update in an open period is corrected; "
                "this one is %(state)s in a %(period_state)s period."
            )
            % {
                "state": stored.get_state_display().lower(),
                "period_state": stored.period.get_state_display().lower(),
            },
            code="invalid_state",
        )
    unknown = set(data) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(
            f"The secretariat corrects only the text; not {', '.join(sorted(unknown))}."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you are correcting it, for the history.")})
    if len(reason) > 300:
        raise ValidationError(
            {
                "reason": _("Keep the reason to 300 characters (it has %(length)s).")
                % {"length": len(reason)}
            }
        )
    if all((data[name] or "") == getattr(update, name) for name in data):
        raise ValidationError(_("Nothing was changed: correct the text, or leave it as it is."))
    _apply(update, data)
    update.save_if_unchanged(
        expected_version, by=by, reason=f"Corrected by the secretariat: {reason}"
    )
    comment = Comment.post(update, kind=Comment.Kind.CORRECTED, body=reason, by=by)
    comment_posted.send(sender=Comment, comment=comment)
    return update


# Internals ----------------------------------------------------------------------------------


def _refuse_unless_in(
    allowed,
    coordinations,
    update: StatusUpdate,
    *,
    expected_version: int,
    refusal: str,
    check=None,
) -> None:
    """Refuse unless ``update`` is among the ``allowed`` updates: as stale when it has changed
    since ``expected_version`` (what changed may be why); with ``refusal`` when it isn't among
    the ``coordinations`` the rule rests on (not the user's to change); else with the update's
    own reason (its state or period: ``check``, by default ``require_editable``)."""
    if allowed.filter(pk=update.pk).exists():
        return
    stored = StatusUpdate.objects.get(pk=update.pk)
    if stored.version != expected_version:
        raise StaleUpdateError(stored)
    if coordinations.filter(action=stored.action_id, agency=stored.agency_id).exists():
        (check or (lambda stored: stored.require_editable()))(stored)
    raise PermissionDenied(refusal)


def _refuse_unless_reviewer(user, update: StatusUpdate | None) -> None:
    """Refuse unless ``user`` may review ``update`` now; when the update's state is what stops
    it, the model's own check (``accept``, ``return_for_changes``) says why."""
    if not allows(StatusUpdate.objects.reviewable_by(user)):
        raise PermissionDenied("Only the secretariat reviews updates.")


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
    """Write the agency's own readings for the period's last day; a clash with a reading
    written at the same moment is refused as stale, like the update."""
    measures = {m.pk: m for m in update.action.success_measures.exclude(indicator="")}
    try:
        with transaction.atomic():
            for measure_id, reading in readings.items():
                measure = measures.get(int(measure_id))
                if measure is None:
                    raise ValidationError(
                        f"Success measure {measure_id} has no indicator on this action."
                    )
                _record_reading(update, measure, reading, by=by)
    except IntegrityError:
        raise StaleUpdateError(StatusUpdate.objects.get(pk=update.pk)) from None


def _record_reading(update: StatusUpdate, measure, reading: dict, *, by) -> None:
    existing = IndicatorReading.objects.filter(
        measure=measure, date=update.period.ends_on, agency=update.agency_id
    ).first()
    if reading.get("remove"):
        if existing is not None:
            existing._history_user = by
            existing._change_reason = f"Removed in {update}"
            existing.delete()
        return
    value: Decimal | None = reading.get("value")
    if value is None:  # not given: an empty field never deletes a reading
        return
    note = reading.get("note") or ""
    if existing is not None and (existing.value, existing.note) == (value, note):
        return
    target = existing or IndicatorReading(
        measure=measure, date=update.period.ends_on, agency_id=update.agency_id
    )
    target.value, target.note, target.recorded_by = value, note, by
    target._history_user = by
    target._change_reason = f"Recorded in {update}"
    target.full_clean(exclude=["measure", "recorded_by", "agency"], validate_unique=False)
    target.save()
