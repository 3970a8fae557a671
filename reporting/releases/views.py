"""The release register and the steps of a proactive release: the secretariat approves a
report's public version, then releases it; the pack is downloaded here (and, once released,
from the public pages)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.rules import require
from core.views import post_only
from reporting.models import ProactiveRelease, Report
from reporting.releases import services
from reporting.releases.forms import ApproveForm, ReleaseForm
from reporting.releases.grounds import grounds_key

STALE = gettext_lazy(
    "Someone else approved or released this report while you were looking. Check it again."
)


def register(request):
    """Every public version approved or released, newest first."""
    entries = require(
        ProactiveRelease.objects.visible_to(request.user),
        "The release register is for the secretariat and the steering group.",
    ).select_related("report__plan", "report__period", "approved_by", "released_by")
    return render(
        request,
        "reporting/releases/register.html",
        {"entries": entries, "page_title": _("Release register")},
    )


@post_only(
    lambda pk: reverse("reporting:report_detail", kwargs={"pk": pk}),
    gettext_lazy("approve the public version for release"),
)
def approve(request, pk: int):
    manageable = require(
        Report.objects.buildable_by(request.user), "Only the secretariat approves releases."
    )
    report = get_object_or_404(manageable, pk=pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The approval didn't say which version it was made from."))
        return redirect(report)
    try:
        services.approve_public_version(
            report, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except services.StaleReleaseError:
        messages.error(request, str(STALE))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Public version approved. It can now be released."))
    return redirect(report)


def release(request, pk: int):
    """The release form (GET) and the release itself (POST)."""
    entry = get_object_or_404(
        require(
            ProactiveRelease.objects.manageable_by(request.user),
            "Only the secretariat releases reports.",
        ).select_related("report__plan", "report__period"),
        pk=pk,
    )
    if request.method != "POST":
        form = ReleaseForm(initial={"version": entry.version})
        return _release_page(request, entry, form)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return _release_page(request, entry, form, status=400)
    try:
        entry = services.release_report(
            entry,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            publisher=form.cleaned_data["publisher"],
            release_date=form.cleaned_data["release_date"],
        )
    except services.StaleReleaseError:
        messages.error(request, str(STALE))
        return redirect(entry.report)
    except ValidationError as refused:
        form.add_error(None, refused.messages)
        return _release_page(request, entry, form, status=400)
    messages.success(
        request,
        _("Released: %(report)s. It is on the public progress page.") % {"report": entry.report},
    )
    return redirect("reporting:release_register")


def _release_page(request, entry, form, status=200):
    return render(
        request,
        "reporting/releases/release_form.html",
        {
            "entry": entry,
            "form": form,
            "grounds": grounds_key(entry.grounds),
            "context_plan": entry.report.plan,
            "context_period": entry.report.period,
            "page_title": _("Release this report"),
        },
        status=status,
    )


def pack_download(request, pk: int):
    entry = get_object_or_404(ProactiveRelease.objects.visible_to(request.user).released(), pk=pk)
    return pack_response(entry)


def pack_response(entry: ProactiveRelease) -> FileResponse:
    if not entry.pack:
        raise Http404("This release has no pack.")
    return FileResponse(
        entry.pack.open("rb"),
        as_attachment=True,
        filename=f"{entry.download_name}.pdf",
        content_type="application/pdf",
    )
