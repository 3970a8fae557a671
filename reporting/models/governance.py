"""The steering group's governance records: the risk register, meetings with their decisions and
follow-up actions, and "depends on" links between actions. Each has its permission rules on its
queryset, one method per rule, and keeps its history (django-simple-history)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from simple_history.models import HistoricalRecords

from actions.models import Action, ActionPlan
from agencies.models import Agency
from agencies.roles import has_role, is_secretariat, sees_every_agency

from . import risk_scale
from .reports import DEFAULT_MARKING, ProtectiveMarking, Report, Withholding
from .updates import StatusUpdate

RATING_CHOICES_L = risk_scale.likelihood_choices()
RATING_CHOICES_C = risk_scale.consequence_choices()


class StaleRecordError(Exception):
    """Someone else changed the record since it was read; ``current`` is what is stored now."""

    def __init__(self, current):
        super().__init__(f"{current} was changed by someone else (now version {current.version}).")
        self.current = current


def _save_if_unchanged(record, expected_version: int, by) -> None:
    """Save ``record`` only if the stored row is still ``expected_version`` (the row is locked
    for the check), as a new version with a history row naming ``by``."""
    with transaction.atomic():
        current = type(record).objects.select_for_update().get(pk=record.pk)
        if current.version != expected_version:
            raise StaleRecordError(current)
        record.version = expected_version + 1
        record._history_user = by
        record.save()


# --- Risks ---------------------------------------------------------------------------------


def _lead_agencies(user):
    return Agency.objects.of_member(user, role="lead")


class RiskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The secretariat and viewers see every risk; agency people see their agency's risks
        and the risks linked to actions whose progress they may read."""
        if sees_every_agency(user):
            return self
        if not has_role(user):
            return self.none()
        linked = Risk.actions.through.objects.filter(
            risk=OuterRef("pk"), action__in=Action.objects.progress_visible_to(user)
        )
        return self.filter(Q(owner_agency__in=Agency.objects.of_member(user)) | Exists(linked))

    def editable_by(self, user):
        """Rating, treating, reviewing and closing: the secretariat, and the leads of the
        agency that owns the risk."""
        if is_secretariat(user):
            return self
        return self.filter(owner_agency__in=_lead_agencies(user))

    def addable_by(self, user):
        """Adding an entry straight to the register (not from a return): the secretariat."""
        return self if is_secretariat(user) else self.none()

    def with_rating(self):
        """Annotate ``rated`` and ``residual_rated`` (likelihood × consequence) for SQL."""
        return self.annotate(
            rated=F("likelihood") * F("consequence_rating"),
            residual_rated=F("residual_likelihood") * F("residual_consequence"),
        )

    def at_level(self, level: str):
        band = risk_scale.BAND_BY_LEVEL[risk_scale.Level(level)]
        return self.with_rating().filter(rated__gte=band.lowest, rated__lte=band.highest)

    def live(self):
        """Not closed: what the register, heat map and reviews are about."""
        return self.exclude(status=Risk.Status.CLOSED)

    def review_overdue(self, today: datetime.date):
        return self.live().filter(review_on__lt=today)

    def for_plan(self, plan):
        return self.filter(plan=plan)

    def highest_first(self):
        return self.with_rating().order_by("-rated", "-likelihood", "review_on", "pk")


class Risk(models.Model):
    """One entry of the steering group's risk register."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        TREATED = "treated", "Treated"
        CLOSED = "closed", "Closed"

    plan = models.ForeignKey(
        ActionPlan, verbose_name="action plan", on_delete=models.PROTECT, related_name="risks"
    )
    title = models.CharField("title", max_length=200)
    description = models.TextField("description", blank=True)
    cause = models.TextField("cause", blank=True, help_text="What could make it happen.")
    consequence = models.TextField(
        "consequence", blank=True, help_text="What would follow if it happened."
    )
    owner_agency = models.ForeignKey(
        Agency, verbose_name="owner agency", on_delete=models.PROTECT, related_name="risks"
    )
    likelihood = models.PositiveSmallIntegerField("likelihood", choices=RATING_CHOICES_L)
    consequence_rating = models.PositiveSmallIntegerField(
        "consequence rating", choices=RATING_CHOICES_C
    )
    treatment = models.TextField("treatment", blank=True, help_text="What is being done about it.")
    residual_likelihood = models.PositiveSmallIntegerField(
        "residual likelihood", choices=RATING_CHOICES_L, help_text="Once the treatment works."
    )
    residual_consequence = models.PositiveSmallIntegerField(
        "residual consequence", choices=RATING_CHOICES_C, help_text="Once the treatment works."
    )
    review_on = models.DateField("next review")
    status = models.CharField("status", max_length=10, choices=Status.choices, default="open")
    actions = models.ManyToManyField(
        Action, verbose_name="linked actions", blank=True, related_name="risks"
    )
    source_update = models.ForeignKey(
        StatusUpdate,
        verbose_name="raised from the return",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promoted_risks",
    )
    withheld_under = models.CharField(
        "withheld from proactive release under",
        max_length=20,
        choices=Withholding.Ground.choices,
        blank=True,
        help_text="An Official Information Act ground; public packs print a placeholder.",
    )
    marking = models.CharField(
        "protective marking of the text",
        max_length=20,
        choices=ProtectiveMarking.choices,
        default=DEFAULT_MARKING,
    )
    version = models.PositiveIntegerField("version", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="raised by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("raised", auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[actions])

    class Meta:
        verbose_name = "risk"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5)
                & Q(consequence_rating__gte=1, consequence_rating__lte=5)
                & Q(residual_likelihood__gte=1, residual_likelihood__lte=5)
                & Q(residual_consequence__gte=1, residual_consequence__lte=5),
                name="risk_ratings_on_the_5_by_5_scale",
                violation_error_message="Ratings run from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        return f"R-{self.pk}"

    @property
    def rating(self) -> int:
        return self.likelihood * self.consequence_rating

    @property
    def residual_rating(self) -> int:
        return self.residual_likelihood * self.residual_consequence

    @property
    def band(self) -> risk_scale.Band:
        return risk_scale.band_of(self.rating)

    @property
    def residual_band(self) -> risk_scale.Band:
        return risk_scale.band_of(self.residual_rating)

    @property
    def likelihood_word(self) -> str:
        return risk_scale.LIKELIHOOD[self.likelihood].word

    @property
    def consequence_word(self) -> str:
        return risk_scale.CONSEQUENCE[self.consequence_rating].word

    def review_is_overdue(self, today: datetime.date) -> bool:
        return self.status != self.Status.CLOSED and self.review_on < today

    def save_if_unchanged(self, expected_version: int, by) -> None:
        _save_if_unchanged(self, expected_version, by)


# --- Meetings, decisions, follow-ups ---------------------------------------------------------


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The steering group's meetings and decisions: the secretariat and viewers."""
        return self if sees_every_agency(user) else self.none()

    def manageable_by(self, user):
        """Recording meetings, decisions and follow-ups: the secretariat."""
        return self if is_secretariat(user) else self.none()


class Meeting(models.Model):
    """A steering-group meeting: when, who came, and the reports it had in front of it."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name="action plan", on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField("held on")
    title = models.CharField("title", max_length=200, default="Steering group meeting")
    attendees = models.TextField("attendees", blank=True, help_text="One a line.")
    reports_tabled = models.ManyToManyField(
        Report, verbose_name="reports tabled", blank=True, related_name="tabled_at"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="recorded by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("recorded", auto_now_add=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[reports_tabled])

    class Meta:
        verbose_name = "steering group meeting"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title}, {self.held_on:%-d %B %Y}"

    @property
    def attendee_list(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Decisions go with their meeting."""
        return self.filter(meeting__in=Meeting.objects.visible_to(user))


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="meeting", on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField("decision")
    decided_on = models.DateField("decided on")

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "decision"
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return f"Decision of {self.decided_on:%-d %B %Y}: {self.text[:60]}"


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The secretariat and viewers see every follow-up; agency people see those owned by
        their agency or by them."""
        if sees_every_agency(user):
            return self
        if not has_role(user):
            return self.none()
        return self.filter(Q(owner_agency__in=Agency.objects.of_member(user)) | Q(owner_user=user))

    def updatable_by(self, user):
        """Changing a follow-up's status and notes: the secretariat, the owner agency's leads
        and the person who owns it."""
        if is_secretariat(user):
            return self
        if not has_role(user):
            return self.none()
        return self.filter(Q(owner_agency__in=_lead_agencies(user)) | Q(owner_user=user))

    def owned_by(self, user):
        """What ``user`` is to do: theirs, or their agencies'. My actions lists these."""
        return self.filter(Q(owner_agency__in=Agency.objects.of_member(user)) | Q(owner_user=user))

    def still_open(self):
        return self.exclude(status=FollowUp.Status.CLOSED)

    def overdue(self, today: datetime.date):
        return self.still_open().filter(due_on__lt=today)

    def matters_arising(self, plan, before: datetime.date):
        """Follow-ups of earlier meetings still open: carried on every later pack until closed."""
        return self.still_open().filter(meeting__plan=plan, meeting__held_on__lt=before)


class FollowUp(models.Model):
    """Something a meeting asked someone to do, carried as a matter arising until closed."""

    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    meeting = models.ForeignKey(
        Meeting, verbose_name="meeting", on_delete=models.CASCADE, related_name="follow_ups"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name="decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    what = models.TextField("what is to be done")
    owner_agency = models.ForeignKey(
        Agency,
        verbose_name="owner agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="owner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    due_on = models.DateField("due")
    status = models.CharField("status", max_length=12, choices=Status.choices, default="open")
    notes = models.TextField("notes", blank=True)
    version = models.PositiveIntegerField("version", default=1)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "follow-up action"
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_agency__isnull=False) | Q(owner_user__isnull=False),
                name="follow_up_has_an_owner",
                violation_error_message="A follow-up is owned by an agency or a person.",
            ),
        ]

    def __str__(self) -> str:
        return f"F-{self.pk}: {self.what[:60]}"

    @property
    def owner_label(self) -> str:
        parts = []
        if self.owner_user_id:
            user = self.owner_user
            parts.append(user.get_full_name() or user.username)
        if self.owner_agency_id:
            parts.append(self.owner_agency.short_name)
        return ", ".join(parts)

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status != self.Status.CLOSED and self.due_on < today

    def save_if_unchanged(self, expected_version: int, by) -> None:
        _save_if_unchanged(self, expected_version, by)


# --- Dependencies between actions ----------------------------------------------------------


class ActionDependencyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Links between actions are reference data: everyone with a role."""
        return self if has_role(user) else self.none()

    def manageable_by(self, user):
        """Adding and removing links: the secretariat."""
        return self if is_secretariat(user) else self.none()


class CycleError(ValidationError):
    """The link would make an action depend, through others, on itself."""


class ActionDependency(models.Model):
    """``action`` depends on ``depends_on`` (in the same plan or another)."""

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.CASCADE, related_name="dependencies"
    )
    depends_on = models.ForeignKey(
        Action, verbose_name="depends on", on_delete=models.CASCADE, related_name="dependents"
    )
    note = models.CharField("note", max_length=300, blank=True)
    is_assumption = models.BooleanField(
        "an assumption",
        default=False,
        help_text="The source doesn't say so; for the secretariat to confirm.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="linked by",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("linked", auto_now_add=True)

    objects = ActionDependencyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "action dependency"
        verbose_name_plural = "action dependencies"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "depends_on"],
                name="dependency_once",
                violation_error_message="This action already depends on that one.",
            ),
            models.CheckConstraint(
                condition=~Q(action=F("depends_on")),
                name="dependency_not_on_itself",
                violation_error_message="An action can't depend on itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} depends on {self.depends_on}"

    @classmethod
    def would_cycle(cls, action_id: int, depends_on_id: int) -> bool:
        """Whether ``action`` → ``depends_on`` closes a loop: ``depends_on`` already depends,
        directly or through others, on ``action``."""
        if action_id == depends_on_id:
            return True
        edges: dict[int, list[int]] = {}
        for source, target in cls.objects.values_list("action_id", "depends_on_id"):
            edges.setdefault(source, []).append(target)
        seen, stack = set(), [depends_on_id]
        while stack:
            node = stack.pop()
            if node == action_id:
                return True
            if node not in seen:
                seen.add(node)
                stack.extend(edges.get(node, ()))
        return False

    @classmethod
    def link(cls, action: Action, depends_on: Action, *, by=None, note="", is_assumption=False):
        """Record the link, refusing one that would form a cycle. The table is locked for the
        check and the insert, so two links made at once can't close a loop between them."""
        with transaction.atomic():
            if connection_is_postgres():
                with transaction.get_connection().cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {cls._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
            if cls.would_cycle(action.pk, depends_on.pk):
                raise CycleError(
                    f"{depends_on} already depends, directly or through other actions, on "
                    f"{action}: linking them would form a loop.",
                    code="cycle",
                )
            if cls.objects.filter(action=action, depends_on=depends_on).exists():
                raise ValidationError("This action already depends on that one.", code="unique")
            return cls.objects.create(
                action=action,
                depends_on=depends_on,
                note=note,
                is_assumption=is_assumption,
                created_by=by,
            )


def connection_is_postgres() -> bool:
    return transaction.get_connection().vendor == "postgresql"
