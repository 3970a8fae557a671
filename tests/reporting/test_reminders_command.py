"""``python manage.py send_reminders``: the reminder job by hand."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from actions.models import ActionAgency
from reporting.models import ReminderLog
from tests.actions.factories import ActionAgencyFactory, ActionFactory
from tests.reporting.factories import ReportingPeriodFactory

OPENS = "2026-09-16"
DAY_AFTER_DUE = "2026-10-15"


@pytest.fixture
def period(agency, lead, other_agency, other_lead, secretariat_user):
    period = ReportingPeriodFactory(year=2026, quarter=3)
    for number, coordinator in (("1", agency), ("2", other_agency)):
        action = ActionFactory(plan__slug="tsoc", number=number)
        ActionAgencyFactory(action=action, agency=coordinator, role=ActionAgency.Role.COORDINATING)
    return period


@pytest.fixture
def send_reminders(db, django_capture_on_commit_callbacks):
    """``send_reminders(*args)``: run the command, with the sends it queues run in-process."""

    def run(*args):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", *args, stdout=out)
        return out.getvalue()

    return run


# Outside a test transaction, as from a shell: each send happens as its claim commits.
@pytest.mark.django_db(transaction=True)
def test_it_sends_what_is_due_and_a_second_run_sends_nothing(
    period, lead, other_lead, send_reminders
):
    first = send_reminders("--date", OPENS)
    second = send_reminders("--date", OPENS)

    assert f"sent: Q1 2026/27 Returns open to {lead.email}, 1 actions" in first
    assert f"sent: Q1 2026/27 Returns open to {other_lead.email}, 1 actions" in first
    assert "2 new reminders; 0 sent before." in first
    assert f"already sent: Q1 2026/27 Returns open to {lead.email}" in second
    assert "0 new reminders; 2 sent before." in second
    assert len(mail.outbox) == 2


def test_overdue_run_escalates_to_the_secretariat(period, secretariat_user, send_reminders):
    output = send_reminders("--date", DAY_AFTER_DUE, "--period", "2026-Q3")

    assert f"Escalation to the secretariat to {secretariat_user.email}, 2 actions" in output
    assert "Overdue notice to" in output


def test_a_dry_run_lists_what_is_due_and_sends_nothing(period, lead, send_reminders):
    output = send_reminders("--date", OPENS, "--dry-run")

    assert f"would send: Q1 2026/27 Returns open to {lead.email}, 1 actions" in output
    assert "Dry run: 2 due, nothing sent." in output
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()


def test_a_dry_run_shows_what_was_sent_already(period, lead, send_reminders):
    ReminderLog.objects.create(
        period=period,
        kind="opened",
        email=lead.email,
        subject="s",
        text_body="t",
        html_body="h",
        action_count=1,
    )

    output = send_reminders("--date", OPENS, "--dry-run")

    assert f"already sent: Q1 2026/27 Returns open to {lead.email}" in output


def test_an_unknown_period_is_refused(period, send_reminders):
    with pytest.raises(CommandError, match="There is no reporting period 2031-Q1"):
        send_reminders("--period", "2031-Q1")


def test_a_period_that_is_not_open_sends_nothing(period, send_reminders):
    period.state = period.State.CLOSED
    period.save()

    output = send_reminders("--period", "2026-Q3", "--date", OPENS)

    assert "Q1 2026/27 is not open for returns" in output
    assert mail.outbox == []


def test_a_bad_date_is_refused(send_reminders):
    with pytest.raises(CommandError, match="give a date as YYYY-MM-DD"):
        send_reminders("--date", "15/10/2026")


def test_without_a_date_today_is_todays_date_in_new_zealand(
    period, lead, monkeypatch, send_reminders
):
    # 12:30 on 6 October in UTC is already 7 October in Auckland: due-date reminder day.
    utc_instant = datetime.datetime(2026, 10, 6, 12, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: utc_instant)

    output = send_reminders("--dry-run")

    assert f"would send: Q1 2026/27 Due-date reminder to {lead.email}" in output


@pytest.mark.parametrize("name", ["Q1 2026/27", "2026/27-Q1", "q1 2026/2027", "2026-Q3"])
def test_a_period_is_named_by_its_label_or_its_code(period, lead, send_reminders, name):
    output = send_reminders("--period", name, "--date", OPENS, "--dry-run")

    assert f"would send: Q1 2026/27 Returns open to {lead.email}, 1 actions" in output


def test_an_unreadable_period_names_the_forms_to_use(period, send_reminders):
    with pytest.raises(CommandError, match=r"Q1 2026/27.*2026/27-Q1.*2026-Q3"):
        send_reminders("--period", "Q1 2026")
