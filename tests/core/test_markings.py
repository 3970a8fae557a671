"""The PSR's markings, the deployment's ceiling, and the marking on pages, emails and exports."""

import io
import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from actions.services.exports import export_plan
from core.markings import MARKING_DESCRIPTIONS, ProtectiveMarking, choices_within_ceiling
from reporting.models import Report, Withholding
from reporting.reports import services as report_services
from tests.reporting.reports_setup import small_plan

pytestmark = pytest.mark.django_db

ALL = ["UNCLASSIFIED", "IN CONFIDENCE", "SENSITIVE", "RESTRICTED", "CONFIDENTIAL", "SECRET"]
ALL.append("TOP SECRET")


@pytest.fixture
def setup(agency, other_agency):
    return small_plan(agency, other_agency)


def test_the_seven_psr_markings_lowest_first_each_with_its_description():
    assert ProtectiveMarking.values == ALL
    assert list(django_settings.PSR_MARKINGS) == ALL
    assert set(MARKING_DESCRIPTIONS) == set(ALL)
    assert ProtectiveMarking.highest("SENSITIVE", "TOP SECRET", "") == "TOP SECRET"


def test_the_default_ceiling_is_restricted_and_nothing_above_it_is_offered():
    assert django_settings.PROTECTIVE_MARKING_CEILING == "RESTRICTED"
    assert [value for value, _ in choices_within_ceiling()] == ALL[:4]


def test_a_report_asked_for_above_the_ceiling_is_refused_with_the_reason(
    setup, secretariat_user, client_for
):
    response = client_for(secretariat_user).post(
        reverse("reporting:report_create"),
        {
            "plan": setup.plan.pk,
            "period": setup.period.pk,
            "audience": "cabinet",
            "variant": "full",
            "chosen_marking": "SECRET",
        },
    )
    assert response.status_code == 400
    assert "SECRET is above this system&#x27;s ceiling of RESTRICTED" in response.content.decode()
    assert not Report.objects.exists()
    with pytest.raises(ValidationError, match="above this system's ceiling"):
        report_services.request_report(
            plan=setup.plan,
            period=setup.period,
            audience="cabinet",
            marking="CONFIDENTIAL",
            by=secretariat_user,
        )


def test_a_raised_ceiling_lets_the_higher_marking_be_chosen(settings, setup, secretariat_user):
    settings.PROTECTIVE_MARKING_CEILING = "SECRET"
    withholding = Withholding(
        action=setup.actions["1"], field="description", ground="6(c)", marking="SECRET"
    )
    withholding.full_clean()
    settings.PROTECTIVE_MARKING_CEILING = "RESTRICTED"
    with pytest.raises(ValidationError, match="SECRET is above"):
        withholding.full_clean()


def test_the_admin_refuses_a_withholding_marked_above_the_ceiling(
    setup, admin_client, secretariat_user
):
    withholding = Withholding.objects.create(
        action=setup.actions["1"], field="description", ground="6(c)"
    )
    url = reverse("admin:reporting_withholding_change", args=[withholding.pk])
    page = admin_client.get(url).content.decode()
    assert 'value="RESTRICTED"' in page and 'value="CONFIDENTIAL"' not in page
    response = admin_client.post(url, {"ground": "6(c)", "marking": "TOP SECRET", "note": ""})
    assert response.status_code == 200
    assert "TOP SECRET is above this system" in response.content.decode()
    withholding.refresh_from_db()
    assert withholding.marking == "IN CONFIDENCE"


def test_the_build_command_refuses_a_marking_above_the_ceiling(setup, tmp_path):
    with pytest.raises(CommandError, match="--marking: SECRET is above this system's ceiling"):
        call_command(
            "build_report",
            plan=setup.plan.slug,
            period=setup.period.code,
            audience="cabinet",
            output=tmp_path / "r.pdf",
            marking="SECRET",
        )
    assert not Report.objects.exists()


def markings_of(html: str) -> list[str]:
    return re.findall(
        r'class="page-marking" data-marking="(\w+)"[^>]*>.*?</span>([^<]+)</section>', html
    )


@pytest.mark.parametrize(
    "page, raised",
    [
        (lambda s: reverse("reporting:dashboard", kwargs={"plan": s.plan.slug}), "RESTRICTED"),
        # The period page shows each return's state, not its text.
        (
            lambda s: reverse("reporting:period_detail", kwargs={"code": s.period.code}),
            "IN CONFIDENCE",
        ),
        (
            lambda s: reverse(
                "reporting:update_detail", args=[s.updates[("1", "customs", "2026-Q3")].pk]
            ),
            "RESTRICTED",
        ),
    ],
    ids=["dashboard", "period", "return"],
)
def test_pages_showing_returns_carry_the_highest_marking_at_top_and_bottom(
    page, raised, setup, secretariat_user, client_for
):
    client = client_for(secretariat_user)
    assert markings_of(client.get(page(setup)).content.decode()) == [
        ("top", "IN CONFIDENCE"),
        ("bottom", "IN CONFIDENCE"),
    ]
    update = setup.updates[("1", "customs", "2026-Q3")]
    assert update.commentary
    Withholding.objects.create(
        update=update, field="commentary", ground="6(c)", marking="RESTRICTED"
    )
    assert markings_of(client.get(page(setup)).content.decode()) == [
        ("top", raised),
        ("bottom", raised),
    ]


def test_a_page_without_marked_content_carries_no_marking(setup, secretariat_user, client_for):
    html = client_for(secretariat_user).get(reverse("actions:plan_list")).content.decode()
    assert markings_of(html) == []


def test_an_email_is_marked_in_its_subject_and_at_the_top_and_bottom_of_each_body(setup, lead):
    from reporting.reminders.compose import marked_subject, render_email

    text, html = render_email(
        "update_notice",
        {
            "recipient": {"name": "Ana"},
            "update": setup.updates[("1", "customs", "2026-Q3")],
            "action": "TSOC 1",
            "kind": "returned",
            "form_url": "http://x/",
            "detail_url": "http://x/",
        },
    )
    assert marked_subject("TSOC Tracker: hello") == "[IN CONFIDENCE] TSOC Tracker: hello"
    lines = text.strip().splitlines()
    assert lines[0] == lines[-1] == "IN CONFIDENCE"
    body = html[html.index("<body") :]
    assert body.count("IN CONFIDENCE") == 2
    assert body.index("IN CONFIDENCE") < body.index("Kia ora")
    assert body.rindex("IN CONFIDENCE") > body.rindex("</main>")
    assert not mail.outbox


def sheet_markings(content: bytes) -> list[tuple]:
    book = load_workbook(io.BytesIO(content))
    return [
        (s.title, s["A1"].value, s.oddHeader.center.text, s.oddFooter.center.text)
        for s in book.worksheets
    ]


def test_the_updates_export_is_marked_on_its_first_row_and_every_printed_page(
    setup, secretariat_user, client_for
):
    response = client_for(secretariat_user).get(
        reverse(
            "reporting:updates_xlsx",
            kwargs={"plan": setup.plan.slug, "period": setup.period.code},
        )
    )
    assert sheet_markings(response.content) == [
        ("Updates", "IN CONFIDENCE", "IN CONFIDENCE", "IN CONFIDENCE"),
        ("Status", "IN CONFIDENCE", "IN CONFIDENCE", "IN CONFIDENCE"),
    ]


def test_the_plan_export_is_marked_as_high_as_the_withheld_text_it_prints(setup):
    output = io.BytesIO()
    export_plan(setup.plan, output, format="xlsx")
    (actions, marking) = sheet_markings(output.getvalue())
    assert actions[0] == "Actions" and actions[2:] == ("UNCLASSIFIED", "UNCLASSIFIED")
    assert marking == ("Marking", "UNCLASSIFIED", "UNCLASSIFIED", "UNCLASSIFIED")

    Withholding.objects.create(
        action=setup.actions["1"], field="description", ground="6(c)", marking="SENSITIVE"
    )
    output = io.BytesIO()
    export_plan(setup.plan, output, format="xlsx")
    assert [row[2:] for row in sheet_markings(output.getvalue())] == [("SENSITIVE",) * 2] * 2
    assert sheet_markings(output.getvalue())[1][1] == "SENSITIVE"
