"""Proactive release: the secretariat approves a public version, then releases it; the pack has
a release cover with the grounds and what each means, and every page is stamped."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from reporting.models import ProactiveRelease, Withholding
from reporting.releases import services
from reporting.releases.grounds import GROUND_MEANINGS
from tests.reporting.releases_setup import approved_release, public_report, released_release
from tests.reporting.reports_setup import small_plan
from tests.reporting.test_reports import ready_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(agency, other_agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    setup = small_plan(agency, other_agency)
    Withholding.objects.create(action=setup.actions["1"], field="description", ground="6(c)")
    Withholding.objects.create(
        update=setup.updates[("1", "customs", "2026-Q3")], field="commentary", ground="9(2)(g)(i)"
    )
    return setup


def test_every_ground_says_what_it_means():
    assert set(GROUND_MEANINGS) == set(Withholding.Ground.values)


def test_the_release_pack_has_a_cover_with_the_grounds_and_a_stamp_on_every_page(
    setup, secretariat_user
):
    release = released_release(setup, secretariat_user)

    pages = [p.extract_text() for p in PdfReader(io.BytesIO(release.pack.read())).pages]
    cover = " ".join(pages[0].split())
    assert "Proactively released by the TSOC Secretariat" in cover
    assert "Release date: 20 November 2026" in cover
    assert "s 6(c)" in cover and "s 9(2)(g)(i)" in cover
    assert "prejudice the maintenance of the law" in cover
    assert "free and frank expression of opinions" in cover
    assert release.grounds == ["6(c)", "9(2)(g)(i)"]
    stamp = "Proactively released 20 November 2026"
    assert all(stamp in " ".join(page.split()) for page in pages)
    assert release.pack_pages == len(pages) > 2


def test_the_release_pack_is_in_english_whatever_language_the_releaser_reads(
    setup, secretariat_user
):
    release = approved_release(setup, secretariat_user)
    release.release_date = datetime.date(2026, 11, 20)

    with translation.override("mi"):
        pack = services.release_pack_html(release)

    assert "Proactively released 20 November 2026" in pack
    assert "prejudice the maintenance of the law" in pack
    assert "Whiringa-ā-rangi" not in pack


def test_approval_and_release_are_attributable_and_in_the_history(setup, secretariat_user):
    release = released_release(setup, secretariat_user)
    assert (release.approved_by, release.released_by) == (secretariat_user, secretariat_user)
    steps = [(h.state, h.version, h.history_user) for h in release.history.order_by("history_id")]
    assert steps == [("approved", 1, secretariat_user), ("released", 2, secretariat_user)]


def test_only_a_built_public_version_can_be_approved(setup, secretariat_user):
    with pytest.raises(ValidationError, match="Only the public version"):
        services.approve_public_version(
            ready_report(setup), by=secretariat_user, expected_version=0
        )
    assert not ProactiveRelease.objects.exists()


def test_a_step_from_a_stale_page_is_refused(setup, secretariat_user):
    report = public_report(setup)
    services.approve_public_version(report, by=secretariat_user, expected_version=0)
    with pytest.raises(services.StaleReleaseError):
        services.approve_public_version(report, by=secretariat_user, expected_version=0)
    release = ProactiveRelease.objects.get()
    with pytest.raises(services.StaleReleaseError):
        services.release_report(release, by=secretariat_user, expected_version=0)
    release.refresh_from_db()
    assert release.state == "approved" and not release.pack


def test_no_one_but_the_secretariat_approves_or_releases(setup, viewer, lead, secretariat_user):
    report = public_report(setup)
    for person in (viewer, lead):
        with pytest.raises(PermissionDenied):
            services.approve_public_version(report, by=person, expected_version=0)
    release = approved_release(setup, secretariat_user, audience="sib")
    with pytest.raises(PermissionDenied):
        services.release_report(release, by=viewer, expected_version=1)


def test_the_secretariat_approves_and_releases_from_the_reports_page(
    setup, secretariat_user, client_for
):
    client = client_for(secretariat_user)
    report = public_report(setup)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Approve the public version for release" in page

    client.post(reverse("reporting:release_approve", kwargs={"pk": report.pk}), {"version": 0})
    release = ProactiveRelease.objects.get(report=report)
    form = client.get(reverse("reporting:release", kwargs={"pk": release.pk})).content.decode()
    assert "s 6(c)" in form and "Release the report" in form

    response = client.post(
        reverse("reporting:release", kwargs={"pk": release.pk}),
        {"publisher": "the Ministry of Justice", "release_date": "2026-12-01", "version": 1},
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.is_released and release.publisher == "the Ministry of Justice"
    register = client.get(reverse("reporting:release_register")).content.decode()
    assert "1 December 2026 by the Ministry of Justice" in register
    pack = client.get(reverse("reporting:release_pack", kwargs={"pk": release.pk}))
    assert b"".join(pack.streaming_content).startswith(b"%PDF")
