"""Uploading a plan file, checking it, and confirming or discarding its preview.

Contract (the secretariat only: ``PlanUpload.objects.manageable_by``; ``PermissionDenied``
otherwise):

- ``start_upload(plan, file, filename=, by=)`` → a ``PlanUpload``. The file is refused at once if
  it is over ``PLAN_IMPORT_MAX_BYTES`` (``PlanImportError``, the import's own limit and
  message). A file up to ``PLAN_UPLOAD_BACKGROUND_BYTES`` is checked before this returns; a
  larger one by ``tasks.check_plan_upload`` after the transaction commits, its rows counted on
  the upload as they are checked.
- ``check_upload(upload_id)``: the check (the task's body): ``preview_plan_file``, leaving the
  upload ready with its preview, or refused with its problems.
- ``confirm_upload(upload, by=, fingerprint=)`` → ``Confirmation``. Applies the file only if
  writing it changes exactly what the preview the person read (``fingerprint``) showed;
  otherwise nothing is written and the upload is checked again, for a fresh preview.
- ``discard_upload(upload, by=)``: the preview is dropped and the file removed from storage.
"""

import logging
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO

import kombu.exceptions
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from actions.models import ActionPlan
from actions.services import (
    ImportResult,
    PlanImportError,
    PreviewOutdated,
    import_plan_file,
)
from actions.services.imports.reading import read_bytes
from core.rules import allows

from .checking import as_json, check_upload, fail_check
from .models import PlanUpload
from .tasks import check_plan_upload

logger = logging.getLogger(__name__)

REFUSAL = "Only the secretariat uploads plan files."
QUEUE_UNREACHABLE = gettext_noop(
    "The file could not be checked: the task queue (Redis) could not be reached. Nothing was "
    "changed. Upload it again in a few minutes; if it keeps failing, tell your system "
    "administrator."
)


@dataclass(frozen=True)
class Confirmation:
    upload: PlanUpload
    result: ImportResult | None = None  # None: not applied
    outdated: bool = False  # the plan changed since the preview; the upload is checked again


def _manageable(by):
    if not allows(PlanUpload.objects.manageable_by(by)):
        raise PermissionDenied(REFUSAL)
    return PlanUpload.objects.manageable_by(by)


@transaction.atomic
def start_upload(plan: ActionPlan, file: BinaryIO, *, filename: str, by) -> PlanUpload:
    """Keep the file and check it, now or in the background by its size."""
    _manageable(by)
    data, name = read_bytes(file, filename)  # the import's size limit, before anything is kept
    _discard_expired()
    name = name[-PlanUpload._meta.get_field("filename").max_length :]
    upload = PlanUpload(plan=plan, filename=name, size=len(data), uploaded_by=by)
    upload.file.save(name, ContentFile(data), save=False)
    upload._history_user = by
    upload.save()
    _check_soon(upload)
    return upload


def _check_soon(upload: PlanUpload) -> None:
    if upload.size > settings.PLAN_UPLOAD_BACKGROUND_BYTES:
        transaction.on_commit(partial(_queue_check, upload))
    else:
        check_upload(upload.pk)
        upload.refresh_from_db()


def _queue_check(upload: PlanUpload) -> None:
    try:
        check_plan_upload.delay(upload.pk)
    except kombu.exceptions.OperationalError as error:
        logger.error("Plan upload %s could not be queued for checking: %s", upload.pk, error)
        fail_check(upload.pk, _(QUEUE_UNREACHABLE))


@transaction.atomic
def confirm_upload(upload: PlanUpload, *, by, fingerprint: str) -> Confirmation:
    """Apply the upload's file as previewed, or (the plan having changed since) check it again."""
    upload = _manageable(by).select_for_update().select_related("plan").get(pk=upload.pk)
    if upload.is_expired:
        raise ValidationError(
            _("This preview has expired. Upload the file again to see a new one.")
        )
    if upload.state != PlanUpload.State.READY:
        raise ValidationError(
            _("This upload can't be confirmed: it is %(state)s.")
            % {"state": upload.get_state_display().lower()}
        )
    if fingerprint != upload.changes.fingerprint:
        # Someone checked it again since this person read the preview: they read the new one.
        return Confirmation(upload, outdated=True)
    try:
        with upload.file.open("rb") as file:
            result = import_plan_file(
                file,
                plan_slug=upload.plan.slug,
                filename=upload.filename,
                by=by,
                as_previewed=fingerprint,
            )
    except PreviewOutdated:
        upload.state, upload.preview, upload.rows_checked = PlanUpload.State.CHECKING, {}, 0
        upload._history_user = by
        upload.save()
        _check_soon(upload)
        return Confirmation(upload, outdated=True)
    except PlanImportError as error:  # e.g. a measure given readings in between
        upload.state, upload.problems = PlanUpload.State.REFUSED, as_json(error.problems)
        upload._history_user = by
        upload.save()
        return Confirmation(upload)
    _decide(upload, PlanUpload.State.APPLIED, by)
    return Confirmation(upload, result=result)


@transaction.atomic
def discard_upload(upload: PlanUpload, *, by) -> PlanUpload:
    """Drop the preview and remove the file from storage (once the discard is committed)."""
    upload = _manageable(by).select_for_update().get(pk=upload.pk)
    if upload.state not in PlanUpload.UNDECIDED:
        raise ValidationError(
            _("This upload can't be discarded: it is %(state)s.")
            % {"state": upload.get_state_display().lower()}
        )
    name, storage = upload.file.name, upload.file.storage
    upload.file, upload.preview = "", {}
    _decide(upload, PlanUpload.State.DISCARDED, by)
    if name:
        transaction.on_commit(partial(storage.delete, name))
    return upload


def _discard_expired() -> None:
    """Undecided uploads past their expiry are discarded, their files removed."""
    for upload in PlanUpload.objects.expired().select_for_update():
        name, storage = upload.file.name, upload.file.storage
        upload.file, upload.preview = "", {}
        _decide(upload, PlanUpload.State.DISCARDED, None)
        if name:
            transaction.on_commit(partial(storage.delete, name))


def _decide(upload: PlanUpload, state: str, by) -> None:
    upload.state, upload.decided_by, upload.decided_at = state, by, timezone.now()
    upload._history_user = by
    upload.save()
