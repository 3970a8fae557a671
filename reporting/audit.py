"""The audit trail: who changed what and when, before and after, from django-simple-history.

Actions, coordinating agencies, success measures, indicator readings and status updates all keep
history rows; this turns them into readable entries, newest first.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from actions.models import Action, ActionAgency, IndicatorReading, SuccessMeasure

from .models import Comment, Evidence, StatusUpdate

# Bookkeeping that changes with every save and says nothing a reader needs.
NOT_SHOWN = {
    "id",
    "version",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "submitted_at",
    "submitted_by",
    "reviewed_at",
    "reviewed_by",
    "recorded_by",
    "sort_key",
    "starts_on",
    "ends_on",
    "is_ongoing",
    "timeframe_unparsed",
    "order",
}
KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Entry:
    when: object
    who: object
    kind: str
    subject: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def entries(history_rows, describe) -> list[Entry]:
    """Entries for historical rows of one model; ``describe(row)`` names the object changed."""
    by_object = defaultdict(list)
    for row in history_rows:
        by_object[row.id].append(row)
    result = []
    for rows in by_object.values():
        rows.sort(key=lambda row: (row.history_date, row.history_id))
        previous = None
        for row in rows:
            entry = Entry(
                when=row.history_date,
                who=row.history_user,
                kind=KINDS[row.history_type],
                subject=describe(row),
                reason=row.history_change_reason or "",
                changes=_changes(previous, row) if previous is not None else [],
            )
            if row.history_type != "~" or entry.changes or entry.reason:
                result.append(entry)
            previous = row
    return result


def newest_first(*groups: list[Entry]) -> list[Entry]:
    return sorted((e for group in groups for e in group), key=lambda e: e.when, reverse=True)


def update_history(update: StatusUpdate) -> list[Entry]:
    """The update's changes, the entries in its conversation and its evidence, added or
    removed (evidence on its readings included)."""
    rows = StatusUpdate.history.filter(id=update.pk).select_related("history_user")
    readings = IndicatorReading.objects.filter(
        measure__action=update.action_id, agency=update.agency_id, date=update.period.ends_on
    )
    return newest_first(
        entries(rows, lambda row: "This update"),
        entries(
            Comment.history.filter(update_id=update.pk).select_related("history_user"),
            lambda row: f"Conversation: {Comment.Kind(row.kind).label.lower()}",
        ),
        entries(
            Evidence.history.filter(
                Q(update_id=update.pk) | Q(reading_id__in=readings.values("pk"))
            ).select_related("history_user"),
            lambda row: f"Evidence: {row.name}",
        ),
    )


def action_history(action: Action, visible_updates) -> list[Entry]:
    """Every change to the action, its coordinating agencies, success measures, readings, and
    the updates on it in ``visible_updates`` (the ones the reader may see)."""
    measure_rows = SuccessMeasure.history.filter(action_id=action.pk).select_related("history_user")
    measure_ids = {row.id for row in measure_rows}
    return newest_first(
        entries(
            Action.history.filter(id=action.pk).select_related("history_user"),
            lambda row: "The action",
        ),
        entries(
            ActionAgency.history.filter(action_id=action.pk).select_related(
                "history_user", "agency"
            ),
            lambda row: f"Coordinating agency: {row.agency}",
        ),
        entries(measure_rows, lambda row: f"Success measure: {_short(row.statement)}"),
        entries(
            IndicatorReading.history.filter(measure_id__in=measure_ids).select_related(
                "history_user", "agency"
            ),
            lambda row: (
                f"{row.agency}'s indicator reading as at {row.date:%d %b %Y}"
                if row.agency_id
                else f"Indicator reading as at {row.date:%d %b %Y}"
            ),
        ),
        entries(
            StatusUpdate.history.filter(
                action_id=action.pk, id__in=visible_updates.values("pk")
            ).select_related("history_user", "agency", "period"),
            lambda row: f"{row.agency}'s update for {row.period.label}",
        ),
    )


def _short(text: str, length: int = 70) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _changes(before, after) -> list[Change]:
    changes = []
    for model_field in after.instance_type._meta.concrete_fields:
        if model_field.name in NOT_SHOWN:
            continue
        old = getattr(before, model_field.attname)
        new = getattr(after, model_field.attname)
        if old != new:
            changes.append(
                Change(
                    str(model_field.verbose_name).capitalize(),
                    _display(model_field, old, before),
                    _display(model_field, new, after),
                )
            )
    return changes


def _display(model_field, value, row) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return str(getattr(row, model_field.name))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)
