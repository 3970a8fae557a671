"""Checking an uploaded plan file: the import's own preview, with the rows counted as they are
checked so the upload's page can show how far it has got."""

from django.utils.translation import gettext_noop

from actions.services import ImportProblem, PlanImportError, preview_plan_file

from .models import PlanUpload

CHECK_FAILED = gettext_noop(
    "The file could not be checked (%(error)s). Nothing was changed: upload it again."
)


def check_upload(upload_id: int) -> PlanUpload:
    """Check an upload's file, recording its preview or its problems."""
    upload = PlanUpload.objects.select_related("plan").get(pk=upload_id)
    if upload.state != PlanUpload.State.CHECKING:
        return upload

    def progress(checked: int, total: int) -> None:
        # About fifty updates, however long the file.
        if checked == total or checked % max(1, total // 50) == 0:
            PlanUpload.objects.filter(pk=upload_id).update(rows_checked=checked, rows_total=total)

    try:
        with upload.file.open("rb") as file:
            changes = preview_plan_file(
                file, plan_slug=upload.plan.slug, filename=upload.filename, on_progress=progress
            )
    except PlanImportError as error:
        outcome = {"state": PlanUpload.State.REFUSED, "problems": as_json(error.problems)}
    else:
        outcome = {"state": PlanUpload.State.READY, "problems": [], "preview": changes.to_json()}
    # Only if still being checked: someone may have discarded it meanwhile.
    PlanUpload.objects.filter(pk=upload_id, state=PlanUpload.State.CHECKING).update(**outcome)
    upload.refresh_from_db()
    return upload


def fail_check(upload_id: int, message: str) -> None:
    """Record that checking an upload failed for a reason outside the file."""
    PlanUpload.objects.filter(pk=upload_id, state=PlanUpload.State.CHECKING).update(
        state=PlanUpload.State.REFUSED, problems=as_json([ImportProblem(message)])
    )


def as_json(problems: list[ImportProblem]) -> list[dict]:
    return [
        {"message": problem.message, "row": problem.row, "column": problem.column}
        for problem in problems
    ]
