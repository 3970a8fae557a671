"""Work on plans that spans models: loading the shipped seed plans, and importing and exporting
a plan in the spreadsheet template."""

from .exports import EXPORT_FORMATS, export_plan, plan_rows
from .imports import ImportProblem, ImportResult, PlanImportError, import_plan_file
from .seeds import LoadResult, SeedError, load_plan_file, seed_plan_files

__all__ = [
    "EXPORT_FORMATS",
    "ImportProblem",
    "ImportResult",
    "LoadResult",
    "PlanImportError",
    "SeedError",
    "export_plan",
    "import_plan_file",
    "load_plan_file",
    "plan_rows",
    "seed_plan_files",
]
