"""What importing a file changes in a plan, action by action and cell by cell, and the result
of an import.

The plan is compared as the template writes it (``exports.plan_rows``) before and after the
file is written, so the preview shows what the export would then show: an action added, each
changed cell with its text before and after, and the actions the file leaves as they were.
``fingerprint`` names the pair exactly: applying a file "as previewed" means its write comes to
the same fingerprint, or nothing is kept.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

from ...models import ActionPlan
from ..exports import EXPORT_COLUMNS
from .problems import ImportProblem

# The columns as a person reads them on the preview page.
COLUMN_LABELS = {
    "number": _("Number"),
    "parent": _("Parent"),
    "title": _("Title"),
    "description": _("Description"),
    "group": _("Group"),
    "priority_areas": _("Priority areas"),
    "focus_areas": _("Focus areas"),
    "coordinating_agencies": _("Coordinating agencies"),
    "lead_agencies": _("Lead agency"),
    "supporting_agencies": _("Supporting agencies"),
    "success_measures": _("Success measures"),
    "resourcing": _("Resourcing"),
    "timeframe": _("Timeframe"),
    "assumptions": _("Assumptions"),
}


@dataclass(frozen=True)
class CellChange:
    column: str
    before: str
    after: str

    @property
    def label(self) -> str:
        return COLUMN_LABELS.get(self.column, self.column)


@dataclass(frozen=True)
class ActionChange:
    """One action of the file: ``cells`` are its changed cells (every filled cell of a new
    action, with ``before`` empty)."""

    number: str
    title: str
    row: int | None = None  # the file's row; None for an action changed without a row of its own
    cells: list[CellChange] = field(default_factory=list)


ACTION_LISTS = ("added", "changed", "unchanged")


@dataclass
class PlanChanges:
    plan_slug: str
    plan_exists: bool
    added: list[ActionChange] = field(default_factory=list)
    changed: list[ActionChange] = field(default_factory=list)
    unchanged: list[ActionChange] = field(default_factory=list)
    untouched: int = 0  # the plan's actions the file doesn't mention, left as they are
    warnings: list[ImportProblem] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.changed)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "PlanChanges":
        def action(item: dict) -> ActionChange:
            return ActionChange(**{**item, "cells": [CellChange(**c) for c in item["cells"]]})

        return cls(
            **{
                **data,
                **{key: [action(a) for a in data[key]] for key in ACTION_LISTS},
                "warnings": [ImportProblem(**w) for w in data["warnings"]],
            }
        )

    def __str__(self) -> str:
        return (
            f"{len(self.added)} actions added, {len(self.changed)} changed, "
            f"{len(self.unchanged)} unchanged."
        )


def compare(
    before: list[dict[str, str]],
    after: list[dict[str, str]],
    *,
    plan_slug: str,
    plan_exists: bool,
    file_rows: dict[str, int],
    warnings: list[ImportProblem],
) -> PlanChanges:
    """The changes from ``before`` to ``after`` (template rows), for the actions of
    ``file_rows`` (number → the file's row) and any other whose row differs."""
    old = {row["number"]: row for row in before}
    changes = PlanChanges(
        plan_slug=plan_slug,
        plan_exists=plan_exists,
        warnings=list(warnings),
        fingerprint=_fingerprint(before, after),
    )
    for row in after:
        number = row["number"]
        previous = old.get(number)
        cells = [
            CellChange(column, previous.get(column, "") if previous else "", row.get(column, ""))
            for column in EXPORT_COLUMNS
            if (previous.get(column, "") if previous else "") != row.get(column, "")
        ]
        change = ActionChange(number, row["title"], file_rows.get(number), cells)
        if previous is None:
            changes.added.append(change)
        elif cells:
            changes.changed.append(change)
        elif number in file_rows:
            changes.unchanged.append(change)
        else:
            changes.untouched += 1
    return changes


def _fingerprint(before: list[dict], after: list[dict]) -> str:
    text = json.dumps([before, after], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class ImportResult:
    plan: ActionPlan
    plan_created: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[ImportProblem] = field(default_factory=list)
    changes: PlanChanges | None = None  # what the write changed, cell by cell

    def __str__(self) -> str:
        verb = "Created" if self.plan_created else "Updated"
        return (
            f"{verb} {self.plan.slug}: {self.created} actions created, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )
