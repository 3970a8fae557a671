"""What a plan import answers: the problems that refuse a file, or the result of writing it."""

from dataclasses import dataclass, field

from ...models import ActionPlan


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with a file, where a spreadsheet user would look for it."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"Row {self.row}" if self.row is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class PlanImportError(Exception):
    """The file can't be imported; ``problems`` lists everything wrong with it. Nothing was
    written."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class ImportResult:
    plan: ActionPlan
    plan_created: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[ImportProblem] = field(default_factory=list)

    def __str__(self) -> str:
        verb = "Created" if self.plan_created else "Updated"
        return (
            f"{verb} {self.plan.slug}: {self.created} actions created, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )
