"""What every app's admin shares: a record's history shown, never reverted."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Shows the “History” of each record; past versions can be viewed, never reverted."""

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("The history is an audit trail and can't be reverted.")
        return super().history_form_view(request, object_id, version_id, extra_context)
