"""What the outside mutation run showed the report tests didn't guard:

- a withholding of the *whole* update keeps every one of the update's texts (commentary, risks,
  next steps) out of every public output: the PDF, its HTML, its snapshot, the Word status table;
- the marking is printed in the header *and* in the footer of every page, each counted on its
  own (the cover prints a third in its middle, which a page-wide count would take for either).
"""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from reporting.models import Report, Withholding
from reporting.reports import building, documents
from reporting.reports.exports import status_table_document
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db
AUDIENCES = [choice for choice, _ in Report.Audience.choices]
WHOLE_UPDATE_FIELDS = [
    field for field in Withholding.UPDATE_FIELDS if field != Withholding.Field.UPDATE
]
EDGE = 60  # points from the top or bottom of an A4 page (842 high) that count as its margin


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def secret(field: str) -> str:
    return f"Secret {field.replace('_', ' ')} text 7319."


@pytest.fixture
def withheld_update(setup):
    """Customs' off-track update on 3a (an exception every audience prints), each of its texts
    a sentence of its own, withheld as a whole."""
    update = setup.updates[("3a", "customs", "2026-Q3")]
    for field in WHOLE_UPDATE_FIELDS:
        setattr(update, field, secret(field))
    update.save()
    Withholding.objects.create(update=update, field=Withholding.Field.UPDATE, ground="6(c)")
    return update


def outputs(report: Report) -> dict[str, str]:
    """Every form a built report takes, as text."""
    pdf = PdfReader(io.BytesIO(report.file.read()))
    forms = {
        "pdf": "\n".join(page.extract_text() for page in pdf.pages),
        "html": documents.report_html(report),
        "snapshot": str(report.snapshot),
    }
    if report.audience == Report.Audience.CABINET:
        document = Document(io.BytesIO(status_table_document(report)))
        forms["status table"] = "\n".join(
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        )
    return forms


def build(setup, audience: str, variant: str, marking: str = "IN CONFIDENCE") -> Report:
    report = Report.objects.create(
        plan=setup.plan,
        period=setup.period,
        audience=audience,
        variant=variant,
        chosen_marking=marking if variant == "full" else "IN CONFIDENCE",
    )
    return building.build_report(report.pk)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_a_whole_update_withheld_prints_none_of_its_texts_in_any_public_output(
    setup, withheld_update, audience
):
    report = build(setup, audience, "public")

    assert report.state == Report.State.READY
    for form, text in outputs(report).items():
        for field in WHOLE_UPDATE_FIELDS:
            assert secret(field) not in text, f"{audience} {form}: {field}"


def test_the_full_versions_between_them_print_every_text_a_whole_withholding_covers(
    setup, withheld_update
):
    # Without this, the test above would pass for a text no report prints at all.
    printed = {
        field
        for audience in AUDIENCES
        for text in outputs(build(setup, audience, "full")).values()
        for field in WHOLE_UPDATE_FIELDS
        if secret(field) in text
    }

    assert printed == set(WHOLE_UPDATE_FIELDS)


def test_each_whole_update_field_is_replaced_by_the_placeholder_in_the_public_snapshot(
    setup, withheld_update
):
    report = build(setup, "steering", "public")

    assert "[withheld under s 6(c)]" in outputs(report)["pdf"]


def margins(page) -> tuple[str, str]:
    """The text in a page's top margin and in its bottom margin."""
    height = float(page.mediabox.height)
    top, bottom = [], []

    def visit(text, cm, tm, font, size):
        y = cm[5] + tm[5] * cm[3]
        if y > height - EDGE:
            top.append(text)
        elif y < EDGE:
            bottom.append(text)

    page.extract_text(visitor_text=visit)
    return "".join(top), "".join(bottom)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_marking_is_in_the_header_and_in_the_footer_of_every_page(setup, audience):
    report = build(setup, audience, "full", marking="SENSITIVE")

    pages = PdfReader(io.BytesIO(report.file.read())).pages
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        header, footer = margins(page)
        assert header.count("SENSITIVE") == 1, f"page {number} header: {header!r}"
        assert footer.count("SENSITIVE") == 1, f"page {number} footer: {footer!r}"
        assert f"Page {number} of {len(pages)}" in footer
