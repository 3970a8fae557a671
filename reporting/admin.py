"""Admin for reporting periods and status updates.

Updates are read-only here, with their full history: every change to an update goes through
``reporting.services`` (version-checked, one history row per change), so the admin can't
overwrite someone's return unseen. Periods' dates are edited here; opening and closing go
through the services too.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from actions.admin import ReadOnlyHistoryAdmin

from . import services
from .models import ReportingPeriod, StatusUpdate


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
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
        return period.label

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
                self.message_user(request, refused.messages[0], messages.WARNING)
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
