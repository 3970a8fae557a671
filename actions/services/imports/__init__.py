"""Importing a plan from a spreadsheet (CSV or XLSX) in the plan template (``plan_template``).

The whole file is read (``reading``) and checked (``checking``) first, collecting every problem
with the row and column a spreadsheet user sees; only a file without problems is written
(``writing``), all in one transaction. Importing into an existing plan updates its actions by
number and creates the missing ones; actions the file doesn't mention are left alone, so
importing the same file again changes nothing.
"""

from pathlib import Path
from typing import BinaryIO

from .checking import check_rows
from .problems import ImportProblem, ImportResult, PlanImportError
from .reading import read_bytes, read_rows
from .target import find_target
from .writing import write_plan

__all__ = ["ImportProblem", "ImportResult", "PlanImportError", "import_plan_file"]


def import_plan_file(
    source: str | Path | BinaryIO,
    *,
    plan_slug: str,
    strategy_slug: str | None = None,
    filename: str | None = None,
) -> ImportResult:
    """Import the actions in ``source`` (a path or a binary file) into the plan ``plan_slug``,
    creating the plan under ``strategy_slug`` (or the most recent strategy) if it doesn't
    exist. ``filename`` names an uploaded file, to tell CSV from XLSX. Raises
    ``PlanImportError`` and writes nothing if anything is wrong, including a file over the
    limits ``reading`` describes."""
    plan, strategy = find_target(plan_slug, strategy_slug)
    data, name = read_bytes(source, filename)
    checked, warnings = check_rows(read_rows(data, filename=name), plan, strategy)
    return write_plan(
        checked, warnings, plan=plan, plan_slug=plan_slug, strategy=strategy, filename=name
    )
