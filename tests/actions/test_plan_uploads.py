"""Importing a plan by upload: the preview (added, changed cell by cell, unchanged, problems),
confirming exactly what was previewed, discarding, the background check, and the command that
shares the service."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from actions.models import Action
from actions.services import PreviewOutdated, import_plan_file, preview_plan_file
from actions.services.plan_template import COLUMNS
from actions.uploads.models import PlanUpload

from .conftest import TSOC_PLAN
from .plan_files import NEW_ACTION, revised_plan

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# The service ---------------------------------------------------------------------------------


def test_a_preview_shows_each_change_cell_by_cell_and_changes_nothing(tsoc_plan):
    old_title = tsoc_plan.actions.get(number="1").title
    actions_before = Action.objects.count()

    changes = preview_plan_file(revised_plan(tsoc_plan), plan_slug=TSOC_PLAN, filename="p.csv")

    assert [(a.number, a.title) for a in changes.added] == [("99", NEW_ACTION["title"])]
    added = {cell.column: (cell.before, cell.after) for cell in changes.added[0].cells}
    assert added["lead_agencies"] == ("", "New Zealand Police")
    [changed] = changes.changed
    assert changed.number == "1" and changed.row == 2
    assert [(c.column, c.before, c.after) for c in changed.cells] == [
        ("title", old_title, "A clearer first action")
    ]
    file_actions = tsoc_plan.actions.exclude(kind=Action.Kind.STRAND).count()
    assert len(changes.unchanged) == file_actions - 1
    assert Action.objects.count() == actions_before
    assert tsoc_plan.actions.get(number="1").title == old_title


def test_importing_as_previewed_makes_those_changes_and_names_who_made_them(
    tsoc_plan, secretariat_user
):
    changes = preview_plan_file(revised_plan(tsoc_plan), plan_slug=TSOC_PLAN, filename="p.csv")

    result = import_plan_file(
        revised_plan(tsoc_plan),
        plan_slug=TSOC_PLAN,
        filename="p.csv",
        by=secretariat_user,
        as_previewed=changes.fingerprint,
    )

    action = tsoc_plan.actions.get(number="1")
    assert action.title == "A clearer first action"
    assert action.history.first().history_user == secretariat_user
    added = tsoc_plan.actions.get(number="99")
    assert added.history.first().history_user == secretariat_user
    assert result.changes.fingerprint == changes.fingerprint


def test_a_preview_made_before_the_plan_changed_is_not_applied(tsoc_plan):
    changes = preview_plan_file(revised_plan(tsoc_plan), plan_slug=TSOC_PLAN, filename="p.csv")
    tsoc_plan.actions.filter(number="2").update(title="Changed in the meantime")

    with pytest.raises(PreviewOutdated):
        import_plan_file(
            revised_plan(tsoc_plan),  # exported again: it has the new title of 2 too
            plan_slug=TSOC_PLAN,
            filename="p.csv",
            as_previewed=changes.fingerprint,
        )

    assert tsoc_plan.actions.get(number="1").title != "A clearer first action"
    assert not tsoc_plan.actions.filter(number="99").exists()


def test_the_command_previews_with_dry_run_and_writes_nothing(tsoc_plan, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(revised_plan(tsoc_plan).getvalue())
    out = io.StringIO()

    call_command("import_plan", str(path), plan=TSOC_PLAN, dry_run=True, stdout=out)

    assert "Added 99" in out.getvalue()
    assert "Title: " in out.getvalue() and "→ 'A clearer first action'" in out.getvalue()
    assert "Nothing was changed (--dry-run)" in out.getvalue()
    assert not tsoc_plan.actions.filter(number="99").exists()


def test_the_command_imports_and_names_whom_the_history_records(
    tsoc_plan, tmp_path, secretariat_user
):
    path = tmp_path / "plan.csv"
    path.write_bytes(revised_plan(tsoc_plan).getvalue())

    call_command(
        "import_plan", str(path), plan=TSOC_PLAN, by="sam.secretariat", stdout=io.StringIO()
    )

    assert tsoc_plan.actions.get(number="99").history.first().history_user == secretariat_user
    with pytest.raises(CommandError, match="no active user"):
        call_command("import_plan", str(path), plan=TSOC_PLAN, by="nobody")


# The pages -----------------------------------------------------------------------------------


def upload(client, plan, file, name="revised.csv"):
    file.name = name
    return client.post("/plan-uploads/new/", {"plan": plan.pk, "file": file})


def test_the_secretariat_uploads_reads_the_preview_and_confirms_it(
    client_for, tsoc_plan, secretariat_user, media
):
    client = client_for(secretariat_user)
    old_title = tsoc_plan.actions.get(number="1").title

    response = upload(client, tsoc_plan, revised_plan(tsoc_plan))
    page = client.get(response["Location"])

    made = PlanUpload.objects.get()
    assert made.state == PlanUpload.State.READY and made.uploaded_by == secretariat_user
    text = page.content.decode()
    assert "Actions added (1)" in text and "Actions changed (1)" in text
    assert old_title in text and "A clearer first action" in text
    assert tsoc_plan.actions.get(number="1").title == old_title  # not yet

    confirmed = client.post(
        f"/plan-uploads/{made.pk}/confirm/", {"fingerprint": made.changes.fingerprint}
    )

    assert confirmed.status_code == 302
    made.refresh_from_db()
    assert made.state == PlanUpload.State.APPLIED and made.decided_by == secretariat_user
    assert tsoc_plan.actions.get(number="1").title == "A clearer first action"
    assert tsoc_plan.actions.get(number="99").history.first().history_user == secretariat_user


def test_a_file_with_problems_lists_each_by_row_and_column_and_changes_nothing(
    client_for, tsoc_plan, secretariat_user, media
):
    header = ",".join(COLUMNS)
    bad = io.BytesIO(f"{header}\n1,,,,,,,,Polise\n".encode())
    client = client_for(secretariat_user)

    page = client.get(upload(client, tsoc_plan, bad)["Location"])

    made = PlanUpload.objects.get()
    assert made.state == PlanUpload.State.REFUSED
    assert {(p["row"], p["column"]) for p in made.problems} >= {
        (2, "title"),
        (2, "lead_agencies"),
    }
    assert "Unknown agency “Polise”" in page.content.decode()
    assert b"Confirm and apply" not in page.content


def test_a_large_file_is_checked_in_the_background_its_page_showing_progress(
    client_for, tsoc_plan, secretariat_user, media, settings, django_capture_on_commit_callbacks
):
    settings.PLAN_UPLOAD_BACKGROUND_BYTES = 100
    client = client_for(secretariat_user)

    with django_capture_on_commit_callbacks() as queued:
        response = upload(client, tsoc_plan, revised_plan(tsoc_plan))
    made = PlanUpload.objects.get()
    assert made.state == PlanUpload.State.CHECKING
    waiting = client.get(response["Location"])
    assert waiting["Refresh"] == "2" and b"Checking the file" in waiting.content
    assert b'role="status" aria-live="polite"' in waiting.content

    for callback in queued:
        callback()  # the task (run eagerly here, as in `make run` without Redis)

    made.refresh_from_db()
    assert made.state == PlanUpload.State.READY
    assert made.rows_checked == made.rows_total > 0
    assert "Refresh" not in client.get(response["Location"])


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(
    client_for, tsoc_plan, secretariat_user, media, settings
):
    settings.PLAN_IMPORT_MAX_BYTES = 1000

    response = upload(client_for(secretariat_user), tsoc_plan, revised_plan(tsoc_plan))

    assert response.status_code == 400
    assert "PLAN_IMPORT_MAX_BYTES = 1000" in response.content.decode()
    assert not PlanUpload.objects.exists()


def test_confirming_after_the_plan_changed_checks_the_file_again_instead(
    client_for, tsoc_plan, secretariat_user, media
):
    client = client_for(secretariat_user)
    upload(client, tsoc_plan, revised_plan(tsoc_plan))
    made = PlanUpload.objects.get()
    seen = made.changes.fingerprint
    tsoc_plan.actions.filter(number="2").update(title="Changed in the meantime")

    response = client.post(f"/plan-uploads/{made.pk}/confirm/", {"fingerprint": seen}, follow=True)

    assert "The plan has changed since you read this preview" in response.content.decode()
    made.refresh_from_db()
    assert made.state == PlanUpload.State.READY and made.changes.fingerprint != seen
    # The new preview says the file would put 2's title back.
    assert {a.number for a in made.changes.changed} == {"1", "2"}
    assert not tsoc_plan.actions.filter(number="99").exists()


def test_discarding_removes_the_file_and_changes_nothing(
    client_for, tsoc_plan, secretariat_user, media, django_capture_on_commit_callbacks
):
    client = client_for(secretariat_user)
    upload(client, tsoc_plan, revised_plan(tsoc_plan))
    made = PlanUpload.objects.get()
    stored = made.file.name
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/plan-uploads/{made.pk}/discard/")

    made.refresh_from_db()
    assert made.state == PlanUpload.State.DISCARDED and made.decided_by == secretariat_user
    assert not default_storage.exists(stored)
    assert not tsoc_plan.actions.filter(number="99").exists()


def test_an_expired_preview_cannot_be_confirmed(client_for, tsoc_plan, secretariat_user, media):
    client = client_for(secretariat_user)
    upload(client, tsoc_plan, revised_plan(tsoc_plan))
    made = PlanUpload.objects.get()
    PlanUpload.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = client.post(
        f"/plan-uploads/{made.pk}/confirm/", {"fingerprint": made.changes.fingerprint}, follow=True
    )

    assert "This preview has expired" in response.content.decode()
    assert not tsoc_plan.actions.filter(number="99").exists()


def test_the_plan_downloads_in_the_template_to_revise(client_for, tsoc_plan, secretariat_user):
    response = client_for(secretariat_user).get(f"/plan-uploads/plans/{TSOC_PLAN}.csv")

    assert response["Content-Disposition"] == f'attachment; filename="{TSOC_PLAN}.csv"'
    assert response.content.decode("utf-8-sig").startswith("number,parent,title")


def test_only_the_secretariat_uploads_plan_files(client_for, tsoc_plan, lead, viewer, media):
    for person in (lead, viewer):
        client = client_for(person)
        assert client.get("/plan-uploads/").status_code == 403
        assert upload(client, tsoc_plan, revised_plan(tsoc_plan)).status_code == 403
    assert not PlanUpload.objects.exists()


def test_a_file_discarded_before_its_check_runs_stays_discarded(
    client_for, tsoc_plan, secretariat_user, media, settings, django_capture_on_commit_callbacks
):
    settings.PLAN_UPLOAD_BACKGROUND_BYTES = 100
    client = client_for(secretariat_user)
    with django_capture_on_commit_callbacks() as queued:
        upload(client, tsoc_plan, revised_plan(tsoc_plan))
    made = PlanUpload.objects.get()
    client.post(f"/plan-uploads/{made.pk}/discard/")

    for callback in queued:
        callback()  # the queued check, reaching the worker after the discard

    made.refresh_from_db()
    assert made.state == PlanUpload.State.DISCARDED and made.preview == {}
