"""Attaching and removing evidence. Who may: the people who may still edit the return
(``StatusUpdate.objects.editable_by``), on the return itself or on a reading it recorded; once the
return is submitted or its period closes, its evidence stays as it is (``removable_by`` says the
same for taking it away).

- ``attach_file(update, *, upload, by, reading=None)``: a file no larger than
  ``EVIDENCE_MAX_BYTES`` whose content is one of the kinds taken and agrees with its name
  (``content.identify``), stored through the default storage (``STORAGES["default"]``).
- ``attach_link(update, *, url, name, by, reading=None)``: an http or https link.
- ``remove_evidence(evidence, *, by)``: the record goes; so does its stored file, once the
  removal is committed.

Errors: ``PermissionDenied`` (not the person's return to change), ``ValidationError`` (the
file or link is refused, or the return is no longer editable).
"""

import re
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from actions.models import ActionAgency, IndicatorReading
from reporting.evidence.content import UnacceptableFile, identify
from reporting.models import Evidence, StatusUpdate


def readings_of(update: StatusUpdate):
    """The readings ``update`` recorded: its agency's, on its action, as at the period's end."""
    return IndicatorReading.objects.filter(
        measure__action=update.action_id, agency=update.agency_id, date=update.period.ends_on
    ).select_related("measure")


@transaction.atomic
def attach_file(update: StatusUpdate, *, upload, by, reading=None) -> Evidence:
    refuse_unless_attachable(update, reading, by)
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": gettext(
                    "The file is %(size)s; files can be up to %(limit)s. "
                    "Attach a smaller file, or add a link to it instead."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            }
        )
    name = clean_name(upload.name)
    try:
        kind = identify(upload, name)
    except UnacceptableFile as refused:
        raise ValidationError({"file": str(refused)}) from None
    evidence = Evidence(
        update=None if reading else update,
        reading=reading,
        name=name,
        content_type=kind.content_type,
        size=upload.size,
        added_by=by,
    )
    evidence.file.save(name, upload, save=False)
    _save(evidence, by)
    return evidence


@transaction.atomic
def attach_link(update: StatusUpdate, *, url: str, name: str, by, reading=None) -> Evidence:
    refuse_unless_attachable(update, reading, by)
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {
                "url": gettext(
                    "Enter a web address starting https:// (or http://), "
                    "like https://example.govt.nz/report."
                )
            }
        ) from None
    evidence = Evidence(
        update=None if reading else update,
        reading=reading,
        url=url,
        name=clean_name(name) if (name or "").strip() else url[:200],
        added_by=by,
    )
    _save(evidence, by)
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence, *, by) -> None:
    if not Evidence.objects.removable_by(by).filter(pk=evidence.pk).exists():
        raise PermissionDenied(
            gettext(
                "Evidence is removed only from a return you may still change; once submitted or "
                "frozen, it stays."
            )
        )
    stored = evidence.file.name if evidence.file else ""
    evidence._history_user = by
    evidence.delete()
    if stored:
        storage = evidence.file.storage
        transaction.on_commit(lambda: storage.delete(stored))


def clean_name(name: str) -> str:
    """The file's own name, without any folder or control characters, at most 200 characters
    (its ending kept)."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", PurePath(str(name).replace("\\", "/")).name).strip()
    if len(name) > 200:
        stem, suffix = PurePath(name).stem, PurePath(name).suffix[:20]
        name = stem[: 200 - len(suffix)] + suffix
    return name or "evidence"


def refuse_unless_attachable(update: StatusUpdate, reading, by) -> None:
    """``PermissionDenied`` unless ``by`` may still edit ``update``; ``ValidationError`` saying
    why when it is their agency's but submitted or frozen, or ``reading`` isn't one it recorded."""
    if not StatusUpdate.objects.editable_by(by).filter(pk=update.pk).exists():
        theirs = ActionAgency.objects.reportable_by(by).filter(
            action=update.action_id, agency=update.agency_id
        )
        if theirs.exists():
            update.require_editable()  # says why: submitted, or the period closed
        raise PermissionDenied("Only the agency's people attach evidence to its returns.")
    if reading is not None and not readings_of(update).filter(pk=reading.pk).exists():
        raise ValidationError(
            {"reading": gettext("Choose one of the readings this return recorded.")}
        )


def _save(evidence: Evidence, by) -> None:
    evidence._history_user = by
    evidence.full_clean(exclude=["update", "reading", "added_by", "file"])
    evidence.save()
