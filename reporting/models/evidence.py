"""Evidence behind a return or an indicator reading: a stored file (through Django's storage
API) or a link. Files are downloaded only through a permission-checked view; nothing renders
them. Evidence stays when the period closes, frozen with the return."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from actions.models import Action, IndicatorReading

from .updates import StatusUpdate


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Evidence on the updates ``user`` may read, and on readings of the actions whose
        progress they may read."""
        return self.filter(
            Q(update__in=StatusUpdate.objects.visible_to(user))
            | Q(reading__measure__action__in=Action.objects.progress_visible_to(user))
        )

    def removable_by(self, user):
        """Evidence on a return ``user`` may still edit (``StatusUpdate.objects.editable_by``),
        or on a reading that return recorded: once the return is submitted or its period
        closes, its evidence stays as it is."""
        editable = StatusUpdate.objects.editable_by(user)
        recorded_in_editable = editable.filter(
            action=OuterRef("reading__measure__action"),
            agency=OuterRef("reading__agency"),
            period__ends_on=OuterRef("reading__date"),
        )
        return self.filter(Q(update__in=editable) | Exists(recorded_in_editable))

    def files(self):
        return self.exclude(file="")


def evidence_path(evidence: "Evidence", filename: str) -> str:
    """A name nobody can guess or collide with; the person's file name is kept in ``name``."""
    return f"evidence/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """One file or link attached to a return, or to an indicator reading a return recorded."""

    update = models.ForeignKey(
        StatusUpdate,
        verbose_name="status update",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    reading = models.ForeignKey(
        IndicatorReading,
        verbose_name="indicator reading",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    name = models.CharField(
        "name", max_length=200, help_text="The file's name as uploaded, or the link's title."
    )
    file = models.FileField("file", upload_to=evidence_path, max_length=300, blank=True)
    url = models.URLField("link", max_length=2000, blank=True)
    content_type = models.CharField(
        "type of file", max_length=120, blank=True, help_text="Read from the file's content."
    )
    size = models.PositiveBigIntegerField("size in bytes", null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="added by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField("added", auto_now_add=True)
    history = HistoricalRecords()

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "evidence"
        verbose_name_plural = "evidence"
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(update__isnull=False, reading__isnull=True)
                | Q(update__isnull=True, reading__isnull=False),
                name="evidence_on_an_update_or_a_reading",
                violation_error_message="Attach evidence to a return or to one indicator reading.",
            ),
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="evidence_is_a_file_or_a_link",
                violation_error_message="Evidence is a file or a link, not both.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_file(self) -> bool:
        return bool(self.file)
