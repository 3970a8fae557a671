"""A plan file uploaded by the secretariat, kept with the preview of what it would change until
it is confirmed (applied) or discarded."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models import ActionPlan
from actions.services import ImportProblem, PlanChanges
from agencies.roles import is_secretariat


class PlanUploadQuerySet(models.QuerySet):
    def manageable_by(self, user):
        """Uploading plan files, reading their previews, confirming and discarding them: the
        secretariat."""
        return self if is_secretariat(user) else self.none()

    def expired(self, now: datetime.datetime | None = None):
        """Undecided uploads past their expiry."""
        return self.filter(state__in=PlanUpload.UNDECIDED, expires_at__lte=now or timezone.now())


def plan_upload_path(upload: "PlanUpload", filename: str) -> str:
    return f"plan-uploads/{timezone.now():%Y/%m}/{filename}"


def default_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.PLAN_UPLOAD_KEEP_DAYS)


class PlanUpload(models.Model):
    """One uploaded plan file, its check and its preview."""

    class State(models.TextChoices):
        CHECKING = "checking", "Being checked"
        READY = "ready", "Ready to confirm"
        REFUSED = "refused", "Has problems"
        APPLIED = "applied", "Applied to the plan"
        DISCARDED = "discarded", "Discarded"

    UNDECIDED = (State.CHECKING, State.READY, State.REFUSED)

    plan = models.ForeignKey(
        ActionPlan, verbose_name="plan", on_delete=models.CASCADE, related_name="uploads"
    )
    file = models.FileField("file", upload_to=plan_upload_path, blank=True)
    filename = models.CharField("file name", max_length=255)
    size = models.PositiveIntegerField("size in bytes")
    state = models.CharField("state", max_length=20, choices=State.choices, default=State.CHECKING)
    rows_checked = models.PositiveIntegerField("rows checked", default=0)
    rows_total = models.PositiveIntegerField("rows in the file", default=0)
    preview = models.JSONField(
        "preview",
        default=dict,
        blank=True,
        help_text="What the file would change (actions.services.PlanChanges), once checked.",
    )
    problems = models.JSONField(
        "problems", default=list, blank=True, help_text="Why the file can't be imported."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="uploaded by",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("uploaded", auto_now_add=True)
    expires_at = models.DateTimeField(
        "kept until",
        default=default_expiry,
        help_text="After this the preview can't be confirmed; upload the file again.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="confirmed or discarded by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("confirmed or discarded", null=True, blank=True)

    objects = PlanUploadQuerySet.as_manager()
    # Who uploaded, confirmed or discarded it and when (the preview itself isn't repeated).
    history = HistoricalRecords(excluded_fields=["preview", "problems"])

    class Meta:
        verbose_name = "plan upload"
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["applied", "discarded"], decided_at__isnull=False)
                | models.Q(state__in=["checking", "ready", "refused"], decided_at__isnull=True),
                name="plan_upload_decided_when_applied_or_discarded",
                violation_error_message="An applied or discarded upload says when it was decided.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} for {self.plan.short_title}"

    def get_absolute_url(self) -> str:
        return reverse("plan_uploads:detail", kwargs={"pk": self.pk})

    @property
    def changes(self) -> PlanChanges | None:
        return PlanChanges.from_json(self.preview) if self.preview else None

    @property
    def problem_list(self) -> list[ImportProblem]:
        return [ImportProblem(**problem) for problem in self.problems]

    @property
    def is_expired(self) -> bool:
        return self.state in self.UNDECIDED and self.expires_at <= timezone.now()

    @property
    def percent_checked(self) -> int:
        return round(100 * self.rows_checked / self.rows_total) if self.rows_total else 0
