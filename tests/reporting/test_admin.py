"""The reporting admin: every model listed; reminders and reports are records, read and never
changed; withheld text is changed or released with its history; and the Secretariat group has
what it needs there from the moment the database is migrated."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from agencies.roles import SECRETARIAT
from reporting.models import ReminderLog, Report, ReportingPeriod, StatusUpdate, Withholding
from reporting.reminders.schedule import TICK_NAME
from tests.reporting.factories import ReminderLogFactory
from tests.reporting.reports_setup import small_plan
from tests.reporting.test_reports import ready_report

pytestmark = pytest.mark.django_db


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def world(agency, other_agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    setup = small_plan(agency, other_agency)
    return {
        "period": setup.period,
        "update": setup.updates[("1", "customs", "2026-Q3")],
        "reminder": ReminderLogFactory(period=setup.period),
        "report": ready_report(setup),
        "withholding": Withholding.objects.create(
            action=setup.actions["1"], field="description", ground="6(c)"
        ),
    }


@pytest.fixture
def secretariat(secretariat_user, client_for):
    """A secretariat member with staff status, signed in."""
    secretariat_user.is_staff = True
    secretariat_user.save()
    return client_for(secretariat_user)


def test_every_reporting_model_is_in_the_admin():
    models = list(apps.get_app_config("reporting").get_models())
    assert [m for m in models if not m.__name__.startswith("Historical")] == [
        m for m in models if admin.site.is_registered(m)
    ]


def test_migrate_gives_the_secretariat_group_its_admin_permissions():
    permissions = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=SECRETARIAT).permissions.select_related("content_type")
    }
    assert {
        "actions.change_action",
        "agencies.add_agencyalias",
        "reporting.change_reportingperiod",
        "reporting.view_statusupdate",
        "reporting.view_reminderlog",
        "reporting.view_report",
        "reporting.change_withholding",
        "reporting.delete_withholding",
        "django_celery_beat.change_periodictask",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    } <= permissions
    assert (
        not {
            "reporting.change_statusupdate",
            "reporting.change_reminderlog",
            "reporting.delete_report",
            "axes.change_accessattempt",
            "axes.delete_accesslog",
        }
        & permissions
    )


def test_the_secretariat_reads_every_reporting_record_in_the_admin(world, secretariat):
    records = [
        (ReportingPeriod, world["period"]),
        (StatusUpdate, world["update"]),
        (ReminderLog, world["reminder"]),
        (Report, world["report"]),
        (Withholding, world["withholding"]),
    ]
    for model, record in records:
        assert secretariat.get(url(model, "changelist")).status_code == 200, model
        assert secretariat.get(url(model, "change", record.pk)).status_code == 200, model


@pytest.mark.parametrize("model", [ReminderLog, Report])
def test_reminders_and_reports_are_records_nobody_changes_in_the_admin(
    world, secretariat, admin_client, model
):
    record = world["reminder" if model is ReminderLog else "report"]
    before = model.objects.values().get(pk=record.pk)
    for client in (secretariat, admin_client):
        page = client.get(url(model, "change", record.pk)).content.decode()
        assert 'name="_save"' not in page
        assert client.post(url(model, "change", record.pk), {"state": "failed"}).status_code == 403
        assert client.post(url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
        assert client.get(url(model, "add")).status_code == 403
    assert model.objects.values().get(pk=record.pk) == before


def test_a_reports_pdf_is_linked_through_the_permission_checked_download(world, secretariat):
    report = world["report"]
    download = reverse("reporting:report_download", kwargs={"pk": report.pk})

    page = secretariat.get(url(Report, "change", report.pk)).content.decode()

    assert f'href="{download}"' in page
    assert "/media/" not in page
    assert secretariat.get(download)["Content-Type"] == "application/pdf"


def test_the_secretariat_changes_and_releases_withheld_text_with_its_history(
    world, secretariat, secretariat_user
):
    withholding = world["withholding"]
    changed = secretariat.post(
        url(Withholding, "change", withholding.pk),
        {"ground": "6(a)", "marking": "SENSITIVE", "note": "Ministerial advice"},
    )
    assert changed.status_code == 302
    withholding.refresh_from_db()
    assert (withholding.ground, withholding.marking) == ("6(a)", "SENSITIVE")
    assert withholding.field == "description"  # what is withheld is not changed here
    change = withholding.history.latest()
    assert (change.history_type, change.history_user, change.ground) == (
        "~",
        secretariat_user,
        "6(a)",
    )
    history = secretariat.get(url(Withholding, "history", withholding.pk))
    assert secretariat_user.username in history.content.decode()

    released = secretariat.post(url(Withholding, "delete", withholding.pk), {"post": "yes"})
    assert released.status_code == 302
    assert not Withholding.objects.exists()
    gone = Withholding.history.latest()
    assert (gone.history_type, gone.history_user) == ("-", secretariat_user)


def test_text_is_withheld_from_the_reports_pages_not_the_admin(world, secretariat):
    assert secretariat.get(url(Withholding, "add")).status_code == 403


def test_the_secretariat_can_pause_the_reminder_schedule(secretariat):
    job = PeriodicTask.objects.get(name=TICK_NAME)
    page = secretariat.get(url(PeriodicTask, "change", job.pk))
    assert page.status_code == 200
    assert 'name="_save"' in page.content.decode()


def test_agency_people_with_staff_status_see_no_reporting_records(world, lead, client_for):
    lead.is_staff = True
    lead.save()
    client = client_for(lead)
    for model in (ReportingPeriod, StatusUpdate, ReminderLog, Report, Withholding):
        assert client.get(url(model, "changelist")).status_code == 403, model
