"""The conversation on a return: comments by the agency's people and the secretariat, and the
review decisions and corrections in the same thread, oldest first."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .updates import StatusUpdate


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The thread of every update ``user`` may read (``StatusUpdate.objects.visible_to``)."""
        return self.filter(update__in=StatusUpdate.objects.visible_to(user))

    def thread(self):
        return (
            self.select_related("author")
            .prefetch_related("withholdings")
            .order_by("created_at", "pk")
        )


class Comment(models.Model):
    """One entry in a return's conversation: a comment, or a review decision or correction by
    the secretariat with what they said."""

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned for changes"
        CORRECTED = "corrected", "Corrected by the secretariat"

    update = models.ForeignKey(
        StatusUpdate,
        verbose_name="status update",
        on_delete=models.CASCADE,
        related_name="comments",
    )
    kind = models.CharField("kind", max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField("comment", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="written by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    update_version = models.PositiveIntegerField(
        "update version", help_text="The version of the update the comment was written about."
    )
    created_at = models.DateTimeField("written", auto_now_add=True)
    history = HistoricalRecords()

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = "comment on an update"
        verbose_name_plural = "comments on updates"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="accepted") | ~Q(body=""),
                name="comment_has_text_unless_accepting",
                violation_error_message="Write the comment before posting it.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.update} ({self.created_at:%d %b %Y})"

    @classmethod
    def post(cls, update: StatusUpdate, *, kind: str, body: str, by) -> "Comment":
        """Add an entry to ``update``'s thread, recorded in the history as ``by``'s."""
        comment = cls(update=update, kind=kind, body=body, author=by, update_version=update.version)
        comment._history_user = by
        comment._change_reason = "Posted"
        comment.full_clean(exclude=["update", "author"])
        comment.save()
        return comment

    @property
    def is_decision(self) -> bool:
        return self.kind != self.Kind.COMMENT
