"""The audit trail can't be edited from the UI: no historical record has an admin page of its
own, and every admin of a model that keeps a history shows it read-only. (Reverting through the
history pages is refused: tests/actions/test_admin.py, tests/reporting/test_audit.py.)"""

from django.contrib import admin
from simple_history.models import registered_models

from core.admin import ReadOnlyHistoryAdmin

# Every model with ``history = HistoricalRecords()`` (the many-to-many tables a history also
# tracks, ``m2m_fields``, are registered too, and are shown through their owner's history).
TRACKED = [model for model in registered_models.values() if hasattr(model, "history")]


def test_no_historical_record_can_be_listed_added_or_changed_in_the_admin():
    historical = {model.history.model for model in TRACKED}

    assert [model for model in admin.site._registry if model in historical] == []


def test_every_model_that_keeps_a_history_shows_it_read_only_in_the_admin():
    admins = {model: admin.site._registry.get(model) for model in TRACKED}

    editable = [
        model._meta.label
        for model, model_admin in admins.items()
        if model_admin is not None and not isinstance(model_admin, ReadOnlyHistoryAdmin)
    ]

    assert TRACKED
    assert editable == []
