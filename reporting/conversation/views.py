"""The conversation on an update's page: posting a comment, and the secretariat withholding one
from proactive release."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.rules import require
from core.views import post_only
from reporting.conversation import services
from reporting.models import Comment, Withholding
from reporting.returns.review_forms import CommentForm, WithholdCommentForm
from reporting.returns.views import _visible_updates, render_update


def _conversation(pk: int) -> str:
    return reverse("reporting:update_detail", kwargs={"pk": pk}) + "#conversation"


@post_only(_conversation, gettext_lazy("write in this update's conversation"))
def comment_add(request, pk: int):
    update = get_object_or_404(_visible_updates(request.user), pk=pk)
    services.require_commentable(update, request.user)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(update, body=form.cleaned_data["body"], by=request.user)
        except ValidationError as refused:
            form.add_error("body", refused.messages)
        else:
            messages.success(request, _("Comment posted. The others in the conversation are told."))
            return redirect(_conversation(update.pk))
    return render_update(request, update, comment_form=form, status=400)


@post_only(
    lambda pk: reverse("reporting:home"), gettext_lazy("withhold a comment from proactive release")
)
def comment_withhold(request, pk: int):
    comment = get_object_or_404(
        Comment.objects.visible_to(request.user).select_related("update"), pk=pk
    )
    require(Withholding.objects.manageable_by(request.user), "Only the secretariat withholds text.")
    form = WithholdCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the ground and the marking to withhold the comment."))
        return redirect(_conversation(comment.update_id))
    try:
        services.withhold_comment(comment, by=request.user, **form.cleaned_data)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("The comment is withheld from proactive release."))
    return redirect(_conversation(comment.update_id))
