"""The reminder log: every reminder email, to whom, for which step of a period, and whether it went.

Notifications about one update (returned, accepted) go through the same log: their row names the
update and the version the change made, and is allowed once per address for that version. A new
comment's notification names the comment (and its update), and is allowed once per address.

A row is written *before* its email is sent, and the database lets only one row exist per
recipient, period, kind and occurrence: inserting it is how a run claims the right to send, so two
workers, a doubled beat tick or a redelivered task can never send the same reminder twice.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connections, models, router
from django.db.models import Q, sql
from django.db.models.constants import OnConflict

from .periods import ReportingPeriod

# What makes two log rows the same reminder (the unique constraints below, less the condition).
CLAIM_KEY = (
    "period_id",
    "kind",
    "occurrence",
    "email",
    "update_id",
    "update_version",
    "comment_id",
)


class ReminderLogQuerySet(models.QuerySet):
    def for_period(self, period):
        """What was sent (or failed) for a period, newest first: the period page's log (which
        shows no email's bodies, so they aren't read)."""
        return (
            self.filter(period=period)
            .select_related("recipient")
            .defer("text_body", "html_body")
            .order_by("-created_at", "pk")
        )

    def pending(self):
        return self.filter(status=ReminderLog.Status.PENDING)

    def stale(self, older_than):
        """Pending rows nobody has touched since ``older_than``: their task was lost."""
        return self.pending().filter(updated_at__lt=older_than)

    def claim_new(self, logs: list["ReminderLog"]) -> list["ReminderLog"]:
        """Insert the unsaved ``logs`` whose reminder no one has claimed yet, and return those.

        One ``INSERT … ON CONFLICT DO NOTHING RETURNING`` per batch the database allows (thousands
        of rows): a row the unique constraints refuse was claimed by an earlier or concurrent run
        and is left out, so only the rows this statement wrote come back, with their ids set.
        ``bulk_create(ignore_conflicts=True)`` cannot say which rows it wrote; this is the same
        insert query with the ids asked back.
        """
        if not logs:
            return []
        model = self.model
        connection = connections[router.db_for_write(model)]
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        returning = [model._meta.pk, *(model._meta.get_field(name) for name in CLAIM_KEY)]
        by_key = {tuple(getattr(log, name) for name in CLAIM_KEY): log for log in logs}
        claimed = []
        batch = max(1, connection.ops.bulk_batch_size(fields, logs))
        for start in range(0, len(logs), batch):
            query = sql.InsertQuery(model, on_conflict=OnConflict.IGNORE)
            query.insert_values(fields, logs[start : start + batch])
            rows = query.get_compiler(connection=connection).execute_sql(returning)
            for pk, *key in filter(None, rows):  # a single refused row comes back as None
                log = by_key[tuple(key)]
                log.pk, log._state.adding, log._state.db = pk, False, connection.alias
                claimed.append(log)
        return claimed


class ReminderLog(models.Model):
    """One reminder email to one address for one step of a period's reminder cycle."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Returns open"
        DUE_SOON = "due_soon", "Due-date reminder"
        OVERDUE = "overdue", "Overdue notice"
        ESCALATION = "escalation", "Escalation to the secretariat"
        RETURNED = "returned", "Update returned for changes"
        ACCEPTED = "accepted", "Update accepted"
        SUBMITTED = "submitted", "Submissions digest to the secretariat"
        COMMENT = "comment", "New comment on an update"
        RISK_REVIEW = "risk_review", "Risk review overdue"
        FOLLOW_UP_OVERDUE = "follow_up_overdue", "Follow-up action overdue"

    class Status(models.TextChoices):
        PENDING = "pending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name="reporting period",
        on_delete=models.CASCADE,
        related_name="reminders",
        null=True,
        blank=True,
        help_text="Empty for a governance reminder (a risk's review, a follow-up).",
    )
    kind = models.CharField("kind", max_length=20, choices=Kind.choices)
    occurrence = models.PositiveSmallIntegerField(
        "occurrence",
        default=1,
        help_text="1, or for a repeated overdue notice, which repeat this is.",
    )
    email = models.EmailField("sent to", help_text="Stored in lower case.")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="recipient",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders_received",
        help_text="Empty for a shared inbox.",
    )
    update = models.ForeignKey(
        "reporting.StatusUpdate",
        verbose_name="about update",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="For a notification about one update (returned, accepted); else empty.",
    )
    comment = models.ForeignKey(
        "reporting.Comment",
        verbose_name="about comment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="For a notification of a new comment (its update is named too); else empty.",
    )
    update_version = models.PositiveIntegerField(
        "update version",
        null=True,
        blank=True,
        help_text="The update's version after the change the notification is about.",
    )
    # A governance reminder names what it is about and the date that passed (the review date,
    # the due date): it goes once per address for that date.
    risk = models.ForeignKey(
        "reporting.Risk",
        verbose_name="about risk",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    follow_up = models.ForeignKey(
        "reporting.FollowUp",
        verbose_name="about follow-up action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    due_on = models.DateField("date that passed", null=True, blank=True)
    subject = models.CharField("subject", max_length=300)
    text_body = models.TextField("plain-text body")
    html_body = models.TextField("HTML body")
    action_count = models.PositiveIntegerField(
        "actions listed", help_text="How many outstanding returns the email lists."
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField("send attempts", default=0)
    last_error = models.TextField("last error", blank=True)
    created_at = models.DateTimeField("queued", auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)
    sent_at = models.DateTimeField("sent", null=True, blank=True)

    objects = ReminderLogQuerySet.as_manager()

    class Meta:
        verbose_name = "reminder"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kind", "occurrence", "email"],
                condition=Q(update__isnull=True),
                name="reminder_once_per_recipient_and_step",
                violation_error_message="This reminder has already been sent to this address.",
            ),
            models.UniqueConstraint(
                fields=["update", "update_version", "kind", "email"],
                condition=Q(update__isnull=False, comment__isnull=True),
                name="notification_once_per_recipient_and_change",
                violation_error_message="This notification has already been sent to this address.",
            ),
            models.UniqueConstraint(
                fields=["comment", "email"],
                condition=Q(comment__isnull=False),
                name="comment_notification_once_per_recipient",
                violation_error_message="This comment has already been sent to this address.",
            ),
            models.UniqueConstraint(
                fields=["risk", "due_on", "kind", "email"],
                condition=Q(risk__isnull=False),
                name="risk_reminder_once_per_recipient_and_date",
                violation_error_message="This reminder has already been sent to this address.",
            ),
            models.UniqueConstraint(
                fields=["follow_up", "due_on", "kind", "email"],
                condition=Q(follow_up__isnull=False),
                name="follow_up_reminder_once_per_recipient_and_date",
                violation_error_message="This reminder has already been sent to this address.",
            ),
            models.CheckConstraint(
                condition=Q(period__isnull=False)
                | Q(risk__isnull=False, due_on__isnull=False)
                | Q(follow_up__isnull=False, due_on__isnull=False),
                name="reminder_about_a_period_or_a_governance_record",
                violation_error_message="A reminder is about a period, a risk or a follow-up.",
            ),
            models.CheckConstraint(
                condition=Q(occurrence__gte=1),
                name="reminder_occurrence_from_1",
                violation_error_message="Occurrences are counted from 1.",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="reminder_sent_has_time",
                violation_error_message="A sent reminder records when it was sent.",
            ),
        ]

    def __str__(self) -> str:
        about = self.period.label if self.period_id else f"{self.due_on:%-d %B %Y}"
        return f"{self.get_kind_display()} ({about}) to {self.email}"

    @property
    def step_label(self) -> str:
        """“Overdue notice (repeat 2)”: the kind, with the repeat number when it is a repeat."""
        label = self.get_kind_display()
        return f"{label} (repeat {self.occurrence - 1})" if self.occurrence > 1 else label

    def as_email(self) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text_body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.email],
        )
        message.attach_alternative(self.html_body, "text/html")
        return message

    def set_sent(self, at) -> None:
        """Record the send, ``at`` a time, on the instance; the caller saves it."""
        self.status = self.Status.SENT
        self.sent_at = at
        self.last_error = ""

    def set_failure(self, error: Exception, *, final: bool) -> None:
        """Keep the error; a final failure is given up on, otherwise the row waits for a retry.
        The caller saves it (alone or in bulk)."""
        self.last_error = f"{type(error).__name__}: {error}"[:2000]
        if final:
            self.status = self.Status.FAILED
