"""Evidence behind a return or a reading: files of the kinds taken, checked from their content
(not their name), up to a size; links; downloaded only through the permission-checked view, as an
attachment that is never sniffed; kept when the period closes; listed by name in full reports."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from reporting.audit import update_history
from reporting.evidence import services as evidence
from reporting.models import Evidence, ReportingPeriod
from reporting.returns import services
from tests.actions.factories import SuccessMeasureFactory
from tests.reporting import evidence_files as files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(contributor, agency, action, period):
    return services.start_update(
        action,
        period,
        agency,
        data={"status": "on_track", "percent_complete": 30, "commentary": "Two operations."},
        by=contributor,
    )


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("Seizures.pdf", files.PDF, "application/pdf"),
        (
            "Briefing.docx",
            files.DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "Figures.xlsx",
            files.XLSX,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("Old figures.xls", files.OLE, "application/vnd.ms-excel"),
        ("Old memo.doc", files.OLE, "application/msword"),
        ("Scan.PNG", files.PNG, "image/png"),
        ("Photo.jpeg", files.JPEG, "image/jpeg"),
    ],
)
def test_each_kind_taken_is_stored_with_the_type_its_content_says(
    draft, contributor, name, content, content_type
):
    item = evidence.attach_file(
        draft, upload=files.upload(name, content, "text/html"), by=contributor
    )

    assert (item.name, item.content_type, item.size) == (name, content_type, len(content))
    assert default_storage.open(item.file.name).read() == content
    assert name not in item.file.name  # stored under a name nobody can guess


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("Report.pdf", files.PNG, "its content is a PNG image"),
        ("Figures.xlsx", files.DOCX, "its content is a Word document"),
        ("Seizures.png", files.PDF, "its content is a PDF"),
        ("Seizures", files.PDF, "ends in no type"),
        ("page.html", b"<html><script>alert(1)</script>", "is not a PDF, Word or Excel file"),
        ("archive.docx", files.OTHER_ZIP, "is not a PDF, Word or Excel file"),
    ],
)
def test_a_file_whose_content_does_not_match_its_name_is_refused(
    draft, contributor, name, content, says
):
    with pytest.raises(ValidationError, match=says):
        evidence.attach_file(draft, upload=files.upload(name, content), by=contributor)
    assert not Evidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(draft, contributor, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match=r"files can be up to 1\.0"):
        evidence.attach_file(
            draft, upload=files.upload("Big.pdf", files.PDF + b" " * 1024), by=contributor
        )
    assert not Evidence.objects.exists()


def test_a_link_must_be_a_web_address(draft, contributor):
    with pytest.raises(ValidationError, match="https://"):
        evidence.attach_link(draft, url="javascript:alert(1)", name="x", by=contributor)
    link = evidence.attach_link(
        draft, url="https://police.govt.nz/ops", name="Operation results", by=contributor
    )
    assert (link.name, link.url, link.is_file) == (
        "Operation results",
        "https://police.govt.nz/ops",
        False,
    )


def test_evidence_on_a_reading_the_return_recorded(draft, contributor, action):
    measure = SuccessMeasureFactory(action=action, indicator="Seizures (kg)")
    services.change_update(
        draft,
        data={"readings": {measure.pk: {"value": Decimal("40")}}},
        by=contributor,
        expected_version=draft.version,
    )
    reading = evidence.readings_of(draft).get()

    item = evidence.attach_file(
        draft, upload=files.upload("Lab.pdf", files.PDF), reading=reading, by=contributor
    )

    assert (item.update, item.reading) == (None, reading)
    assert update_history(draft)[0].subject == "Evidence: Lab.pdf"


@pytest.mark.parametrize("who", ["viewer", "other_lead", "secretariat_user"])
def test_only_the_agencys_people_attach_evidence(request, draft, who):
    with pytest.raises(PermissionDenied):
        evidence.attach_file(
            draft, upload=files.upload("a.pdf", files.PDF), by=request.getfixturevalue(who)
        )


def test_the_download_is_an_attachment_typed_from_the_content_and_never_sniffed(
    client_for, draft, contributor, viewer
):
    item = evidence.attach_file(
        draft, upload=files.upload("Seizures.pdf", files.PDF, "text/html"), by=contributor
    )

    response = client_for(viewer).get(reverse("reporting:evidence_download", args=[item.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Seizures.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == files.PDF


def test_the_download_is_refused_to_who_may_not_see_the_return(
    client_for, draft, contributor, other_lead, outsider
):
    item = evidence.attach_file(draft, upload=files.upload("a.pdf", files.PDF), by=contributor)
    url = reverse("reporting:evidence_download", args=[item.pk])

    # other_lead's Police supports the action, so sees it; a third agency's lead does not.
    from tests.agencies.factories import AgencyFactory, MembershipFactory, UserFactory

    stranger = UserFactory(username="sue.stranger")
    MembershipFactory(user=stranger, agency=AgencyFactory(slug="mbie"), role="lead")
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_evidence_is_kept_and_fixed_once_submitted_and_when_the_period_closes(
    draft, contributor, lead
):
    item = evidence.attach_file(draft, upload=files.upload("a.pdf", files.PDF), by=contributor)
    services.submit_update(draft, by=lead, expected_version=draft.version)

    with pytest.raises(PermissionDenied):
        evidence.remove_evidence(item, by=lead)
    with pytest.raises(ValidationError, match="submitted"):
        evidence.attach_file(draft, upload=files.upload("b.pdf", files.PDF), by=lead)
    ReportingPeriod.objects.filter(pk=draft.period_id).update(state="closed")
    with pytest.raises(PermissionDenied):
        evidence.remove_evidence(item, by=lead)
    assert default_storage.exists(Evidence.objects.get().file.name)


def test_removing_evidence_from_a_draft_deletes_its_file(
    draft, contributor, django_capture_on_commit_callbacks
):
    item = evidence.attach_file(draft, upload=files.upload("a.pdf", files.PDF), by=contributor)
    stored = item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        evidence.remove_evidence(item, by=contributor)

    assert not Evidence.objects.exists()
    assert not default_storage.exists(stored)


def test_the_update_page_lists_evidence_and_offers_the_form_only_while_editable(
    client_for, draft, contributor, viewer
):
    evidence.attach_link(draft, url="https://example.govt.nz/a", name="Court list", by=contributor)
    url = reverse("reporting:update_detail", args=[draft.pk])

    mine = client_for(contributor).get(url).content.decode()
    theirs = client_for(viewer).get(url).content.decode()

    assert "Court list" in mine and "Court list" in theirs
    assert 'enctype="multipart/form-data"' in mine
    assert 'enctype="multipart/form-data"' not in theirs


def test_a_refused_upload_on_the_page_says_why(client_for, draft, contributor):
    response = client_for(contributor).post(
        reverse("reporting:evidence_attach", args=[draft.pk]),
        {"file": files.upload("Report.pdf", files.PNG)},
    )

    assert response.status_code == 400
    assert "its content is a PNG image" in response.content.decode()


def test_a_full_report_lists_the_evidence_by_name_and_the_public_one_does_not(
    draft, contributor, lead, action, period
):
    from reporting.evidence.listing import evidence_listing

    evidence.attach_file(draft, upload=files.upload("Seizures.pdf", files.PDF), by=contributor)
    assert evidence_listing(action.plan, period, public=False) == []  # a draft isn't reported
    services.submit_update(draft, by=lead, expected_version=draft.version)

    assert evidence_listing(action.plan, period, public=False) == [
        {
            "action": action.number,
            "agency": "Customs",
            "about": "Return",
            "name": "Seizures.pdf",
            "kind": "file",
        }
    ]
    assert evidence_listing(action.plan, period, public=True) == []


@pytest.mark.parametrize("variant", ["full", "public"])
def test_a_built_report_prints_the_evidence_names_only_in_the_full_version(
    agency, other_agency, variant
):
    from reporting.models import Report
    from reporting.reports import building
    from tests.reporting.reports_setup import small_plan
    from tests.reporting.test_reports import pages_of

    setup = small_plan(agency, other_agency)
    u1 = setup.updates[("1", "customs", "2026-Q3")]
    Evidence.objects.create(
        update=u1, name="Scanner-commissioning-certificate.pdf", url="https://example.govt.nz/c"
    )
    report = Report.objects.create(
        plan=setup.plan, period=setup.period, audience="steering", variant=variant
    )

    built = building.build_report(report.pk)

    text = " ".join(" ".join(pages_of(built.file.read())).split())
    listed = "Scanner-commissioning-certificate.pdf" in text
    assert listed == (variant == "full")
    assert ("Evidence held" in text) == (variant == "full")
