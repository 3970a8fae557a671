"""A report's stored snapshot is read through ``read_snapshot``: an old one still renders and
downloads, one from a newer release is refused by name."""

import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from reporting.models import Report
from reporting.progress import assembly
from reporting.progress.assembly import SnapshotVersionError, read_snapshot
from reporting.progress.snapshot import Scope, build_dashboard
from reporting.reports import building, documents
from reporting.reports.exports import status_table_document
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db
ACTION_NUMBERS = ["TSOC 1", "TSOC 2", "TSOC 3", "TSOC 3a", "TSOC 3b"]
EXCEPTION_NUMBERS = ["TSOC 2", "TSOC 3a", "TSOC 3b"]  # the Cabinet PDF lists these; the table all


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def stored_report(setup, snapshot_version) -> Report:
    """A Cabinet report whose snapshot was stored as ``snapshot_version`` wrote it (None: before
    snapshots carried a version), then built from that snapshot."""
    snapshot = build_dashboard(setup.plan, setup.period, scope=Scope.for_report())
    snapshot.pop("version")
    if snapshot_version is not None:
        snapshot["version"] = snapshot_version
    report = Report.objects.create(
        plan=setup.plan, period=setup.period, audience="cabinet", snapshot=snapshot
    )
    return building.build_report(report.pk)


@pytest.mark.parametrize("snapshot_version", [None, 1])
def test_a_report_stored_with_a_version_1_snapshot_renders_and_downloads(
    setup, viewer, client_for, snapshot_version
):
    report = stored_report(setup, snapshot_version)
    assert report.state == Report.State.READY, report.error
    client = client_for(viewer)

    page = client.get(report.get_absolute_url())
    pdf = client.get(reverse("reporting:report_download", kwargs={"pk": report.pk}))
    docx = client.get(reverse("reporting:report_status_table", kwargs={"pk": report.pk}))

    assert page.status_code == 200 and "from the data as at" in page.content.decode()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf))).pages)
    assert all(f"{number}:" in text for number in EXCEPTION_NUMBERS)
    [table] = Document(io.BytesIO(docx.content)).tables
    assert [row.cells[0].text for row in table.rows[1:]] == ACTION_NUMBERS


def test_every_reader_of_a_stored_snapshot_sees_it_upgraded(setup, monkeypatch):
    report = stored_report(setup, 1)
    # As if the next release reshaped the snapshot: version 2, with a step from version 1.
    monkeypatch.setattr(assembly, "SNAPSHOT_VERSION", 2)
    monkeypatch.setattr(
        assembly,
        "SNAPSHOT_UPGRADES",
        {1: lambda data: {**data, "plan": {**data["plan"], "title": "Upgraded plan title"}}},
    )

    assert read_snapshot(report.snapshot)["version"] == assembly.SNAPSHOT_VERSION
    assert "Upgraded plan title" in documents.report_html(report)
    document = Document(io.BytesIO(status_table_document(report)))
    assert "Upgraded plan title" in "\n".join(p.text for p in document.paragraphs)


def test_a_snapshot_from_a_newer_release_is_refused_by_name():
    newer = assembly.SNAPSHOT_VERSION + 1
    with pytest.raises(SnapshotVersionError, match=f"version {newer}, written by a newer release"):
        read_snapshot({"version": assembly.SNAPSHOT_VERSION + 1})


@pytest.mark.parametrize("version", ["1", 0, True, None])
def test_a_snapshot_version_that_is_not_a_version_number_is_refused(version):
    with pytest.raises(SnapshotVersionError, match="is not a version number"):
        read_snapshot({"version": version})


def test_a_report_whose_snapshot_is_from_a_newer_release_fails_to_build_saying_why(setup):
    report = stored_report(setup, assembly.SNAPSHOT_VERSION + 1)

    assert report.state == Report.State.FAILED
    assert "written by a newer release of the tracker" in report.error
