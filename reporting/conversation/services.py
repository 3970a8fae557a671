"""Writing in a return's conversation, and withholding a comment from proactive release.

- ``add_comment(update, *, body, by)``: the update's agency's people and the secretariat
  (``StatusUpdate.objects.commentable_by``); the others in the thread are notified (the
  ``comment_posted`` signal, answered by the reminders room inside this transaction).
- ``withhold_comment(comment, *, ground, marking, note, by)``: the secretariat
  (``Withholding.objects.manageable_by``), like any update text.

Errors: ``PermissionDenied`` for someone the rule leaves out (or once the period has closed),
``ValidationError`` for an empty or too long comment.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.rules import allows
from reporting.models import Comment, StatusUpdate, Withholding, return_rules
from reporting.returns.signals import comment_posted


def require_commentable(update: StatusUpdate, by) -> None:
    """Refuse unless ``by`` may write in ``update``'s conversation now, saying why."""
    if StatusUpdate.objects.commentable_by(by).filter(pk=update.pk).exists():
        return
    if update.period.is_closed:
        raise PermissionDenied(
            _("%(period)s is closed; its conversations are frozen.")
            % {"period": update.period.label}
        )
    raise PermissionDenied(
        _("Only the update's agency and the secretariat write in its conversation.")
    )


@transaction.atomic
def add_comment(update: StatusUpdate, *, body: str, by) -> Comment:
    require_commentable(update, by)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your comment before posting it.")})
    too_long = return_rules.text_too_long("review_comment", body)
    if too_long:
        raise ValidationError({"body": too_long})
    comment = Comment.post(update, kind=Comment.Kind.COMMENT, body=body, by=by)
    comment_posted.send(sender=Comment, comment=comment)
    return comment


def withhold_comment(comment: Comment, *, ground: str, marking: str, note: str, by) -> Withholding:
    if not allows(Withholding.objects.manageable_by(by)):
        raise PermissionDenied("Only the secretariat withholds text.")
    withholding = Withholding(
        update=comment.update,
        comment=comment,
        field=Withholding.Field.COMMENT,
        ground=ground,
        marking=marking,
        note=note,
        created_by=by,
    )
    withholding._history_user = by
    withholding.full_clean(exclude=["action", "update", "comment", "created_by"])
    try:
        with transaction.atomic():
            withholding.save()
    except IntegrityError:
        raise ValidationError(_("This comment is already withheld.")) from None
    return withholding
