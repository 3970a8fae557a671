"""The proactive release register: a report's public version, approved by the secretariat and
then released, with the release pack (cover, grounds key, stamped pages) that was published.

Each step is attributable (who and when, and the history of every change) and version-checked:
the approve and release forms carry the version they were read at, and a step taken from a stale
page is refused.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agencies.roles import is_secretariat, sees_every_agency

from .reports import Report


class ReleaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The register: the secretariat and steering-group viewers see every entry."""
        return self if sees_every_agency(user) else self.none()

    def manageable_by(self, user):
        """Only the secretariat approves public versions and releases them."""
        return self if is_secretariat(user) else self.none()

    def released(self):
        """What has been published: the only rows the public pages read."""
        return self.filter(state=ProactiveRelease.State.RELEASED)


def release_pack_path(release: "ProactiveRelease", filename: str) -> str:
    return f"releases/{release.released_at:%Y/%m}/{filename}"


class ProactiveRelease(models.Model):
    """One public report in the release register: approved, then released."""

    class State(models.TextChoices):
        APPROVED = "approved", "Public version approved, not yet released"
        RELEASED = "released", "Proactively released"

    report = models.OneToOneField(
        Report,
        verbose_name="public version",
        on_delete=models.PROTECT,
        related_name="release",
        limit_choices_to={"variant": Report.Variant.PUBLIC},
    )
    state = models.CharField("state", max_length=20, choices=State.choices)
    version = models.PositiveIntegerField(
        "version", default=1, help_text="Goes up with each step; a step from a stale page fails."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="public version approved by",
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("public version approved")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="released by",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField("released", null=True, blank=True)
    release_date = models.DateField(
        "release date", null=True, blank=True, help_text="The date printed on the release cover."
    )
    publisher = models.CharField(
        "proactively released by",
        max_length=200,
        blank=True,
        help_text="Printed on the cover: “Proactively released by …”.",
    )
    grounds = models.JSONField(
        "grounds used",
        default=list,
        blank=True,
        help_text="The Official Information Act grounds the public version withholds under.",
    )
    pack = models.FileField("release pack (PDF)", upload_to=release_pack_path, blank=True)
    pack_pages = models.PositiveIntegerField("pages", null=True, blank=True)

    objects = ReleaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "proactive release"
        ordering = ["-released_at", "-approved_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="approved", released_at__isnull=True)
                | Q(
                    state="released",
                    released_at__isnull=False,
                    released_by__isnull=False,
                    release_date__isnull=False,
                )
                & ~Q(publisher=""),
                name="release_released_has_who_and_when",
                violation_error_message="A release records who released it, when and as whom.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.get_state_display().lower()})"

    @property
    def is_released(self) -> bool:
        return self.state == self.State.RELEASED

    @property
    def download_name(self) -> str:
        return f"{self.report.download_name}-release-pack"
