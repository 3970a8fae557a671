"""Importing a plan from a spreadsheet (CSV or XLSX) in the plan template (``plan_template``).

The whole file is read (``reading``) and checked (``checking``) first, collecting every problem
with the row and column a spreadsheet user sees; only a file without problems is written
(``writing``), all in one transaction. Importing into an existing plan updates its actions by
number and creates the missing ones; actions the file doesn't mention are left alone, so
importing the same file again changes nothing.

One service for the command and the upload page:

- ``preview_plan_file(source, plan_slug=, …)`` → ``PlanChanges``: what importing would change
  (``changes``), found by writing the file and rolling the write back, so a preview can't
  differ from an import; nothing is kept. ``PlanImportError`` lists the file's problems.
- ``import_plan_file(source, plan_slug=, …, by=, as_previewed=)`` → ``ImportResult`` with its
  ``changes``. The history names ``by``. With ``as_previewed`` (a preview's ``fingerprint``),
  a write that would change anything other than that preview did is rolled back and
  ``PreviewOutdated`` raised: the plan, its agencies or areas changed in between.
"""

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.db import transaction

from core.history import recorded_as

from ...models import ActionPlan, Strategy
from ..exports import plan_rows
from .changes import ActionChange, CellChange, ImportResult, PlanChanges, compare
from .checking import CheckedRow, check_rows
from .problems import ImportProblem, PlanImportError, PreviewOutdated
from .reading import read_bytes, read_rows
from .target import find_target
from .writing import write_plan

__all__ = [
    "ActionChange",
    "CellChange",
    "ImportProblem",
    "ImportResult",
    "PlanChanges",
    "PlanImportError",
    "PreviewOutdated",
    "import_plan_file",
    "preview_plan_file",
]

Progress = Callable[[int, int], None]  # (rows checked, rows in all)


def preview_plan_file(
    source: str | Path | BinaryIO,
    *,
    plan_slug: str,
    strategy_slug: str | None = None,
    filename: str | None = None,
    on_progress: Progress | None = None,
) -> PlanChanges:
    """What importing ``source`` into ``plan_slug`` would change; nothing is written.
    ``on_progress`` hears how many rows are checked, as they are. Raises
    ``PlanImportError`` as ``import_plan_file`` would."""
    plan, strategy, checked, warnings, name = _checked(
        source, plan_slug, strategy_slug, filename, on_progress
    )
    try:
        with transaction.atomic():
            _, changes = _write_and_compare(checked, warnings, plan, plan_slug, strategy, name)
            raise _TrialWrite(changes)
    except _TrialWrite as trial:
        return trial.changes


def import_plan_file(
    source: str | Path | BinaryIO,
    *,
    plan_slug: str,
    strategy_slug: str | None = None,
    filename: str | None = None,
    by=None,
    as_previewed: str | None = None,
) -> ImportResult:
    """Import the actions in ``source`` (a path or a binary file) into the plan ``plan_slug``,
    creating the plan under ``strategy_slug`` (or the most recent strategy) if it doesn't
    exist. ``filename`` names an uploaded file, to tell CSV from XLSX. Raises
    ``PlanImportError`` and writes nothing if anything is wrong, including a file over the
    limits ``reading`` describes, or (``PreviewOutdated``) a write that isn't the one
    previewed as ``as_previewed``."""
    plan, strategy, checked, warnings, name = _checked(
        source, plan_slug, strategy_slug, filename, None
    )
    with recorded_as(by), transaction.atomic():
        result, changes = _write_and_compare(checked, warnings, plan, plan_slug, strategy, name)
        if as_previewed is not None and changes.fingerprint != as_previewed:
            raise PreviewOutdated()
    result.changes = changes
    return result


class _TrialWrite(Exception):
    """Rolls a preview's write back, carrying what it changed."""

    def __init__(self, changes: PlanChanges):
        self.changes = changes


def _checked(source, plan_slug, strategy_slug, filename, on_progress):
    plan, strategy = find_target(plan_slug, strategy_slug)
    data, name = read_bytes(source, filename)
    rows = read_rows(data, filename=name)
    checked, warnings = check_rows(rows, plan, strategy, on_progress=on_progress)
    return plan, strategy, checked, warnings, name


def _write_and_compare(
    checked: list[CheckedRow],
    warnings: list[ImportProblem],
    plan: ActionPlan | None,
    plan_slug: str,
    strategy: Strategy,
    filename: str,
) -> tuple[ImportResult, PlanChanges]:
    before = list(plan_rows(plan)) if plan is not None else []
    result = write_plan(
        checked, warnings, plan=plan, plan_slug=plan_slug, strategy=strategy, filename=filename
    )
    changes = compare(
        before,
        list(plan_rows(result.plan)),
        plan_slug=plan_slug,
        plan_exists=plan is not None,
        file_rows={row.number: row.row for row in checked},
        warnings=warnings,
    )
    return result, changes
