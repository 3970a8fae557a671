"""Nothing shown to a signed-in person, and no file download, is kept in a browser's or a
proxy's cache: every such response says ``Cache-Control: private, no-store`` (the API's answers:
tests/api/test_no_store.py)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reporting.models import Report
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db
NO_STORE = "private, no-store"


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


@pytest.fixture
def restricted_report(setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = Report.objects.create(
        plan=setup.plan, period=setup.period, audience="cabinet", marking="RESTRICTED"
    )
    report.file.save("report.pdf", ContentFile(b"%PDF-1.7 stand-in"), save=False)
    report.state = Report.State.READY
    report.save()
    return report


def test_the_period_page_is_not_stored(client_for, secretariat_user, setup):
    response = client_for(secretariat_user).get(f"/periods/{setup.period.code}/")

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_every_signed_in_page_is_not_stored(client_for, lead, setup):
    client = client_for(lead)
    for page in ("/", "/plans/", f"/plans/{setup.plan.slug}/", "/dashboard/"):
        response = client.get(page)
        assert response["Cache-Control"] == NO_STORE, page


def test_a_restricted_pdf_download_is_not_stored(client_for, viewer, restricted_report):
    response = client_for(viewer).get(
        reverse("reporting:report_download", kwargs={"pk": restricted_report.pk})
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_the_xlsx_export_is_not_stored(client_for, secretariat_user, setup):
    response = client_for(secretariat_user).get(
        f"/dashboard/{setup.plan.slug}/{setup.period.code}/updates.xlsx"
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_a_refused_url_to_a_signed_in_person_is_not_stored_either(client_for, viewer, setup):
    response = client_for(viewer).get("/periods/%00/")

    assert response.status_code == 400
    assert response["Cache-Control"] == NO_STORE
