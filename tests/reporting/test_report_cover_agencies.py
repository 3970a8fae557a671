"""A report's cover names the agencies reporting, each official name with its Māori name beside
it where it has one (marked ``lang="mi"``), from the report's snapshot; and a report reads the
same in English whatever language the person building it browses in."""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from reporting.models import Report
from reporting.progress.snapshot import Scope, build_dashboard
from reporting.reports import documents
from reporting.reports.rendering import render_pdf
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(agency, other_agency):
    other_agency.maori_name = "Ngā Pirihimana o Aotearoa"
    other_agency.save()
    setup = small_plan(agency, other_agency)
    report = Report(plan=setup.plan, period=setup.period, audience="cabinet")
    report.snapshot = build_dashboard(setup.plan, setup.period, scope=Scope.for_report())
    return report


def test_the_cover_names_each_agency_reporting_with_its_maori_name_beside_it(report):
    html = documents.report_html(report)

    cover = html[html.index('<section class="cover">') : html.index('<nav class="contents"')]
    assert "Agencies reporting" in cover
    assert (
        'New Zealand Police – <span class="agency-name__mi" lang="mi">'
        "Ngā Pirihimana o Aotearoa</span>"
    ) in cover
    assert "<li>New Zealand Customs Service</li>" in cover  # no Māori name: English alone


def test_the_cover_is_printed_with_both_names(report):
    pdf = render_pdf(documents.report_html(report))

    cover = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "New Zealand Police – Ngā Pirihimana o Aotearoa" in " ".join(cover.split())


def test_a_report_built_by_someone_browsing_in_maori_is_the_english_report(report):
    english = documents.report_html(report)

    with translation.override("mi"):
        assert documents.report_html(report) == english


def test_a_report_from_before_maori_names_were_kept_still_names_its_agencies(report):
    for entry in report.snapshot["agencies"]:
        del entry["name"], entry["maori_name"]

    html = documents.report_html(report)

    assert "<li>Police</li>" in html and "<li>Customs</li>" in html
