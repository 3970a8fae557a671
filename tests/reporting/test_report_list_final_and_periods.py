"""Lists that read well: the periods page (open first, then upcoming nearest first, then past,
each with the plans it covers) and the reports page (what tells reports apart, marking one final,
deleting a mistaken one)."""

import pytest
from django.core.files.storage import default_storage

from reporting.models import Report, ReportingPeriod
from reporting.reports import services
from reporting.reports.documents import report_html
from tests.actions.factories import ActionPlanFactory
from tests.reporting.factories import ReportingPeriodFactory
from tests.reporting.releases_setup import approved_release
from tests.reporting.reports_setup import small_plan
from tests.reporting.test_reports import ready_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agency, other_agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return small_plan(agency, other_agency)


def test_the_open_period_comes_first_then_upcoming_nearest_first_then_past(
    world, client_for, secretariat_user
):
    for year, quarter in ((2027, 2), (2026, 4), (2027, 1)):
        ReportingPeriodFactory(year=year, quarter=quarter, state=ReportingPeriod.State.UPCOMING)
    ReportingPeriodFactory(year=2026, quarter=1, state=ReportingPeriod.State.CLOSED)

    response = client_for(secretariat_user).get("/periods/")

    groups = [
        (state, [p.code for p in periods])
        for state, _, periods in response.context["period_groups"]
    ]
    assert groups == [
        ("open", ["2026-Q3"]),
        ("upcoming", ["2026-Q4", "2027-Q1", "2027-Q2"]),
        ("closed", ["2026-Q2", "2026-Q1"]),
    ]
    text = response.content.decode()
    assert text.index("Open for returns") < text.index("Upcoming") < text.index("Closed")


def test_each_period_lists_every_plan_it_covers(world, client_for, secretariat_user):
    ActionPlanFactory(
        strategy=world.plan.strategy,
        short_title="Next plan",
        start_date="2026-09-01",
        end_date="2028-06-30",
    )

    response = client_for(secretariat_user).get("/periods/")

    by_code = {p.code: p for _, _, periods in response.context["period_groups"] for p in periods}
    assert [p.short_title for p in by_code["2026-Q3"].plans] == ["TSOC test plan", "Next plan"]
    assert [p.short_title for p in by_code["2026-Q2"].plans] == ["TSOC test plan"]


def test_the_reports_list_tells_identical_reports_apart(world, client_for, secretariat_user):
    first = ready_report(world, requested_by=secretariat_user)
    second = ready_report(world, requested_by=secretariat_user)

    Report.objects.filter(pk=second.pk).update(built_at="2026-10-02T09:15:00+13:00")

    text = client_for(secretariat_user).get("/reports/").content.decode()

    assert f"No. {first.pk}" in text and f"No. {second.pk}" in text
    for shown in ("<td>Cabinet</td>", "<td>Full report</td>", world.period.label, "Not yet"):
        assert shown in text
    assert "2 October 2026, 9.15 am" in text
    who = secretariat_user.get_full_name() or secretariat_user.username
    assert f"by {who}" in text


def test_marking_a_report_final_records_who_and_when_and_rebuilds_it_saying_final(
    world, secretariat_user, django_capture_on_commit_callbacks
):
    report = ready_report(world)

    with django_capture_on_commit_callbacks() as queued:
        services.mark_final(report, by=secretariat_user)

    report.refresh_from_db()
    assert report.is_final and report.final_by == secretariat_user
    builds = [
        callback for callback in queued if getattr(callback, "func", None) is services._queue_build
    ]
    assert report.state == Report.State.QUEUED and len(builds) == 1  # rebuilt with its new cover
    assert report.history.first().history_user == secretariat_user
    assert '<p class="cover__final">Final</p>' in report_html(report)
    assert "cover__final" not in report_html(ready_report(world))


def test_a_final_report_cannot_be_deleted(world, client_for, secretariat_user):
    report = ready_report(world)
    services.mark_final(report, by=secretariat_user)
    Report.objects.filter(pk=report.pk).update(state=Report.State.READY)  # rebuilt
    client = client_for(secretariat_user)

    page = client.get(f"/reports/{report.pk}/delete/")
    response = client.post(f"/reports/{report.pk}/delete/", follow=True)

    assert "it is final" in page.content.decode()
    assert b"Delete the report" not in page.content
    assert "can't be deleted" in response.content.decode()
    assert Report.objects.filter(pk=report.pk).exists()


def test_deleting_a_report_asks_first_then_removes_it_and_its_pdf(
    world, client_for, secretariat_user, django_capture_on_commit_callbacks
):
    report = ready_report(world)
    stored = report.file.name
    client = client_for(secretariat_user)

    page = client.get(f"/reports/{report.pk}/delete/")
    assert page.status_code == 200 and b"Delete the report" in page.content
    assert Report.objects.filter(pk=report.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/{report.pk}/delete/")

    assert response.status_code == 302
    assert not Report.objects.filter(pk=report.pk).exists()
    assert not default_storage.exists(stored)
    deletion = Report.history.filter(id=report.pk, history_type="-").get()
    assert deletion.history_user == secretariat_user


def test_a_report_in_the_release_register_or_being_built_cannot_be_deleted(world, secretariat_user):
    building = Report.objects.create(
        plan=world.plan, period=world.period, audience="cabinet", state=Report.State.BUILDING
    )
    in_register = approved_release(world, secretariat_user).report
    mistaken = ready_report(world)

    assert set(Report.objects.removable_by(secretariat_user)) == {mistaken}
    assert {building, in_register} <= set(Report.objects.all())


def test_only_the_secretariat_marks_final_or_deletes(world, client_for, viewer):
    report = ready_report(world)
    client = client_for(viewer)

    assert client.post(f"/reports/{report.pk}/final/").status_code == 403
    assert client.post(f"/reports/{report.pk}/delete/").status_code == 403
    report.refresh_from_db()
    assert not report.is_final
