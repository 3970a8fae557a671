"""Approving a report's public version, releasing it, and building its release pack.

Contract:

- ``approve_public_version(report, by=, expected_version=0)`` → a ``ProactiveRelease`` in the
  approved state. The secretariat only (``PermissionDenied``); the report must be a finished
  public version (``ValidationError``); ``expected_version`` is the register entry's version the
  page showed (0: none yet), else ``StaleReleaseError``.
- ``release_report(release, by=, expected_version=, publisher=, release_date=)`` → the release,
  released, with its pack rendered (cover, grounds key, every page stamped). Only an approved
  public version is released; the version check is as above.

Both are recorded in the entry's history (django-simple-history: who, when, before and after).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.rules import allows
from reporting.models import ProactiveRelease, Report
from reporting.releases.grounds import grounds_key, grounds_used
from reporting.reports.documents import report_html
from reporting.reports.rendering import render_pdf_with_time_limit


class StaleReleaseError(Exception):
    """Someone else approved or released it since the page was read."""

    def __init__(self, current: ProactiveRelease | None):
        version = current.version if current else 0
        super().__init__(f"The release register entry is now at version {version}.")
        self.current = current


def _require_manager(by) -> None:
    if not allows(ProactiveRelease.objects.manageable_by(by)):
        raise PermissionDenied("Only the secretariat approves and releases reports.")


@transaction.atomic
def approve_public_version(report: Report, *, by, expected_version: int) -> ProactiveRelease:
    """Record that the secretariat has checked and approved the public version for release."""
    _require_manager(by)
    report = Report.objects.select_for_update().get(pk=report.pk)
    current = ProactiveRelease.objects.filter(report=report).first()
    if (current.version if current else 0) != expected_version:
        raise StaleReleaseError(current)
    if current is not None:
        raise ValidationError(_("This public version is already approved."))
    if not report.is_public:
        raise ValidationError(
            _(
                "Only the public version of a report can be released: ask for one, check it, and "
                "approve that."
            )
        )
    if not report.is_ready:
        raise ValidationError(_("The public version isn't built yet: approve it once it is ready."))
    release = ProactiveRelease(
        report=report,
        state=ProactiveRelease.State.APPROVED,
        approved_by=by,
        approved_at=timezone.now(),
        grounds=grounds_used(report.snapshot),
    )
    release._history_user = by
    release.save()
    return release


def release_report(
    release: ProactiveRelease,
    *,
    by,
    expected_version: int,
    publisher: str = "",
    release_date: datetime.date | None = None,
) -> ProactiveRelease:
    """Release an approved public version: render its pack and put it in the register."""
    _require_manager(by)
    with transaction.atomic():
        release = (
            ProactiveRelease.objects.select_for_update().select_related("report").get(pk=release.pk)
        )
        if release.version != expected_version:
            raise StaleReleaseError(release)
        if release.is_released:
            raise ValidationError(_("This report has already been released."))
        release.publisher = publisher.strip() or settings.PROACTIVE_RELEASE_BY
        release.release_date = release_date or timezone.localdate()
        rendered = render_pdf_with_time_limit(release_pack_html(release))
        release.state = ProactiveRelease.State.RELEASED
        release.released_by, release.released_at = by, timezone.now()
        release.version += 1
        release.pack.save(f"{release.download_name}.pdf", ContentFile(rendered.content), save=False)
        release.pack_pages = rendered.page_count
        release._history_user = by
        release.save()
    return release


def release_pack_html(release: ProactiveRelease) -> str:
    """The public report's HTML with its release cover first and every page stamped: in
    English, as every report is, whatever language the secretariat member releasing it reads."""
    with translation.override(settings.LANGUAGE_CODE):
        when = date_format(release.release_date, "j F Y")
        return report_html(
            release.report,
            release={
                "publisher": release.publisher,
                "date": when,
                "stamp": _("Proactively released %(date)s") % {"date": when},
                "grounds": grounds_key(release.grounds),
            },
        )
