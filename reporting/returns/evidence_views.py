"""Evidence on an update's page: attach a file or link, remove one, and download a file. The
download is the only way a file leaves the tracker: permission-checked, as an attachment, with
the type read from its content and no sniffing by the browser."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.views import post_only
from reporting.evidence import services as evidence_services
from reporting.evidence.downloads import attachment_response
from reporting.models import Evidence
from reporting.returns.review_forms import EvidenceForm
from reporting.returns.views import _visible_updates, render_update


@post_only(
    lambda pk: reverse("reporting:update_detail", kwargs={"pk": pk}) + "#evidence",
    gettext_lazy("attach evidence to this update"),
)
def evidence_attach(request, pk: int):
    update = get_object_or_404(_visible_updates(request.user), pk=pk)
    try:
        evidence_services.refuse_unless_attachable(update, None, request.user)
    except ValidationError as refused:  # their agency's, but submitted or frozen
        raise PermissionDenied(refused.messages[0]) from None
    form = EvidenceForm(request.POST, request.FILES, readings=evidence_services.readings_of(update))
    if form.is_valid():
        try:
            if form.cleaned_data["file"]:
                evidence = evidence_services.attach_file(
                    update,
                    upload=form.cleaned_data["file"],
                    reading=form.chosen_reading(),
                    by=request.user,
                )
            else:
                evidence = evidence_services.attach_link(
                    update,
                    url=form.cleaned_data["url"],
                    name=form.cleaned_data["name"],
                    reading=form.chosen_reading(),
                    by=request.user,
                )
        except ValidationError as refused:
            if hasattr(refused, "error_dict"):
                for field, errors in refused.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, refused.messages)
        else:
            messages.success(request, _("“%(name)s” attached.") % {"name": evidence.name})
            return redirect(reverse("reporting:update_detail", kwargs={"pk": pk}) + "#evidence")
    return render_update(request, update, evidence_form=form, status=400)


@post_only(lambda pk: reverse("reporting:home"), gettext_lazy("remove evidence from an update"))
def evidence_remove(request, pk: int):
    evidence = get_object_or_404(
        Evidence.objects.visible_to(request.user).select_related("update", "reading"), pk=pk
    )
    update_pk = evidence.update_id or _update_of_reading(evidence, request.user)
    evidence_services.remove_evidence(evidence, by=request.user)
    messages.success(request, _("“%(name)s” removed.") % {"name": evidence.name})
    return redirect(reverse("reporting:update_detail", kwargs={"pk": update_pk}) + "#evidence")


def evidence_download(request, pk: int):
    """The file, to those who may see what it is attached to (a link is shown as a link)."""
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user).files(), pk=pk)
    return attachment_response(evidence)


def _update_of_reading(evidence: Evidence, user) -> int:
    reading = evidence.reading
    return (
        _visible_updates(user)
        .get(
            action=reading.measure.action_id,
            agency=reading.agency_id,
            period__ends_on=reading.date,
        )
        .pk
    )
