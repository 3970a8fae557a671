"""The problems that refuse a plan file, where a spreadsheet user would look for them."""

from dataclasses import dataclass


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


class PreviewOutdated(PlanImportError):
    """Importing the file now would change something other than its preview showed (the plan,
    or the agencies and areas it names, changed in between). Nothing was written."""

    MESSAGE = (
        "the plan has changed since this preview was made, so the file would now change "
        "something else; nothing was changed: look at the new preview before confirming"
    )

    def __init__(self):
        super().__init__([ImportProblem(self.MESSAGE)])
