"""The XLSX export of a period's updates for analysts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import ProtectiveMarking, StatusUpdate, Withholding
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def export(client, setup, period=None):
    return client.get(
        reverse(
            "reporting:updates_xlsx",
            kwargs={"plan": setup.plan.slug, "period": (period or setup.period).code},
        )
    )


def rows_of(response) -> tuple[list, list[dict]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[3])
    return rows[:3], [dict(zip(header, row, strict=True)) for row in rows[4:]]


def test_the_secretariat_exports_every_update_of_the_period(setup, secretariat_user, client_for):
    response = export(client_for(secretariat_user), setup)

    assert response["Content-Disposition"] == 'attachment; filename="tsoc-2026-Q3-updates.xlsx"'
    preamble, rows = rows_of(response)
    assert preamble[0][0] == "IN CONFIDENCE"
    assert "Q1 2026/27" in preamble[1][0]
    assert [(r["Action"], r["Agency"], r["Status"], r["Return state"]) for r in rows] == [
        ("TSOC 1", "Customs", "On track", "Submitted"),
        ("TSOC 2", "Police", "At risk", "Accepted"),
        ("TSOC 3a", "Customs", "Off track", "Submitted"),
        ("TSOC 3a", "Police", "On track", "Submitted"),
        ("TSOC 3b", "Police", "On track", "Draft"),
    ]
    assert rows[1]["Risks and issues"] == "Funding is not confirmed."
    assert rows[0]["Agency's role"] == "Coordinating"
    assert [r["Counts in the line's status"] for r in rows] == ["Yes", "Yes", "Yes", "Yes", "No"]


def test_an_agency_lead_exports_only_updates_they_may_see(setup, lead, client_for):
    _, rows = rows_of(export(client_for(lead), setup))  # a Customs lead

    # Customs coordinates 1 and 3a and supports 2; it reads all of action 3.
    assert {r["Action"] for r in rows} == {"TSOC 1", "TSOC 2", "TSOC 3a", "TSOC 3b"}


def test_text_that_looks_like_a_formula_stays_text(setup, secretariat_user, client_for):
    StatusUpdate.objects.filter(commentary="Scanners installed.").update(
        commentary='=HYPERLINK("http://evil.example","click")'
    )

    sheet = load_workbook(io.BytesIO(export(client_for(secretariat_user), setup).content)).active
    cell = next(c for c in sheet["K"] if c.value and str(c.value).startswith("=HYPERLINK"))

    assert cell.data_type == "s"


def test_withheld_text_is_flagged_and_raises_the_marking(setup, secretariat_user, client_for):
    update = setup.updates[("3a", "customs", "2026-Q3")]
    Withholding.objects.create(
        update=update, field="update", ground="6(c)", marking=ProtectiveMarking.RESTRICTED
    )

    preamble, rows = rows_of(export(client_for(secretariat_user), setup))

    assert preamble[0][0] == "RESTRICTED"
    assert rows[2]["Withheld from proactive release"].endswith("s 6(c)")


def test_demonstration_data_is_labelled(setup, secretariat_user, client_for):
    StatusUpdate.objects.update(is_demo=True)

    preamble, rows = rows_of(export(client_for(secretariat_user), setup))

    assert "demonstration data" in preamble[2][0]
    assert {r["Demonstration data"] for r in rows} == {"Yes"}


def test_someone_without_a_role_cannot_export(setup, outsider, client_for):
    assert export(client_for(outsider), setup).status_code == 404
