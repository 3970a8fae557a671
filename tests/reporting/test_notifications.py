"""Notifications about returns go exactly once through the reminder log, so the period page lists
them: returned (to the agency's leads and the author, with the comment and a link), accepted (to
the author), and one digest a day of submissions to the secretariat."""

import datetime
import os
import subprocess
import sys

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reporting.models import ReminderLog
from reporting.reminders.notify import returned_notices
from reporting.reminders.tasks import claim, queue_due_reminders
from reporting.returns import services
from tests.reporting.test_return_pages import form_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(contributor, lead, agency, action, period):
    update = services.start_update(
        action,
        period,
        agency,
        data={"status": "on_track", "percent_complete": 30, "commentary": "Two operations."},
        by=contributor,
    )
    return services.submit_update(update, by=lead, expected_version=update.version)


def test_a_returned_update_emails_the_leads_and_author_once_with_the_comment_and_a_link(
    submitted, secretariat_user, lead, contributor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.return_update(
            submitted,
            by=secretariat_user,
            comment="Add the seizure figures.",
            expected_version=submitted.version,
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, contributor.email])
    message = mail.outbox[0]
    assert message.subject == (
        "[IN CONFIDENCE] TSOC Tracker: "
        f"Customs's update on TSOC {submitted.action.number} was returned for changes"
    )
    assert "Add the seizure figures." in message.body
    assert "https://" in message.body or "http://" in message.body
    assert form_url(submitted.action, submitted.agency, submitted.period) in message.body
    logs = ReminderLog.objects.filter(update=submitted, kind="returned")
    assert logs.count() == 2 and all(log.status == "sent" for log in logs)


def test_the_same_notification_is_never_claimed_twice(submitted, secretariat_user):
    services.return_update(
        submitted, by=secretariat_user, comment="Figures, please.", expected_version=2
    )
    assert [claim(draft) for draft in returned_notices(submitted)] == [None, None]
    assert ReminderLog.objects.filter(kind="returned").count() == 2


def test_an_accepted_update_emails_its_author_with_the_comment(
    submitted, secretariat_user, contributor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_update(
            submitted, by=secretariat_user, comment="Clear, thank you.", expected_version=2
        )
    (message,) = mail.outbox
    assert message.to == [contributor.email]
    assert "was accepted" in message.subject
    assert "Clear, thank you." in message.body


def test_notifications_show_on_the_period_page(client_for, submitted, secretariat_user):
    services.accept_update(submitted, by=secretariat_user, expected_version=2)
    page = client_for(secretariat_user).get(
        reverse("reporting:period_detail", kwargs={"code": submitted.period.code})
    )
    assert "Update accepted" in page.content.decode()


def test_the_secretariat_gets_one_digest_a_day_of_the_days_submissions(
    submitted, secretariat_user, period, django_capture_on_commit_callbacks
):
    day = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        queue_due_reminders(today=day + datetime.timedelta(days=1), periods=[period])
        queue_due_reminders(today=day + datetime.timedelta(days=1), periods=[period])
    digests = [m for m in mail.outbox if "submitted on" in m.subject]
    assert sorted(m.to[0] for m in digests) == sorted(
        [secretariat_user.email, "tsoc-secretariat@localhost"]
    )
    assert "TSOC" in digests[0].body and "Customs" in digests[0].body
    assert ReminderLog.objects.filter(kind="submitted").count() == 2
    # No submissions the next day: no digest.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        queue_due_reminders(today=day + datetime.timedelta(days=2), periods=[period])
    assert not [m for m in mail.outbox if "submitted on" in m.subject]


def test_a_web_process_answers_reviews_with_notifications_from_start_up():
    """In a fresh process (as gunicorn starts one), Django's set-up alone connects the review
    notifications: nothing else imports the reminders' tasks in a web process."""
    check = (
        "import django; django.setup(); "
        "from reporting.returns.signals import update_reviewed; "
        "print(len(update_reviewed.receivers))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tsoc_tracker.settings_test"}
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env=env, check=True
    )

    assert result.stdout.strip() == "1"
