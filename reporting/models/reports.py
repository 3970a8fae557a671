"""Progress reports (PDFs built from a frozen snapshot) and text withheld from proactive release.

A Report keeps the PDF, its parameters, who asked and when, and the snapshot of the data it was
built from, so it downloads unchanged later however the data moves on. A Withholding marks any
part of an action (its title, description, resourcing, agencies, success measures, or the whole
action), an update's text or the whole update, or a comment, as withheld under the Official
Information Act 1982; the "public" variant of a report prints the ground instead of the text
(``reporting.progress.redaction`` decides where).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from actions.models import Action, ActionPlan
from agencies.roles import is_secretariat, sees_every_agency
from core.markings import ProtectiveMarking, within_ceiling

from .periods import ReportingPeriod
from .updates import StatusUpdate

# The marking of agencies' returns and of anything built from them, unless their text is marked
# higher (ProtectiveMarking itself lives in core.markings, so every app can mark what it shows).
DEFAULT_MARKING = ProtectiveMarking.IN_CONFIDENCE


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Finished and pending reports: the secretariat and steering-group viewers see them all."""
        return self if sees_every_agency(user) else self.none()

    def buildable_by(self, user):
        """Only the secretariat asks for (and retries) reports, and marks them final."""
        return self if is_secretariat(user) else self.none()

    def removable_by(self, user):
        """The secretariat deletes a report made by mistake: not a final one, not one being
        built, and not one in the release register."""
        if not is_secretariat(user):
            return self.none()
        return self.filter(final_at__isnull=True, release__isnull=True).exclude(
            state__in=[Report.State.QUEUED, Report.State.BUILDING]
        )


def report_file_path(report: "Report", filename: str) -> str:
    return f"reports/{report.requested_at:%Y/%m}/{filename}"


class Report(models.Model):
    """One PDF progress report for one audience, plan and period."""

    class Audience(models.TextChoices):
        CABINET = "cabinet", "Cabinet"
        SIB = "sib", "Security and Intelligence Board"
        STEERING = "steering", "Steering group"

    class Variant(models.TextChoices):
        FULL = "full", "Full report (protectively marked)"
        PUBLIC = "public", "Public version for proactive release"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to be built"
        BUILDING = "building", "Being built"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"

    plan = models.ForeignKey(
        ActionPlan, verbose_name="plan", on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name="reporting period",
        on_delete=models.PROTECT,
        related_name="reports",
    )
    audience = models.CharField("audience", max_length=20, choices=Audience.choices)
    variant = models.CharField(
        "version", max_length=20, choices=Variant.choices, default=Variant.FULL
    )
    chosen_marking = models.CharField(
        "protective marking asked for",
        max_length=20,
        choices=ProtectiveMarking.choices,
        default=DEFAULT_MARKING,
        validators=[within_ceiling],
        help_text="The report is marked at least this, or higher if what it contains is.",
    )
    marking = models.CharField(
        "protective marking",
        max_length=20,
        choices=ProtectiveMarking.choices,
        blank=True,
        help_text="The marking printed on every page; blank for the public version.",
    )
    state = models.CharField("state", max_length=20, choices=State.choices, default=State.QUEUED)
    error = models.TextField("what went wrong", blank=True)
    file = models.FileField("PDF", upload_to=report_file_path, blank=True)
    snapshot = models.JSONField(
        "data snapshot",
        default=dict,
        blank=True,
        help_text="The data set the report was built from; rebuilding reads only this.",
    )
    page_count = models.PositiveIntegerField("pages", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="asked for by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField("asked for", auto_now_add=True)
    building_since = models.DateTimeField(
        "being built since",
        null=True,
        blank=True,
        help_text="When the latest build started; a build older than its time limit is failed.",
    )
    built_at = models.DateTimeField("built", null=True, blank=True)
    final_at = models.DateTimeField(
        "marked final",
        null=True,
        blank=True,
        help_text="A final report can't be deleted, and its cover says “Final”.",
    )
    final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="marked final by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()
    # Who marked it final or deleted it, and when (its snapshot isn't repeated in the history).
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        verbose_name = "progress report"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(variant="full") | Q(variant="public", marking=""),
                name="report_public_version_unmarked",
                violation_error_message="The public version carries no protective marking.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.period.label}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reporting:report_detail", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        titles = {
            self.Audience.CABINET: "Progress report to Cabinet",
            self.Audience.SIB: "Progress report to the Security and Intelligence Board",
            self.Audience.STEERING: "Steering group pack",
        }
        public = " (public version)" if self.is_public else ""
        return f"{titles[self.Audience(self.audience)]}{public}"

    @property
    def page_marking(self) -> str:
        """The marking of what the report's page shows: the full version's own marking; the
        public version is returns' content (DEFAULT_MARKING) until it is released, after
        which it is public (UNCLASSIFIED)."""
        if not self.is_public:
            return self.marking or self.chosen_marking
        released = getattr(self, "release", None)
        return ProtectiveMarking.UNCLASSIFIED if released else DEFAULT_MARKING

    @property
    def is_final(self) -> bool:
        return self.final_at is not None

    @property
    def is_public(self) -> bool:
        return self.variant == self.Variant.PUBLIC

    @property
    def has_status_table(self) -> bool:
        """Only a finished Cabinet report comes with a status table for the Cabinet paper."""
        return self.audience == self.Audience.CABINET and self.is_ready

    @property
    def is_pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.BUILDING)

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY and bool(self.file)

    @property
    def download_name(self) -> str:
        """“tsoc-2026-Q3-cabinet-public-report-42.pdf”"""
        public = "-public" if self.is_public else ""
        return (
            f"{self.plan.code.lower()}-{self.period.code}-{self.audience}{public}-report-{self.pk}"
        )


def withheld_placeholder(ground: str) -> str:
    """What the public version prints instead of withheld text: “[withheld under s 6(c)]”."""
    return f"[withheld under s {ground}]"


def withheld_text_marking(plan: ActionPlan) -> str:
    """The highest marking of the plan's action text withheld from release (UNCLASSIFIED if
    none): what the plan export, which prints that text in full, is marked at least."""
    marks = Withholding.objects.filter(action__plan=plan).values_list("marking", flat=True)
    return ProtectiveMarking.highest(*marks)


class WithholdingQuerySet(models.QuerySet):
    def manageable_by(self, user):
        """Only the secretariat reads, adds and releases withholdings."""
        return self if is_secretariat(user) else self.none()

    def marking_of(self, *, actions=(), updates=()) -> str:
        """The marking of returns' content about ``actions`` and ``updates``: DEFAULT_MARKING,
        raised to the highest marking of the text withheld from them (a whole action withheld
        covers its sub-actions and strands)."""
        marks = self.filter(
            Q(action__in=actions)
            | Q(action__sub_actions__in=actions, field=Withholding.Field.ACTION)
            | Q(update__in=updates)
        ).values_list("marking", flat=True)
        return ProtectiveMarking.highest(DEFAULT_MARKING, *marks)

    def for_content(self, actions, period):
        """Withholdings on these actions' fields and on their updates for ``period``."""
        return self.filter(
            Q(action__in=actions) | Q(update__action__in=actions, update__period=period)
        )


class Withholding(models.Model):
    """Text withheld from proactive release, with its Official Information Act ground."""

    class Field(models.TextChoices):
        ACTION = "action", "The whole action, with its sub-actions and strands"
        TITLE = "title", "Action title"
        DESCRIPTION = "description", "Action description"
        RESOURCING = "resourcing", "Action resourcing"
        AGENCIES = "agencies", "Action's coordinating agencies"
        MEASURES = "measures", "Action's success measures"
        UPDATE = "update", "The whole update (commentary, risks and next steps)"
        COMMENTARY = "commentary", "Update commentary"
        RISKS = "risks", "Update risks and issues"
        NEXT_STEPS = "next_steps", "Update next steps"
        COMMENT = "comment", "A comment in the update's conversation"

    class Ground(models.TextChoices):
        """Withholding grounds of the Official Information Act 1982 (ss 6 and 9)."""

        S6A = "6(a)", "s 6(a): security, defence or international relations"
        S6B = "6(b)", "s 6(b): information entrusted by another government"
        S6C = "6(c)", "s 6(c): maintenance of the law"
        S6D = "6(d)", "s 6(d): safety of any person"
        S92A = "9(2)(a)", "s 9(2)(a): privacy of natural persons"
        S92BII = "9(2)(b)(ii)", "s 9(2)(b)(ii): commercial position"
        S92BAI = "9(2)(ba)(i)", "s 9(2)(ba)(i): obligation of confidence"
        S92C = "9(2)(c)", "s 9(2)(c): health or safety measures"
        S92FIV = "9(2)(f)(iv)", "s 9(2)(f)(iv): advice under consideration by Ministers"
        S92GI = "9(2)(g)(i)", "s 9(2)(g)(i): free and frank expression of opinions"
        S92H = "9(2)(h)", "s 9(2)(h): legal professional privilege"
        S92J = "9(2)(j)", "s 9(2)(j): negotiations"

    ACTION_FIELDS = (
        Field.ACTION,
        Field.TITLE,
        Field.DESCRIPTION,
        Field.RESOURCING,
        Field.AGENCIES,
        Field.MEASURES,
    )
    UPDATE_FIELDS = (Field.UPDATE, Field.COMMENTARY, Field.RISKS, Field.NEXT_STEPS)
    # A withheld comment names its update too, so the update's withholdings list it.

    action = models.ForeignKey(
        Action,
        verbose_name="action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="withholdings",
    )
    update = models.ForeignKey(
        StatusUpdate,
        verbose_name="status update",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="withholdings",
    )
    comment = models.ForeignKey(
        "reporting.Comment",
        verbose_name="comment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="withholdings",
    )
    field = models.CharField("what is withheld", max_length=20, choices=Field.choices)
    ground = models.CharField(
        "Official Information Act ground", max_length=20, choices=Ground.choices
    )
    marking = models.CharField(
        "protective marking of the text",
        max_length=20,
        choices=ProtectiveMarking.choices,
        default=DEFAULT_MARKING,
        validators=[within_ceiling],
        help_text="Full reports containing this text are marked at least this.",
    )
    note = models.CharField("note", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="withheld by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("withheld", auto_now_add=True)

    objects = WithholdingQuerySet.as_manager()
    # Who changed a ground or marking, or stopped withholding, and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "withholding"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        action__isnull=False,
                        update__isnull=True,
                        field__in=[
                            "action",
                            "title",
                            "description",
                            "resourcing",
                            "agencies",
                            "measures",
                        ],
                    )
                    | Q(
                        action__isnull=True,
                        update__isnull=False,
                        comment__isnull=True,
                        field__in=["update", "commentary", "risks", "next_steps"],
                    )
                    | Q(
                        action__isnull=True,
                        update__isnull=False,
                        comment__isnull=False,
                        field="comment",
                    )
                ),
                name="withholding_action_part_or_update_field",
                violation_error_message=(
                    "Withhold an action (or a part of it), an update's text or a comment on it."
                ),
            ),
            models.UniqueConstraint(
                fields=["action", "field"],
                condition=Q(action__isnull=False),
                name="withholding_once_per_action_field",
                violation_error_message="This is already withheld.",
            ),
            models.UniqueConstraint(
                fields=["update", "field"],
                condition=Q(update__isnull=False, comment__isnull=True),
                name="withholding_once_per_update_field",
                violation_error_message="This is already withheld.",
            ),
            models.UniqueConstraint(
                fields=["comment"],
                condition=Q(comment__isnull=False),
                name="withholding_once_per_comment",
                violation_error_message="This comment is already withheld.",
            ),
        ]

    def __str__(self) -> str:
        if self.comment_id:
            return f"A comment on {self.update}, {self.placeholder}"
        return f"{self.get_field_display()} of {self.action or self.update}, {self.placeholder}"

    @property
    def placeholder(self) -> str:
        return withheld_placeholder(self.ground)

    @property
    def target_action(self) -> Action:
        """The action whose field, or whose update's text, is withheld."""
        return self.action if self.action_id else self.update.action
