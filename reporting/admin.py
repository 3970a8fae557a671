"""Admin for reporting periods, status updates, reminders, reports and withheld text.

Updates are read-only here, with their full history: every change to an update goes through
``reporting.returns.services`` (version-checked, one history row per change), so the admin can't
overwrite someone's return unseen. Periods' dates are edited here; opening and closing go
through the services too. Reminders and reports are records of what was sent and built: listed
and shown, never changed. Withheld text is changed (or released) here with its history; it is
withheld in the first place from the Reports pages, which offer a plan's actions and updates.
The steering group's governance records (risks, meetings, decisions, follow-ups, dependencies)
are shown read-only with their history: they change through the governance pages' services.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyHistoryAdmin
from core.markings import MarkingChoiceField
from reporting.periods import services

from .models import (
    ActionDependency,
    Comment,
    Decision,
    Evidence,
    FollowUp,
    Meeting,
    ProactiveRelease,
    ReminderLog,
    Report,
    ReportingPeriod,
    ReturnDraft,
    Risk,
    StatusUpdate,
    Withholding,
)


class RecordAdmin(admin.ModelAdmin):
    """Something that happened: listed and shown, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyHistoryAdmin):
    list_display = ["label", "code", "state", "opens_on", "due_on", "closes_on"]
    list_filter = ["state", "year"]
    readonly_fields = ["code", "state"]
    fields = [
        "code",
        "state",
        ("year", "quarter"),
        ("starts_on", "ends_on"),
        ("opens_on", "due_on", "closes_on"),
    ]
    actions = ["open_for_returns", "close_for_returns"]

    @admin.display(description="period")
    def label(self, period):
        return period.long_label

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["code", "state"]
        return ["code", "state", "year", "quarter", "starts_on", "ends_on"]

    @admin.action(description="Open the selected periods for returns")
    def open_for_returns(self, request, queryset):
        self._change(request, queryset, services.open_period, "opened")

    @admin.action(description="Close the selected periods (freezes their returns)")
    def close_for_returns(self, request, queryset):
        self._change(request, queryset, services.close_period, "closed")

    def _change(self, request, queryset, change, done):
        for period in queryset:
            try:
                change(period, by=request.user)
            except ValidationError as refused:
                message = refused.messages[0]
                if refused.code == "needs_confirmation":  # the period page asks, with who's emailed
                    message = message.replace(
                        "Tick the box to confirm opening it early.",
                        "Open it from its period page, which asks you to confirm opening early.",
                    )
                self.message_user(request, message, messages.WARNING)
            else:
                self.message_user(request, f"{period.label} {done}.", messages.SUCCESS)


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "state", "status", "percent_complete", "is_late", "updated_at"]
    list_filter = ["period", "state", "status", "is_late", "is_demo", "agency"]
    list_select_related = ["action__plan", "agency", "period"]
    search_fields = ["action__number", "action__title", "agency__short_name", "commentary"]
    date_hierarchy = "updated_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(ReturnDraft)
class ReturnDraftAdmin(RecordAdmin):
    """Whose unsaved text is kept, for which return: never the text itself, which is its
    writer's until they save it."""

    list_display = ["user", "agency", "action", "period", "intent", "kept_at"]
    list_filter = ["intent", "period"]
    list_select_related = ["user", "agency", "action__plan", "period"]
    fields = [("user", "agency"), ("action", "period"), ("intent", "revision", "kept_at")]


@admin.register(Comment)
class CommentAdmin(RecordAdmin, ReadOnlyHistoryAdmin):
    """The conversations on returns, as written: changed nowhere, withheld from the update's
    page."""

    list_display = ["update", "kind", "author", "created_at"]
    list_filter = ["kind"]
    fields = ["update", "kind", "body", "author", "update_version", "created_at"]
    readonly_fields = fields


@admin.register(Evidence)
class EvidenceAdmin(RecordAdmin, ReadOnlyHistoryAdmin):
    """What was attached, by whom; the file itself only through the update page's download
    (permission-checked), so no link to the stored file here."""

    list_display = ["name", "update", "reading", "content_type", "size", "added_by", "added_at"]
    fields = ["name", "update", "reading", "url", "content_type", "size", "added_by", "added_at"]
    readonly_fields = fields


@admin.register(ReminderLog)
class ReminderLogAdmin(RecordAdmin):
    list_display = ["email", "step_label", "period", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "period"]
    list_select_related = ["period"]
    search_fields = ["email", "subject", "recipient__username"]
    date_hierarchy = "created_at"
    # The HTML body says what the text body says; the record keeps both.
    fields = [
        ("period", "kind", "occurrence"),
        ("risk", "follow_up", "due_on"),
        ("email", "recipient"),
        "subject",
        "text_body",
        "action_count",
        ("status", "attempts", "last_error"),
        ("created_at", "updated_at", "sent_at"),
    ]

    @admin.display(description="step")
    def step_label(self, log):
        return log.step_label


class WithinCeilingMixin:
    """The admin offers only markings within the deployment's ceiling, and refuses others."""

    marking_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.marking_fields:
            return MarkingChoiceField(
                label=db_field.verbose_name.capitalize(),
                help_text=db_field.help_text,
                initial=db_field.default,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Report)
class ReportAdmin(WithinCeilingMixin, RecordAdmin, ReadOnlyHistoryAdmin):
    marking_fields = ("chosen_marking",)
    list_display = [
        "__str__",
        "plan",
        "variant",
        "state",
        "marking",
        "requested_by",
        "requested_at",
    ]
    list_filter = ["state", "audience", "variant", "period"]
    list_select_related = ["plan", "period", "requested_by"]
    search_fields = ["plan__code", "plan__title", "period__code"]
    date_hierarchy = "requested_at"
    # Not the snapshot (the data set, shown on the report's page as the PDF) nor the file's
    # storage path: the PDF is served only through the permission-checked download.
    fields = [
        ("plan", "period"),
        ("audience", "variant"),
        ("chosen_marking", "marking"),
        ("state", "error"),
        ("pdf", "page_count"),
        ("requested_by", "requested_at", "built_at"),
    ]
    readonly_fields = ["pdf", "requested_at", "marking"]  # the build raises it from the contents

    @admin.display(description="PDF")
    def pdf(self, report):
        if not report.is_ready:
            return "—"
        url = reverse("reporting:report_download", kwargs={"pk": report.pk})
        return format_html('<a href="{}">{}.pdf</a>', url, report.download_name)


@admin.register(Withholding)
class WithholdingAdmin(WithinCeilingMixin, ReadOnlyHistoryAdmin):
    marking_fields = ("marking",)
    list_display = ["__str__", "ground", "marking", "created_by", "created_at"]
    list_filter = ["field", "ground", "marking"]
    list_select_related = [
        "action__plan",
        "update__action__plan",
        "update__agency",
        "update__period",
        "created_by",
    ]
    search_fields = [
        "action__number",
        "action__title",
        "update__action__number",
        "update__action__title",
        "note",
    ]
    fields = ["withheld_from", "field", "ground", "marking", "note", "created_by", "created_at"]
    readonly_fields = ["withheld_from", "field", "created_by", "created_at"]

    @admin.display(description="withheld from")
    def withheld_from(self, withholding):
        return withholding.action or withholding.update

    def has_add_permission(self, request):
        return False  # from the Reports pages, which offer the plan's actions and updates


@admin.register(ProactiveRelease)
class ProactiveReleaseAdmin(ReadOnlyHistoryAdmin):
    """The release register, to read: approving and releasing happen on the report's page, where
    the version is checked and the pack rendered."""

    list_display = ["__str__", "state", "approved_by", "released_by", "release_date"]
    list_filter = ["state"]
    list_select_related = ["report__plan", "report__period", "approved_by", "released_by"]
    fields = [
        "report",
        "state",
        ("approved_by", "approved_at"),
        ("released_by", "released_at"),
        ("publisher", "release_date"),
        "grounds",
        "pack_pages",
        "version",
    ]
    readonly_fields = [
        name for entry in fields for name in (entry if isinstance(entry, tuple) else (entry,))
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GovernanceRecordAdmin(ReadOnlyHistoryAdmin, RecordAdmin):
    """Shown with its history; changed only through the governance pages (version-checked)."""


@admin.register(Risk)
class RiskAdmin(GovernanceRecordAdmin):
    list_display = ["reference", "title", "owner_agency", "status", "review_on"]
    list_filter = ["status", "plan", "owner_agency"]
    search_fields = ["title", "description"]


@admin.register(Meeting)
class MeetingAdmin(GovernanceRecordAdmin):
    list_display = ["title", "held_on", "plan"]


@admin.register(Decision)
class DecisionAdmin(GovernanceRecordAdmin):
    list_display = ["decided_on", "meeting", "text"]


@admin.register(FollowUp)
class FollowUpAdmin(GovernanceRecordAdmin):
    list_display = ["__str__", "owner_agency", "owner_user", "due_on", "status"]
    list_filter = ["status", "owner_agency"]


@admin.register(ActionDependency)
class ActionDependencyAdmin(GovernanceRecordAdmin):
    list_display = ["action", "depends_on", "is_assumption"]
