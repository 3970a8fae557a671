"""Work on plans that spans models: loading the shipped seed plans, and importing and exporting
a plan in the spreadsheet template."""

from .exports import EXPORT_FORMATS, export_plan, plan_rows
from .imports import (
    ImportProblem,
    ImportResult,
    PlanChanges,
    PlanImportError,
    PreviewOutdated,
    import_plan_file,
    preview_plan_file,
)
from .seeds import LoadResult, SeedError, load_plan_file, seed_plan_files

__all__ = [
    "EXPORT_FORMATS",
    "ImportProblem",
    "ImportResult",
    "LoadResult",
    "PlanChanges",
    "PlanImportError",
    "PreviewOutdated",
    "SeedError",
    "export_plan",
    "import_plan_file",
    "load_plan_file",
    "plan_rows",
    "preview_plan_file",
    "seed_plan_files",
]
