"""The upload pages: choose a file, watch it being checked, read the preview, confirm or discard.
Every page is the secretariat's (``PlanUpload.objects.manageable_by``)."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from actions.models import ActionPlan
from actions.services import EXPORT_FORMATS, PlanImportError, export_plan
from actions.services.exports import plan_marking
from core.markings import mark_page
from core.rules import require
from core.views import post_only

from . import services
from .forms import PlanUploadForm
from .models import PlanUpload

# While a file is being checked its page reloads itself this often (seconds), without script.
REFRESH_SECONDS = 2
RECENT = 20
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _uploads(user):
    return require(PlanUpload.objects.manageable_by(user), services.REFUSAL)


def _plans(user):
    return ActionPlan.objects.visible_to(user).select_related("strategy")


def upload_list(request):
    """The form, set to ``?plan=`` if given, and the latest uploads."""
    _uploads(request.user)
    plans = _plans(request.user)
    form = PlanUploadForm(
        plans=plans, initial={"plan": plans.filter(slug=request.GET.get("plan")).first()}
    )
    return _render_list(request, form)


def _render_list(request, form, status=200):
    uploads = _uploads(request.user).select_related("plan", "uploaded_by", "decided_by")
    return render(
        request,
        "actions/uploads/upload_list.html",
        {
            "form": form,
            "uploads": uploads[:RECENT],
            "plans": _plans(request.user),
            "page_title": _("Upload a plan file"),
        },
        status=status,
    )


@post_only(lambda: reverse("plan_uploads:list"), gettext_lazy("upload a plan file"))
def upload_create(request):
    _uploads(request.user)
    form = PlanUploadForm(request.POST, request.FILES, plans=_plans(request.user))
    if not form.is_valid():
        return _render_list(request, form, status=400)
    file = form.cleaned_data["file"]
    try:
        upload = services.start_upload(
            form.cleaned_data["plan"], file, filename=file.name, by=request.user
        )
    except PlanImportError as error:  # over the size limit: nothing is kept
        for problem in error.problems:
            form.add_error("file", str(problem))
        return _render_list(request, form, status=400)
    return redirect(upload)


def upload_detail(request, pk: int):
    upload = get_object_or_404(
        _uploads(request.user).select_related("plan", "uploaded_by", "decided_by"), pk=pk
    )
    mark_page(request, plan_marking(upload.plan))
    response = render(
        request,
        "actions/uploads/upload_detail.html",
        {
            "upload": upload,
            "changes": upload.changes,
            "context_plan": upload.plan,
            "refresh_seconds": REFRESH_SECONDS,
            "page_title": f"{upload.filename}: {upload.get_state_display()}",
        },
    )
    if upload.state == PlanUpload.State.CHECKING:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@post_only(
    lambda pk: reverse("plan_uploads:detail", kwargs={"pk": pk}), gettext_lazy("confirm the upload")
)
def upload_confirm(request, pk: int):
    upload = get_object_or_404(_uploads(request.user), pk=pk)
    try:
        confirmation = services.confirm_upload(
            upload, by=request.user, fingerprint=request.POST.get("fingerprint", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(upload)
    if confirmation.outdated:
        messages.warning(
            request,
            _(
                "The plan has changed since you read this preview, so nothing was changed. The "
                "file has been checked again: read what it would change now before confirming."
            ),
        )
    elif confirmation.result is not None:
        changes = confirmation.result.changes
        added, changed = len(changes.added), len(changes.changed)
        messages.success(
            request,
            ngettext(
                "%(plan)s is updated from %(file)s: %(added)s action added, %(changed)s changed.",
                "%(plan)s is updated from %(file)s: %(added)s actions added, %(changed)s changed.",
                added,
            )
            % {
                "plan": upload.plan.short_title,
                "file": upload.filename,
                "added": added,
                "changed": changed,
            },
        )
    else:
        messages.error(request, _("The file can't be applied now, so nothing was changed."))
    return redirect(upload)


@post_only(
    lambda pk: reverse("plan_uploads:detail", kwargs={"pk": pk}), gettext_lazy("discard the upload")
)
def upload_discard(request, pk: int):
    upload = get_object_or_404(_uploads(request.user), pk=pk)
    try:
        services.discard_upload(upload, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(upload)
    messages.info(
        request, _("%(file)s is discarded; the plan is as it was.") % {"file": upload.filename}
    )
    return redirect("plan_uploads:list")


def plan_file(request, plan: str, format: str):
    """The plan in the template, to revise and upload again."""
    _uploads(request.user)
    if format not in EXPORT_FORMATS:
        raise Http404("A plan downloads as .csv or .xlsx.")
    found = get_object_or_404(_plans(request.user), slug=plan)
    content = io.BytesIO()
    export_plan(found, content, format=format)
    response = HttpResponse(content.getvalue(), content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{found.slug}.{format}"'
    return response
