"""Public versions of the small plan's reports, approved and released through the services."""

import datetime

from django.core.files.base import ContentFile

from reporting.models import ProactiveRelease, Report
from reporting.progress.snapshot import Scope, build_dashboard
from reporting.releases import services


def public_report(setup, audience: str = "cabinet", period=None) -> Report:
    """A finished public version with its real (redacted) snapshot and a stand-in PDF."""
    period = period or setup.period
    report = Report.objects.create(
        plan=setup.plan, period=period, audience=audience, variant=Report.Variant.PUBLIC
    )
    report.snapshot = build_dashboard(setup.plan, period, scope=Scope.for_report(), public=True)
    report.file.save("public.pdf", ContentFile(b"%PDF-1.7 stand-in"), save=False)
    report.state = Report.State.READY
    report.save()
    return report


def approved_release(setup, by, **kwargs) -> ProactiveRelease:
    return services.approve_public_version(
        public_report(setup, **kwargs), by=by, expected_version=0
    )


def released_release(setup, by, audience: str = "steering", **kwargs) -> ProactiveRelease:
    """Approved and released, with its pack rendered by the real renderer."""
    release = approved_release(setup, by, audience=audience, **kwargs)
    return services.release_report(
        release,
        by=by,
        expected_version=release.version,
        publisher="the TSOC Secretariat",
        release_date=datetime.date(2026, 11, 20),
    )
