"""A quarter has one name people read and type: its financial-year label (“Q1 2026/27”), shown
with its months; the calendar code (“2026-Q3”) stays valid wherever a period is named."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from actions.timeframes import QuarterNameError, parse_quarter_name
from reporting.models import Report, ReportingPeriod, StatusUpdate
from tests.reporting.factories import ReportingPeriodFactory
from tests.reporting.reports_setup import small_plan

JULY_TO_SEPTEMBER_2026 = (2026, 3)


@pytest.mark.parametrize(
    "name",
    [
        "Q1 2026/27",
        "2026/27-Q1",
        "2026/27 Q1",
        "q1 2026/27",
        "  Q1   2026 / 27 ",
        "Q1 2026/2027",
        "2026/2027-q1",
        "2026/27–Q1",  # en dash
        "2026-Q3",
        "2026-q3",
        "2026 Q3",
    ],
)
def test_every_form_people_write_names_july_to_september_2026(name):
    assert parse_quarter_name(name, financial_year_start_month=7) == JULY_TO_SEPTEMBER_2026


@pytest.mark.parametrize(
    ("name", "calendar_quarter"),
    [
        ("Q2 2026/27", (2026, 4)),
        ("Q3 2026/27", (2027, 1)),  # January–March falls in the financial year's second year
        ("2025/26-Q4", (2026, 2)),
    ],
)
def test_a_financial_quarter_is_the_calendar_quarter_it_covers(name, calendar_quarter):
    assert parse_quarter_name(name, financial_year_start_month=7) == calendar_quarter


@pytest.mark.parametrize(
    "name",
    [
        "Q1 2026",  # with a July year, the financial or the calendar Q1?
        "2026/28-Q1",  # not consecutive years
        "Q5 2026/27",
        "2026-Q0",
        "Q1",
        "2026",
        "",
        "1800-Q1",
        "Q1 2026/27 and more",
    ],
)
def test_anything_else_is_refused_naming_the_accepted_forms(name):
    with pytest.raises(QuarterNameError) as refused:
        parse_quarter_name(name, financial_year_start_month=7)
    assert "“Q1 2026/27” or “2026/27-Q1”, or its code, “2026-Q3”" in str(refused.value)


def test_the_financial_year_start_month_is_respected():
    assert parse_quarter_name("Q1 2026/27", financial_year_start_month=4) == (2026, 2)
    assert parse_quarter_name("Q3 2026", financial_year_start_month=1) == (2026, 3)
    with pytest.raises(QuarterNameError):
        parse_quarter_name("Q1 2026/27", financial_year_start_month=1)


@pytest.mark.parametrize("start_month", range(1, 13))
def test_every_label_reads_back_as_its_own_period(settings, start_month, db):
    settings.FINANCIAL_YEAR_START_MONTH = start_month
    for year, quarter in [(2025, 4), (2026, 1), (2026, 2), (2026, 3)]:
        period = ReportingPeriodFactory(year=year, quarter=quarter)
        assert ReportingPeriod.objects.by_name(period.label).get() == period


def test_a_period_reads_as_its_label_with_its_months(db):
    period = ReportingPeriodFactory(year=2026, quarter=3)
    assert period.long_label == "Q1 2026/27, July–September 2026"
    assert ReportingPeriodFactory(year=2027, quarter=1).long_label == (
        "Q3 2026/27, January–March 2027"
    )


def test_by_name_finds_the_period_and_refuses_what_it_cannot_read(db):
    period = ReportingPeriodFactory(year=2026, quarter=3)
    assert list(ReportingPeriod.objects.by_name("Q1 2026/27")) == [period]
    assert not ReportingPeriod.objects.by_name("Q2 2026/27").exists()
    with pytest.raises(ValueError, match="not a quarter"):
        ReportingPeriod.objects.by_name("next quarter")
    assert ReportingPeriod.objects.named("next quarter") is None


# --- build_report --------------------------------------------------------------------------


@pytest.fixture
def setup(agency, other_agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return small_plan(agency, other_agency)


def build(setup, tmp_path, period: str) -> str:
    out = io.StringIO()
    call_command(
        "build_report",
        f"--plan={setup.plan.slug}",
        f"--period={period}",
        "--audience=cabinet",
        f"--output={tmp_path / 'report.pdf'}",
        stdout=out,
    )
    return out.getvalue()


@pytest.mark.parametrize("name", ["Q1 2026/27", "2026/27-Q1"])
def test_build_report_takes_the_quarters_label(setup, tmp_path, name):
    output = build(setup, tmp_path, name)

    assert Report.objects.get().period == setup.period
    assert "Q1 2026/27" in output and (tmp_path / "report.pdf").exists()


def test_build_report_names_the_forms_when_it_cannot_read_the_period(setup, tmp_path):
    with pytest.raises(CommandError, match="--period: 'Q1 2026' is not a quarter"):
        build(setup, tmp_path, "Q1 2026")
    assert not Report.objects.exists()


# --- pages ---------------------------------------------------------------------------------


def test_the_dashboard_and_report_form_take_the_label_in_the_query_string(
    setup, secretariat_user, client_for
):
    older = ReportingPeriod.objects.get(year=2026, quarter=2)
    client = client_for(secretariat_user)
    dashboard = reverse("reporting:dashboard", kwargs={"plan": setup.plan.slug})

    response = client.get(dashboard, {"period": "Q4 2025/26"})
    assert "Q4 2025/26, April–June 2026." in response.content.decode()
    assert response.context["form"]["period"].value() == older.code  # the select shows it
    reports_page = client.get(reverse("reporting:report_list"), {"period": "2025/26-Q4"})
    assert reports_page.context["form"].initial["period"] == older


def test_a_dashboard_period_it_cannot_read_is_reported_by_the_field(
    setup, secretariat_user, client_for
):
    dashboard = reverse("reporting:dashboard", kwargs={"plan": setup.plan.slug})
    response = client_for(secretariat_user).get(dashboard, {"period": "last quarter"})

    assert response.status_code == 200
    assert "is not a quarter" in response.content.decode()


CALENDAR_CODE = re.compile(r"\b\d{4}-Q\d\b")


def visible_text(html: str) -> str:
    """The page's text: no tags (so no URLs or attributes), scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def assert_label_not_code(response, url):
    assert response.status_code == 200, url
    text = visible_text(response.content.decode())
    assert CALENDAR_CODE.findall(text) == [], url
    assert "Q1 2026/27" in text, url


def test_an_agency_lead_reads_labels_not_codes(setup, other_agency, other_lead, client_for):
    client = client_for(other_lead)
    form = reverse(
        "reporting:update_form",
        kwargs={
            "period": setup.period.code,
            "plan": setup.plan.slug,
            "number": "3b",  # Police's draft
            "agency": other_agency.slug,
        },
    )
    for url in [reverse("reporting:my_actions"), form]:
        assert_label_not_code(client.get(url), url)


def test_no_page_shows_a_calendar_code_where_the_label_belongs(setup, secretariat_user, client_for):
    client = client_for(secretariat_user)
    report = Report.objects.create(plan=setup.plan, period=setup.period, audience="cabinet")
    action = setup.plan.actions.get(number="1")
    update = StatusUpdate.objects.filter(action=action, period=setup.period).first()
    pages = [
        reverse("reporting:home"),
        reverse("reporting:period_list"),
        reverse("reporting:period_detail", kwargs={"code": setup.period.code}),
        reverse("reporting:dashboard", kwargs={"plan": setup.plan.slug}),
        reverse("reporting:report_list"),
        reverse("reporting:report_detail", kwargs={"pk": report.pk}),
        reverse("reporting:withholdings", kwargs={"plan": setup.plan.slug}),
        action.get_absolute_url(),
        setup.plan.get_absolute_url(),
    ]
    if update is not None:
        pages.append(reverse("reporting:update_detail", kwargs={"pk": update.pk}))
    for url in pages:
        assert_label_not_code(client.get(url, follow=True), url)
